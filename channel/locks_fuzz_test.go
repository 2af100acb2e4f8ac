package channel

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

// FuzzDecodeLocks: never panics, errors wrap ErrMalformed, whatever decodes is a valid
// pending set that encodes back to the same bytes.
func FuzzDecodeLocks(f *testing.F) {
	two, _ := AppendLocks(nil, []Lock{lockN(1, 5, 10), lockN(2, 7, 20)})
	f.Add(two)
	f.Add([]byte{0})
	f.Add([]byte{})
	f.Add(append([]byte{2}, two[1:1+LockSize]...))
	f.Add(append(append([]byte{2}, two[1:1+LockSize]...), two[1:1+LockSize]...)) // duplicate
	f.Add(append([]byte{MaxLocks + 1}, make([]byte, (MaxLocks+1)*LockSize)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		locks, err := DecodeLocks(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("decode error %v does not wrap ErrMalformed", err)
			}
			return
		}
		sum := new(big.Int)
		for _, l := range locks {
			sum.Add(sum, l.Amount)
		}
		root, err := LocksRoot(locks)
		if err != nil {
			t.Fatalf("decoded locks do not hash: %v", err)
		}
		if err := checkLockSet(locks, sum, root); err != nil {
			t.Fatalf("decoded an invalid pending set: %v", err)
		}
		out, err := AppendLocks(nil, locks)
		if err != nil || !bytes.Equal(out, data) {
			t.Fatalf("re-encoding differs (%v):\n%x\n%x", err, out, data)
		}
	})
}

// FuzzLockUpdateUnmarshal: never panics, errors wrap ErrMalformed, accepted input
// re-encodes to the same bytes.
func FuzzLockUpdateUnmarshal(f *testing.F) {
	for _, u := range []LockUpdate{AddLock(lockN(1, 5, 10)), Unlock(secretN(1)), ExpireLock([32]byte{7}), CancelLock([32]byte{8})} {
		b, err := u.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{4, 1, 2})
	f.Add([]byte{5, 1, 2})
	f.Add(append([]byte{1}, make([]byte, LockSize)...)) // zero amount
	f.Fuzz(func(t *testing.T, data []byte) {
		var u LockUpdate
		if err := u.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("decode error %v does not wrap ErrMalformed", err)
			}
			if u != (LockUpdate{}) {
				t.Fatalf("failed decode changed the update: %+v", u)
			}
			return
		}
		out, err := u.MarshalBinary()
		if err != nil || !bytes.Equal(out, data) {
			t.Fatalf("re-encoding differs (%v):\n%x\n%x", err, out, data)
		}
	})
}

