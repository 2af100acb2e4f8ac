package p2p

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// bodyTrap fails the test if anything beyond the length prefix is read.
type bodyTrap struct {
	t      *testing.T
	prefix []byte
}

func (b *bodyTrap) Read(p []byte) (int, error) {
	if len(b.prefix) == 0 {
		b.t.Fatal("frame body was read after an oversized length prefix")
	}
	n := copy(p, b.prefix)
	b.prefix = b.prefix[n:]
	return n, nil
}

func TestFrameReaderRefusesOversizedFrameBeforeReadingBody(t *testing.T) {
	prefix := binary.AppendUvarint(nil, MaxFrameSize+1)
	fr := NewFrameReader(&bodyTrap{t: t, prefix: prefix})
	_, err := fr.ReadFrame()
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err %v, want ErrFrameTooLarge", err)
	}
}

func TestFrameReaderFrames(t *testing.T) {
	enc := NewEncoder()
	var stream []byte
	for i := uint64(1); i <= 3; i++ {
		stream, _ = enc.AppendFrame(stream, &Ack{Channel: testID(1), Nonce: i})
	}
	cases := []struct {
		name    string
		input   []byte
		nOK     int
		wantErr error
	}{
		{"three frames then clean EOF", stream, 3, io.EOF},
		{"truncated body", stream[:len(stream)-1], 2, io.ErrUnexpectedEOF},
		{"truncated length prefix", append(append([]byte{}, stream...), 0x80), 3, io.ErrUnexpectedEOF},
		{"empty frame", []byte{0x00}, 0, ErrMalformed},
		{"overlong length prefix", bytes.Repeat([]byte{0xff}, 11), 0, ErrFrameTooLarge},
		{"non-minimal length prefix", []byte{0x81, 0x00, 0x01}, 0, ErrMalformed},
		{"transport error is not malformed", nil, 0, errTransport},
		{"exactly max size is read", append(binary.AppendUvarint(nil, MaxFrameSize), make([]byte, MaxFrameSize)...), 1, io.EOF},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r io.Reader = bytes.NewReader(c.input)
			if c.wantErr == errTransport {
				r = failingReader{}
			}
			fr := NewFrameReader(r)
			n := 0
			for {
				_, err := fr.ReadFrame()
				if err != nil {
					if !errors.Is(err, c.wantErr) || (c.wantErr == errTransport && errors.Is(err, ErrMalformed)) {
						t.Fatalf("after %d frames: err %v, want %v", n, err, c.wantErr)
					}
					break
				}
				n++
			}
			if n != c.nOK {
				t.Fatalf("read %d frames, want %d", n, c.nOK)
			}
		})
	}
}

func TestFrameReaderDecodesMessagesInOrder(t *testing.T) {
	enc := NewEncoder()
	var stream []byte
	for i := uint64(1); i <= 100; i++ {
		stream, _ = enc.AppendFrame(stream, &Ack{Channel: testID(1), Nonce: i})
	}
	fr := NewFrameReader(bytes.NewReader(stream))
	for i := uint64(1); i <= 100; i++ {
		m, err := fr.ReadMessage()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if got := m.(*Ack).Nonce; got != i {
			t.Fatalf("message %d has nonce %d", i, got)
		}
	}
}

var errTransport = errors.New("stream reset")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errTransport }
