//go:build !race

// The race detector changes allocation behaviour, so these checks run only in
// normal builds.

package p2p

import "testing"

func TestEncodingPayAndAckDoesNotAllocate(t *testing.T) {
	enc := NewEncoder()
	buf := make([]byte, 0, 4096)
	pay, ack := samplePay(), &Ack{Channel: testID(1), Nonce: 5}
	allocs := testing.AllocsPerRun(1000, func() {
		var err error
		buf, err = enc.AppendFrame(buf[:0], pay)
		if err != nil {
			t.Fatal(err)
		}
		buf, _ = enc.AppendFrame(buf, ack)
	})
	if allocs != 0 {
		t.Fatalf("encoding Pay+Ack allocates %.1f times, want 0", allocs)
	}
}

func TestDecodingPayAllocatesOnlyTheResult(t *testing.T) {
	payload := encodeOne(t, samplePay())
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := DecodeMessage(payload); err != nil {
			t.Fatal(err)
		}
	})
	// The Pay struct, the big.Int with its words, and the memo copy.
	if allocs > 4 {
		t.Fatalf("decoding Pay allocates %.1f times, want <= 4", allocs)
	}
}
