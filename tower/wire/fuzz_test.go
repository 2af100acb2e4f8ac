package wire

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// FuzzDecode: no input panics the decoder; what decodes re-encodes to a frame that
// decodes to the same message; what fails is ErrMalformed.
func FuzzDecode(f *testing.F) {
	for _, m := range sampleMessages() {
		frame, err := AppendFrame(nil, m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(frame)
	}
	f.Add([]byte{0x02, 0xc1, 0x02})
	f.Add([]byte{0x80, 0x10})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := NewReader(bytes.NewReader(data)).Read()
		if err != nil {
			return
		}
		frame, err := AppendFrame(nil, m)
		if err != nil {
			// Only messages the sender must not send may fail to re-encode.
			return
		}
		again, err := NewReader(bytes.NewReader(frame)).Read()
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", m.Type(), err)
		}
		if !reflect.DeepEqual(m, again) {
			t.Fatalf("round trip changed %+v into %+v", m, again)
		}
	})
}

func FuzzDecodePayload(f *testing.F) {
	f.Add([]byte{0xc2, 0x01, 0xc0})
	f.Fuzz(func(t *testing.T, payload []byte) {
		if _, err := Decode(payload); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("decode error %v does not wrap ErrMalformed", err)
		}
	})
}
