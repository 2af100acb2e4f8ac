package p2p

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// fuzzCanonical runs the decoder's one property on f's corpus: any payload either fails
// with ErrMalformed or decodes to a message whose encoding is exactly the input. Every
// message family's fuzz target shares it; they differ in their seeds.
func fuzzCanonical(f *testing.F) {
	f.Fuzz(func(t *testing.T, payload []byte) {
		m, err := DecodeMessage(payload)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		frame, err := NewEncoder().AppendFrame(nil, m)
		if err != nil {
			t.Fatalf("decoded %s does not re-encode: %v", m.Type(), err)
		}
		_, k := uvarintLen(frame)
		if !bytes.Equal(frame[k:], payload) {
			t.Fatalf("%s re-encodes differently:\n got %x\nwant %x", m.Type(), frame[k:], payload)
		}
	})
}

// FuzzDecodeMessage checks that any payload either fails with ErrMalformed or
// decodes to a message whose encoding is exactly the input: the decoder accepts
// only canonical encodings, so two byte strings never mean the same message.
func FuzzDecodeMessage(f *testing.F) {
	for _, m := range sampleMessages() {
		frame, err := NewEncoder().AppendFrame(nil, m)
		if err != nil {
			f.Fatal(err)
		}
		_, k := uvarintLen(frame)
		f.Add(frame[k:])
	}
	fuzzCanonical(f)
}

// FuzzFrameStream feeds arbitrary bytes to the frame reader as a peer's stream
// would: it must end with an error and never panic or over-read.
func FuzzFrameStream(f *testing.F) {
	enc := NewEncoder()
	var stream []byte
	for _, m := range sampleMessages() {
		stream, _ = enc.AppendFrame(stream, m)
	}
	f.Add(stream)
	f.Add([]byte{0xff, 0xff, 0x04})
	f.Add([]byte{0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := NewFrameReader(bytes.NewReader(data))
		for i := 0; ; i++ {
			payload, err := fr.ReadFrame()
			if err != nil {
				if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrMalformed) || errors.Is(err, ErrFrameTooLarge) {
					return
				}
				t.Fatalf("frame %d: unexpected error %v", i, err)
			}
			if len(payload) == 0 || len(payload) > MaxFrameSize {
				t.Fatalf("frame %d has %d bytes", i, len(payload))
			}
			DecodeMessage(payload)
		}
	})
}

func uvarintLen(b []byte) (uint64, int) {
	var x uint64
	for i, c := range b {
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return x, i + 1
		}
	}
	return 0, 0
}
