package p2p

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

// Pay and Sync carry locked and locksRoot only while locks are pending: a proof without
// them encodes to the same bytes as before the tail existed, one with them round-trips
// both, and a tail of zeroes (a second encoding of "no locks") is refused.
func TestPayAndSyncCarryTheLocksTailOnlyWhenLocksArePending(t *testing.T) {
	plain := samplePay()
	before := encodeOne(t, plain)
	zeroed := samplePay()
	zeroed.Proof.Locked = new(big.Int) // zero locked, zero root: no tail
	if got := encodeOne(t, zeroed); !bytes.Equal(got, before) {
		t.Fatalf("a zero-locks proof changed the frame:\n got %x\nwant %x", got, before)
	}
	locked := samplePay()
	locked.Proof.Locked, locked.Proof.LocksRoot = big.NewInt(77), [32]byte{0xee}
	got, err := DecodeMessage(encodeOne(t, locked))
	if err != nil {
		t.Fatal(err)
	}
	gp := got.(*Pay).Proof
	if gp.Locked == nil || gp.Locked.Int64() != 77 || gp.LocksRoot != locked.Proof.LocksRoot {
		t.Fatalf("locks tail lost: locked %v root %x", gp.Locked, gp.LocksRoot)
	}
	s := sampleMessages()["sync with locks"].(*Sync)
	got, err = DecodeMessage(encodeOne(t, s))
	if err != nil {
		t.Fatal(err)
	}
	gs := got.(*Sync)
	if gs.Sent.Locked.Cmp(s.Sent.Locked) != 0 || gs.Sent.LocksRoot != s.Sent.LocksRoot || gs.Received.LocksRoot != s.Received.LocksRoot || gs.Received.Locked.Sign() != 0 {
		t.Fatalf("sync locks: %+v", gs)
	}

	id, sig, pid := testID(1), testSig(1), make([]byte, 16)
	for name, payload := range map[string][]byte{
		"pay zero tail":     rawEnvelope(t, uint64(TypePay), id[:], uint64(1), uint64(5), sig[:], pid, []byte{}, uint64(0), make([]byte, 32)),
		"pay half a tail":   rawEnvelope(t, uint64(TypePay), id[:], uint64(1), uint64(5), sig[:], pid, []byte{}, uint64(9)),
		"pay short root":    rawEnvelope(t, uint64(TypePay), id[:], uint64(1), uint64(5), sig[:], pid, []byte{}, uint64(9), make([]byte, 31)),
		"pay past the tail": rawEnvelope(t, uint64(TypePay), id[:], uint64(1), uint64(5), sig[:], pid, []byte{}, uint64(9), make([]byte, 32), uint64(1)),
		"sync zero tail":    rawEnvelope(t, uint64(TypeSync), id[:], []any{uint64(1), uint64(5), sig[:], uint64(0), make([]byte, 32)}, []any{uint64(0), uint64(0), sig[:]}, []any{uint64(0), uint64(0), uint64(0), uint64(0)}),
		"sync locked 2^256": rawEnvelope(t, uint64(TypeSync), id[:], []any{uint64(1), uint64(5), sig[:], new(big.Int).Lsh(big.NewInt(1), 256), make([]byte, 32)}, []any{uint64(0), uint64(0), sig[:]}, []any{uint64(0), uint64(0), uint64(0), uint64(0)}),
	} {
		if _, err := DecodeMessage(payload); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want malformed", name, err)
		}
	}
}
