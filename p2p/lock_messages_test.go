package p2p

import (
	"bytes"
	"errors"
	"math/big"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

func sampleLockMessages() map[string]Message {
	proof := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(3), Nonce: 7,
		Transferred: big.NewInt(1000), Locked: big.NewInt(250), LocksRoot: [32]byte{1, 2, 3}}, Sig: testSig(4)}
	lock := channel.Lock{Amount: big.NewInt(250), Expiration: 1_800_000_000, SecretHash: [32]byte{9, 9}}
	return map[string]Message{
		"locked transfer 2 hops": &LockedTransfer{Proof: proof, Lock: lock, PaymentID: [16]byte{5},
			Target: common.Address{0xee}, Amount: big.NewInt(250), Hops: []common.Address{{0xaa}, {0xee}}},
		"locked transfer direct": &LockedTransfer{Proof: proof, Lock: lock, Target: common.Address{0xee}, Amount: big.NewInt(1)},
		"locked transfer max": &LockedTransfer{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(1),
			Nonce: ^uint64(0), Transferred: maxUint256(), Locked: maxUint256()}, Sig: testSig(1)},
			Lock: channel.Lock{Amount: maxUint256(), Expiration: ^uint64(0)}, Amount: maxUint256(),
			Hops: make([]common.Address, MaxRouteHops)},
		"secret reveal": &SecretReveal{Secret: [32]byte{0x42}},
		"unlock":        &Unlock{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: testID(2), Nonce: 8, Transferred: big.NewInt(1250)}, Sig: testSig(2)}, Secret: [32]byte{7}},
		"lock expired":  &LockExpired{Proof: proof, SecretHash: [32]byte{8}},
	}
}

func TestLockMessagesRoundTrip(t *testing.T) {
	for name, m := range sampleLockMessages() {
		frame, err := NewEncoder().AppendFrame(nil, m)
		if err != nil {
			t.Fatalf("%s: encode: %v", name, err)
		}
		_, k := uvarintLen(frame)
		got, err := DecodeMessage(frame[k:])
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if got.Type() != m.Type() || !reflect.DeepEqual(norm(got), norm(m)) {
			t.Fatalf("%s: round trip\n got %+v\nwant %+v", name, got, m)
		}
	}
}

// norm re-encodes a message to compare values independent of nil vs empty slices.
func norm(m Message) []byte {
	f, _ := NewEncoder().AppendFrame(nil, m)
	return f
}

func TestLockMessagesRefuseBadInput(t *testing.T) {
	tooMany := &LockedTransfer{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Transferred: big.NewInt(0)}},
		Lock: channel.Lock{Amount: big.NewInt(1)}, Amount: big.NewInt(1), Hops: make([]common.Address, MaxRouteHops+1)}
	if _, err := NewEncoder().AppendFrame(nil, tooMany); err == nil {
		t.Fatal("encoder accepted a route of too many hops")
	}
	// Hand-build the same frame past the encoder's check: the decoder must refuse it too.
	w := bodyWriter{buf: NewEncoder().w.buf}
	env := w.list()
	w.uint64(uint64(TypeLockedTransfer))
	tooMany.encodeBody(&w)
	w.listEnd(env)
	if _, err := DecodeMessage(w.buf.AppendToBytes(nil)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("decoder accepted %d hops: %v", MaxRouteHops+1, err)
	}
	neg := &Unlock{Proof: channel.SignedProof{BalanceProof: channel.BalanceProof{Transferred: big.NewInt(-1)}}}
	if _, err := NewEncoder().AppendFrame(nil, neg); err == nil {
		t.Fatal("encoder accepted a negative transferred")
	}
	// A short hop address is malformed.
	frame := norm(sampleLockMessages()["locked transfer 2 hops"])
	_, k := uvarintLen(frame)
	payload := bytes.Clone(frame[k:])
	payload = payload[:len(payload)-1]
	if _, err := DecodeMessage(payload); !errors.Is(err, ErrMalformed) {
		t.Fatalf("truncated locked transfer decoded: %v", err)
	}
}

// FuzzDecodeLockMessages: any payload fails with ErrMalformed or decodes to a message
// whose encoding is exactly the input (one canonical encoding per message).
func FuzzDecodeLockMessages(f *testing.F) {
	for _, m := range sampleLockMessages() {
		frame := norm(m)
		_, k := uvarintLen(frame)
		f.Add(frame[k:])
	}
	fuzzCanonical(f)
}
