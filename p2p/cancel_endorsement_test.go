package p2p

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/rlp"
)

func sampleCancelEndorsements() []*CancelEndorsement {
	return []*CancelEndorsement{
		{Channel: testID(3), Nonce: 42, Sig: testSig(7)},
		{Channel: testID(1), Nonce: ^uint64(0), Sig: testSig(1)},
		{},
	}
}

func TestCancelEndorsementRoundTrip(t *testing.T) {
	for i, m := range sampleCancelEndorsements() {
		frame := norm(m)
		_, k := uvarintLen(frame)
		got, err := DecodeMessage(frame[k:])
		if err != nil {
			t.Fatalf("%d: decode: %v", i, err)
		}
		e, ok := got.(*CancelEndorsement)
		if !ok || *e != *m {
			t.Fatalf("%d: round trip got %+v want %+v", i, got, m)
		}
		if got.Type().String() != "CancelEndorsement" || got.Type() != 19 {
			t.Fatalf("type %v", got.Type())
		}
		// Fixed size: a channel id, a nonce and a signature, far below any frame limit.
		if len(frame) > 120 {
			t.Fatalf("%d: frame of %d bytes", i, len(frame))
		}
		// Every truncation is malformed, never a panic or a shorter message.
		for cut := 1; cut < len(frame)-k; cut++ {
			if _, err := DecodeMessage(frame[k : len(frame)-cut]); !errors.Is(err, ErrMalformed) {
				t.Fatalf("%d: truncated by %d: %v", i, cut, err)
			}
		}
	}
	// A wrong-length field is malformed: a 64-byte signature, a 31-byte channel id.
	id := testID(2)
	for name, body := range map[string][]any{
		"short sig":     {id[:], uint64(1), make([]byte, 64)},
		"short channel": {id[:31], uint64(1), make([]byte, 65)},
		"extra field":   {id[:], uint64(1), make([]byte, 65), uint64(0)},
	} {
		payload, err := rlp.EncodeToBytes([]any{uint64(TypeCancelEndorsement), body})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeMessage(payload); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// FuzzDecodeCancelEndorsement: any payload fails with ErrMalformed or decodes to a
// message whose encoding is exactly the input.
func FuzzDecodeCancelEndorsement(f *testing.F) {
	for _, m := range sampleCancelEndorsements() {
		frame := norm(m)
		_, k := uvarintLen(frame)
		f.Add(frame[k:])
	}
	fuzzCanonical(f)
}
