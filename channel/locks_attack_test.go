package channel

import (
	"errors"
	"math/big"
	"testing"
)

// The payer cheats: every proof below is signed with the payer's real key, so only the
// receiver's own copy of the locks stands between it and the loss.
func TestReceiverRefusesProofsThatDisagreeWithItsLocks(t *testing.T) {
	lp := newLockPair(t, 100, 0)
	lp.step(t, AddLock(lockN(1, 30, 2_000)))
	lp.step(t, AddLock(lockN(2, 20, 1_500)))
	dp, err := lp.payer.PreparePayment(PartyA, big.NewInt(5), lp.f.signers[PartyA])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lp.receiver.ApplyIncoming(PartyA, dp); err != nil {
		t.Fatal(err)
	}
	if err := lp.payer.CommitProof(PartyA, dp); err != nil {
		t.Fatal(err)
	}
	lp.agree(t)

	// honest returns the proof an honest payer would sign for u at chain time now.
	honest := func(u LockUpdate, now uint64) BalanceProof {
		p, err := lp.payer.Clone().PrepareLockUpdate(PartyA, u, now, lp.f.signers[PartyA])
		if err != nil {
			t.Fatalf("honest %s: %v", u.Change, err)
		}
		return p.BalanceProof
	}
	resign := func(bp BalanceProof) SignedProof {
		return signProof(t, lp.f.params.Domain, lp.f.signers[PartyA], bp)
	}
	rootOf := func(locks ...Lock) [32]byte {
		r, err := LocksRoot(locks)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	l1, l2, l3 := lockN(1, 30, 2_000), lockN(2, 20, 1_500), lockN(3, 7, 1_800)
	add3, unlock1, expire2 := AddLock(l3), Unlock(secretN(1)), ExpireLock(l2.SecretHash)

	type attack struct {
		name string
		u    LockUpdate
		now  uint64
		bp   func() BalanceProof
		want error
	}
	attacks := []attack{
		{"add: root over another lock list", add3, 1_000, func() BalanceProof {
			bp := honest(add3, 1_000)
			bp.LocksRoot = rootOf(l1, l2, lockN(3, 7, 9_999))
			return bp
		}, ErrLocksMismatch},
		{"add: root omits an older lock", add3, 1_000, func() BalanceProof {
			bp := honest(add3, 1_000)
			bp.LocksRoot = rootOf(l1, l3)
			return bp
		}, ErrLocksMismatch},
		{"add: locked understated", add3, 1_000, func() BalanceProof {
			bp := honest(add3, 1_000)
			bp.Locked = big.NewInt(56)
			return bp
		}, ErrLocksMismatch},
		{"add: transferred lowered", add3, 1_000, func() BalanceProof {
			bp := honest(add3, 1_000)
			bp.Transferred = big.NewInt(4)
			return bp
		}, ErrLocksMismatch},
		{"add: more than the payer has", AddLock(lockN(3, 46, 1_800)), 1_000, func() BalanceProof {
			bp := honest(add3, 1_000)
			bp.Locked = big.NewInt(96)
			return bp
		}, ErrOverdraft},
		{"unlock: transferred short of the lock amount", unlock1, 1_000, func() BalanceProof {
			bp := honest(unlock1, 1_000)
			bp.Transferred = big.NewInt(34)
			return bp
		}, ErrLocksMismatch},
		{"unlock: removes the other lock", unlock1, 1_000, func() BalanceProof {
			bp := honest(unlock1, 1_000)
			bp.LocksRoot = rootOf(l1)
			bp.Locked = big.NewInt(30)
			return bp
		}, ErrLocksMismatch},
		{"unlock: locked not reduced", unlock1, 1_000, func() BalanceProof {
			bp := honest(unlock1, 1_000)
			bp.Locked = big.NewInt(50)
			return bp
		}, ErrLocksMismatch},
		{"unlock: wrong secret", Unlock(secretN(9)), 1_000, func() BalanceProof { return honest(unlock1, 1_000) }, ErrUnknownLock},
		{"expire: before the expiration", expire2, 1_500, func() BalanceProof { return honest(expire2, 1_501) }, ErrLockNotExpired},
		{"expire: transferred lowered", expire2, 1_501, func() BalanceProof {
			bp := honest(expire2, 1_501)
			bp.Transferred = big.NewInt(0)
			return bp
		}, ErrLocksMismatch},
		{"expire: drops the unexpired lock instead", expire2, 1_501, func() BalanceProof {
			bp := honest(expire2, 1_501)
			bp.LocksRoot = rootOf(l2)
			bp.Locked = big.NewInt(20)
			return bp
		}, ErrLocksMismatch},
		{"expire: both locks gone", expire2, 1_501, func() BalanceProof {
			bp := honest(expire2, 1_501)
			bp.LocksRoot, bp.Locked = [32]byte{}, nil
			return bp
		}, ErrLocksMismatch},
		{"nonce gap", add3, 1_000, func() BalanceProof {
			bp := honest(add3, 1_000)
			bp.Nonce++
			return bp
		}, ErrNonceGap},
		{"replayed old nonce", add3, 1_000, func() BalanceProof {
			bp := honest(add3, 1_000)
			bp.Nonce = 2
			return bp
		}, ErrStaleNonce},
		{"unknown change", LockUpdate{Change: 0}, 1_000, func() BalanceProof { return honest(add3, 1_000) }, ErrBadLockUpdate},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			before := lp.receiver.Clone()
			p := resign(a.bp())
			for _, run := range []func() (Outcome, error){
				func() (Outcome, error) { return lp.receiver.ValidateLockUpdate(PartyA, a.u, p, a.now) },
				func() (Outcome, error) { return lp.receiver.ApplyLockUpdate(PartyA, a.u, p, a.now) },
				func() (Outcome, error) { return 0, lp.receiver.CommitLockUpdate(PartyA, a.u, p, a.now) },
			} {
				if o, err := run(); !errors.Is(err, a.want) || o != 0 {
					t.Fatalf("outcome %v err %v, want %v", o, err, a.want)
				}
				if d := stateDiff(before, lp.receiver); d != "" {
					t.Fatalf("refused proof changed %s", d)
				}
			}
		})
	}

	// An honest add whose lock already expired in the receiver's view (the payer's chain
	// view lags ours) is taken, not refused: refusing would leave the channel a nonce
	// apart for good, since the payer counts the proof sent (ADR 0039). The payer itself
	// still never signs such an add.
	t.Run("add already expired in the receiver's view is taken", func(t *testing.T) {
		late := AddLock(lockN(3, 7, 1_000))
		p := resign(honest(late, 999))
		for _, now := range []uint64{1_000, 5_000} {
			if o, err := lp.receiver.ValidateLockUpdate(PartyA, late, p, now); err != nil || o != OutcomeNew {
				t.Fatalf("at chain time %d: outcome %v err %v, want the add taken", now, o, err)
			}
		}
		if _, err := lp.payer.Clone().PrepareLockUpdate(PartyA, late, 1_000, lp.f.signers[PartyA]); !errors.Is(err, ErrLockExpired) {
			t.Fatalf("the payer signed an add of an expired lock: %v", err)
		}
	})

	// A lock update signed by the receiver itself is not the payer's promise.
	t.Run("signed by the receiver", func(t *testing.T) {
		p := signProof(t, lp.f.params.Domain, lp.f.signers[PartyB], honest(add3, 1_000))
		if _, err := lp.receiver.ApplyLockUpdate(PartyA, add3, p, 1_000); !errors.Is(err, ErrWrongSigner) {
			t.Fatalf("err %v, want ErrWrongSigner", err)
		}
	})

	// Direct payments must carry the pending locks unchanged; a payer that silently
	// drops them (to settle without the locked amounts) is refused.
	direct := func(mod func(*BalanceProof)) SignedProof {
		bp := BalanceProof{Channel: lp.f.params.ID, Nonce: 4, Transferred: big.NewInt(6),
			Locked: big.NewInt(50), LocksRoot: rootOf(l1, l2)}
		mod(&bp)
		return resign(bp)
	}
	for name, p := range map[string]SignedProof{
		"direct payment drops all locks":    direct(func(bp *BalanceProof) { bp.Locked, bp.LocksRoot = nil, [32]byte{} }),
		"direct payment lowers locked":      direct(func(bp *BalanceProof) { bp.Locked = big.NewInt(49) }),
		"direct payment swaps the root":     direct(func(bp *BalanceProof) { bp.LocksRoot = rootOf(l2, l1) }),
		"direct payment adds a silent lock": direct(func(bp *BalanceProof) { bp.Locked = big.NewInt(57); bp.LocksRoot = rootOf(l1, l2, l3) }),
	} {
		t.Run(name, func(t *testing.T) {
			before := lp.receiver.Clone()
			if _, err := lp.receiver.ApplyIncoming(PartyA, p); !errors.Is(err, ErrLocksMismatch) {
				t.Fatalf("err %v, want ErrLocksMismatch", err)
			}
			p.Nonce = 9 // over a sync gap the rule is the same
			if _, err := lp.receiver.ValidateSync(PartyA, p); !errors.Is(err, ErrLocksMismatch) {
				t.Fatalf("sync: err %v, want ErrLocksMismatch", err)
			}
			if d := stateDiff(before, lp.receiver); d != "" {
				t.Fatalf("refused proof changed %s", d)
			}
		})
	}
	if _, err := lp.receiver.ApplyIncoming(PartyA, direct(func(*BalanceProof) {})); err != nil {
		t.Fatalf("the honest direct payment: %v", err)
	}
	// And a direct payment may not spend locked money: 45 is free, 46 is not.
	over := direct(func(bp *BalanceProof) { bp.Nonce, bp.Transferred = 5, big.NewInt(52) })
	if _, err := lp.receiver.ApplyIncoming(PartyA, over); !errors.Is(err, ErrOverdraft) {
		t.Fatalf("direct payment into locked money: %v, want ErrOverdraft", err)
	}
}
