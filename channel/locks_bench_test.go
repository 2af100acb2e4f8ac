package channel

import (
	"encoding/binary"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// fakeSigner signs nothing: the lock benchmarks measure the lock-set work of an update
// (validation, the new set, its locks root), not ECDSA.
type fakeSigner struct{ addr common.Address }

func (s fakeSigner) Address() common.Address { return s.addr }
func (fakeSigner) SignDigest(common.Hash) (Signature, error) {
	var sig Signature
	sig[64] = 27
	return sig, nil
}

func benchSecret(n uint64) [32]byte {
	var s [32]byte
	s[0] = 0xbe
	binary.BigEndian.PutUint64(s[24:], n)
	return s
}

// lockUpdateBoth runs u through both ends the way the node does: the payer prepares and
// commits; the receiver validates (here without the signature) and commits.
func lockUpdateBoth(b *testing.B, payer, receiver *State, signer Signer, u LockUpdate, now uint64) {
	p, err := payer.PrepareLockUpdate(PartyA, u, now, signer)
	if err != nil {
		b.Fatal(err)
	}
	if err := payer.CommitLockUpdate(PartyA, u, p, now); err != nil {
		b.Fatal(err)
	}
	if _, _, err := receiver.checkLockUpdate(PartyA, u, p, now); err != nil {
		b.Fatal(err)
	}
	if err := receiver.CommitLockUpdate(PartyA, u, p, now); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLockUpdate48 is one routed hop's lock work in the bench's steady state: 48
// locks pending, a new lock is added at the end and the oldest is unlocked; one op is both
// updates on both ends (payer prepare+commit, receiver validate+commit), no signatures.
func BenchmarkLockUpdate48(b *testing.B) {
	f := newFixture(b)
	payer, receiver := f.state(b, 0, 0), f.state(b, 0, 0)
	for _, s := range []*State{payer, receiver} {
		if err := s.ApplyDeposit(PartyA, MaxLocked()); err != nil {
			b.Fatal(err)
		}
	}
	signer := fakeSigner{f.params.Participants[PartyA]}
	const pending, now = 48, 1_000
	add := func(n uint64) {
		l := Lock{Amount: big.NewInt(1000), Expiration: now + 600, SecretHash: SecretHash(benchSecret(n))}
		lockUpdateBoth(b, payer, receiver, signer, AddLock(l), now)
	}
	for n := range uint64(pending) {
		add(n)
	}
	next := uint64(pending)
	b.ReportAllocs()
	for b.Loop() {
		add(next)
		lockUpdateBoth(b, payer, receiver, signer, Unlock(benchSecret(next-pending)), now)
		next++
	}
}

// BenchmarkLocksRoot48 is one full locks root over 48 locks.
func BenchmarkLocksRoot48(b *testing.B) {
	locks := make([]Lock, 48)
	for i := range locks {
		locks[i] = Lock{Amount: big.NewInt(1000), Expiration: 1_600, SecretHash: SecretHash(benchSecret(uint64(i)))}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LocksRoot(locks); err != nil {
			b.Fatal(err)
		}
	}
}
