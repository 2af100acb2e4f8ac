package p2p

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func sampleLockRefused() []*LockRefused {
	return []*LockRefused{
		{Channel: testID(3), SecretHash: [32]byte{9, 9}, Reason: 2, FailedChannel: testID(4), FailedNode: common.Address{0xaa}},
		{Channel: testID(1), SecretHash: [32]byte{1}, Reason: 0xffff},
		{},
	}
}

func TestLockRefusedRoundTrip(t *testing.T) {
	for i, m := range sampleLockRefused() {
		frame := norm(m)
		_, k := uvarintLen(frame)
		got, err := DecodeMessage(frame[k:])
		if err != nil {
			t.Fatalf("%d: decode: %v", i, err)
		}
		r, ok := got.(*LockRefused)
		if !ok || *r != *m {
			t.Fatalf("%d: round trip got %+v want %+v", i, got, m)
		}
		if got.Type().String() != "LockRefused" || got.Type() != 16 {
			t.Fatalf("type %v", got.Type())
		}
		// Every truncation is malformed, never a panic or a shorter message.
		for cut := 1; cut < len(frame)-k; cut++ {
			if _, err := DecodeMessage(frame[k : len(frame)-cut]); !errors.Is(err, ErrMalformed) {
				t.Fatalf("%d: truncated by %d: %v", i, cut, err)
			}
		}
	}
}

// FuzzDecodeLockRefused: any payload fails with ErrMalformed or decodes to a message
// whose encoding is exactly the input.
func FuzzDecodeLockRefused(f *testing.F) {
	for _, m := range sampleLockRefused() {
		frame := norm(m)
		_, k := uvarintLen(frame)
		f.Add(frame[k:])
	}
	fuzzCanonical(f)
}