// FuzzApplyLockUpdate feeds arbitrary lock updates and proofs, signed with the payer's
// real key, to a receiver holding two pending locks. Whatever arrives: no panic; a
// refusal leaves the State unchanged and names a sentinel with a wire code; an accepted
// proof is exactly what the honest payer would have built (so both ends agree), keeps
// locked == sum(locks) and root == LocksRoot(locks), never lowers transferred, and stays
// within the payer's funds.
func FuzzApplyLockUpdate(f *testing.F) {
	// Honest proofs (accepted), then the same with one field off, then cheats.
	f.Add(uint8(1), []byte{5}, uint64(2_000), uint8(3), uint64(1_000), uint64(3), []byte(nil), []byte{55}, true)
	f.Add(uint8(2), []byte(nil), uint64(0), uint8(1), uint64(1_000), uint64(3), []byte{30}, []byte{20}, true)
	f.Add(uint8(3), []byte(nil), uint64(0), uint8(2), uint64(1_501), uint64(3), []byte(nil), []byte{30}, true)
	f.Add(uint8(3), []byte(nil), uint64(0), uint8(2), uint64(1_500), uint64(3), []byte(nil), []byte{30}, true)
	f.Add(uint8(1), []byte{5}, uint64(2_000), uint8(3), uint64(1_000), uint64(3), []byte(nil), []byte{55}, false)
	f.Add(uint8(1), []byte{51}, uint64(2_000), uint8(3), uint64(1_000), uint64(3), []byte(nil), []byte{101}, true)
	f.Add(uint8(2), []byte(nil), uint64(0), uint8(1), uint64(1_000), uint64(3), []byte{29}, []byte{20}, true)
	f.Add(uint8(1), []byte{5}, uint64(1_000), uint8(1), uint64(1_000), uint64(3), []byte(nil), []byte{55}, true)
	f.Add(uint8(4), []byte(nil), uint64(0), uint8(2), uint64(1_000), uint64(3), []byte(nil), []byte{30}, true)
	f.Add(uint8(4), []byte(nil), uint64(0), uint8(1), uint64(1_000), uint64(3), []byte{30}, []byte{20}, true)

	fx := newFixture(f)
	lp := &lockPair{f: fx, payer: fx.state(f, 100, 10), receiver: fx.state(f, 100, 10), now: 1_000}
	lp.step(f, AddLock(lockN(1, 30, 2_000)))
	lp.step(f, AddLock(lockN(2, 20, 1_500)))
	// Lock 2 is refused by its receiver (both ends know it): it may be cancelled early;
	// lock 1 may not.
	for _, st := range []*State{lp.payer, lp.receiver} {
		if err := st.MarkLockRefused(PartyA, lockN(2, 20, 1_500).SecretHash); err != nil {
			f.Fatal(err)
		}
	}

	f.Fuzz(func(t *testing.T, change uint8, amount []byte, expiration uint64, secret uint8, now uint64,
		nonce uint64, transferred, locked []byte, honestRoot bool) {
		if len(amount) > 40 || len(transferred) > 32 || len(locked) > 32 { // a digest takes uint256
			return
		}
		u := LockUpdate{Change: LockChange(change % 5)}
		switch u.Change {
		case LockAdd:
			u.Lock = Lock{Amount: new(big.Int).SetBytes(amount), Expiration: expiration, SecretHash: SecretHash(secretN(secret))}
		case LockUnlock:
			u.Secret = secretN(secret)
		case LockExpire, LockCancel:
			u.SecretHash = SecretHash(secretN(secret))
		}
		bp := BalanceProof{Channel: fx.params.ID, Nonce: nonce, Transferred: new(big.Int).SetBytes(transferred), Locked: new(big.Int).SetBytes(locked)}
		honestProof, honestErr := lp.payer.Clone().PrepareLockUpdate(PartyA, u, now, fx.signers[PartyA])
		if honestRoot && honestErr == nil {
			bp.LocksRoot = honestProof.LocksRoot
		}
		p := signProof(t, fx.params.Domain, fx.signers[PartyA], bp)

		r := lp.receiver.Clone()
		before := r.Clone()
		o, err := r.ApplyLockUpdate(PartyA, u, p, now)
		if err != nil {
			if Code(err) == CodeInternal {
				t.Fatalf("refusal %v carries no protocol sentinel", err)
			}
			if d := stateDiff(before, r); d != "" {
				t.Fatalf("refused update changed %s: %v", d, err)
			}
			return
		}
		if o != OutcomeNew {
			t.Fatalf("outcome %v for a fresh nonce", o)
		}
		if honestErr != nil {
			t.Fatalf("receiver accepted a %s the payer cannot build: %v", u.Change, honestErr)
		}
		hp := honestProof.BalanceProof
		if p.Nonce != hp.Nonce || p.Transferred.Cmp(hp.Transferred) != 0 || !sameAmount(p.Locked, hp.Locked) || p.LocksRoot != hp.LocksRoot {
			t.Fatalf("accepted %+v, the honest payer builds %+v", p.BalanceProof, hp)
		}
		side := r.sides[PartyA]
		if err := checkLockSet(side.Locks, side.Sent.Locked, side.Sent.LocksRoot); err != nil {
			t.Fatalf("accepted state inconsistent: %v", err)
		}
		if side.Sent.Transferred.Cmp(before.sides[PartyA].Sent.Transferred) < 0 {
			t.Fatal("transferred went down")
		}
		if r.Spendable(PartyA).Sign() < 0 {
			t.Fatalf("payer overcommitted: spendable %s", r.Spendable(PartyA))
		}
		if o, err := r.ApplyLockUpdate(PartyA, u, p, now); err != nil || o != OutcomeRepeat {
			t.Fatalf("applying the accepted proof again: %v, %v", o, err)
		}
	})
}
