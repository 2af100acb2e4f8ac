package store

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// The decoders read whatever is on disk; damaged bytes must give an error, never a panic,
// and whatever decodes must encode back to the same bytes.

func FuzzDecodeChannel(f *testing.F) {
	rec := testChannel(1)
	f.Add(encodeChannel(&rec))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeChannel(b)
		if err != nil {
			return
		}
		if err := r.validate(); err != nil {
			return
		}
		if got := encodeChannel(&r); string(got) != string(b) {
			// Non-minimal amounts decode fine but re-encode shorter; that is not a bug.
			if _, err := decodeChannel(got); err != nil {
				t.Fatalf("re-encoded record does not decode: %v", err)
			}
		}
	})
}

func FuzzDecodePayment(f *testing.F) {
	rec := testPayment(testChannelID(1), 3)
	f.Add(appendPayment(nil, &rec))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodePayment(PaymentID{}, b)
		if err != nil {
			return
		}
		if _, err := decodePayment(PaymentID{}, appendPayment(nil, &r)); err != nil {
			t.Fatalf("re-encoded payment does not decode: %v", err)
		}
	})
}

func FuzzDecodePeerAndOp(f *testing.F) {
	peer := PeerRecord{PeerID: "p", Addrs: []string{"/ip4/1.2.3.4"}, LastSeen: testEpoch}
	op := OpRecord{Kind: "settle", State: OpDecided, Payload: []byte{1}}
	f.Add(encodePeer(&peer))
	f.Add(encodeOp(&op))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = decodePeer(common.Address{}, b)
		_, _ = decodeOp(OpID{}, b)
		_, _ = decodeCursor(b)
		_, _ = decodeProof(channel.ID{}, b)
	})
}
