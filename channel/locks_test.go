package channel

import (
	"errors"
	"math/big"
	"testing"
)

// lockPair is a payer (A) and a receiver (B) State of the same channel, each with its own
// copy, and a chain clock both read.
type lockPair struct {
	f        fixture
	payer    *State
	receiver *State
	now      uint64
}

func newLockPair(t testing.TB, depA, depB int64) *lockPair {
	t.Helper()
	f := newFixture(t)
	return &lockPair{f: f, payer: f.state(t, depA, depB), receiver: f.state(t, depA, depB), now: 1_000}
}

func secretN(n byte) [32]byte { return [32]byte{0x5e, n} }

func lockN(n byte, amount int64, expiration uint64) Lock {
	return Lock{Amount: big.NewInt(amount), Expiration: expiration, SecretHash: SecretHash(secretN(n))}
}

// step runs one update through both ends: payer prepares, receiver applies, payer commits.
func (lp *lockPair) step(t testing.TB, u LockUpdate) SignedProof {
	t.Helper()
	p, err := lp.payer.PrepareLockUpdate(PartyA, u, lp.now, lp.f.signers[PartyA])
	if err != nil {
		t.Fatalf("prepare %s: %v", u.Change, err)
	}
	if o, err := lp.receiver.ApplyLockUpdate(PartyA, u, p, lp.now); err != nil || o != OutcomeNew {
		t.Fatalf("receiver applies %s: %v, %v", u.Change, o, err)
	}
	if err := lp.payer.CommitLockUpdate(PartyA, u, p, lp.now); err != nil {
		t.Fatalf("payer commits %s: %v", u.Change, err)
	}
	lp.agree(t)
	return p
}

func (lp *lockPair) agree(t testing.TB) {
	t.Helper()
	if d := stateDiff(lp.payer, lp.receiver); d != "" {
		t.Fatalf("payer and receiver disagree: %s", d)
	}
	for _, s := range []*State{lp.payer, lp.receiver} {
		side := s.sides[PartyA]
		if err := checkLockSet(side.Locks, side.Sent.Locked, side.Sent.LocksRoot); err != nil {
			t.Fatalf("pending set inconsistent with the latest proof: %v", err)
		}
	}
}

func sameLocks(a, b []Lock) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Amount.Cmp(b[i].Amount) != 0 || a[i].Expiration != b[i].Expiration || a[i].SecretHash != b[i].SecretHash {
			return false
		}
	}
	return true
}

func wantAmounts(t testing.TB, s *State, transferred, locked, spendable int64) {
	t.Helper()
	side := s.Side(PartyA)
	if side.Sent.Transferred.Int64() != transferred || s.Locked(PartyA).Int64() != locked || s.Spendable(PartyA).Int64() != spendable {
		t.Fatalf("transferred %s locked %s spendable %s, want %d %d %d",
			side.Sent.Transferred, s.Locked(PartyA), s.Spendable(PartyA), transferred, locked, spendable)
	}
}

func TestLockAddUnlockExpireAgreeOnBothEnds(t *testing.T) {
	lp := newLockPair(t, 100, 0)
	p := lp.step(t, AddLock(lockN(1, 30, 2_000)))
	if p.Nonce != 1 || p.Transferred.Sign() != 0 || p.Locked.Int64() != 30 {
		t.Fatalf("locked transfer proof %+v", p.BalanceProof)
	}
	if root, _ := LocksRoot([]Lock{lockN(1, 30, 2_000)}); p.LocksRoot != root {
		t.Fatalf("root %x, want %x", p.LocksRoot, root)
	}
	wantAmounts(t, lp.payer, 0, 30, 70)
	lp.step(t, AddLock(lockN(2, 20, 1_500)))
	wantAmounts(t, lp.payer, 0, 50, 50)
	// A direct payment carries the pending locks unchanged.
	dp, err := lp.payer.PreparePayment(PartyA, big.NewInt(5), lp.f.signers[PartyA])
	if err != nil || dp.Locked.Int64() != 50 || dp.LocksRoot != lp.payer.sides[PartyA].Sent.LocksRoot {
		t.Fatalf("direct payment with locks: %+v, %v", dp.BalanceProof, err)
	}
	if _, err := lp.receiver.ApplyIncoming(PartyA, dp); err != nil {
		t.Fatal(err)
	}
	if err := lp.payer.CommitProof(PartyA, dp); err != nil {
		t.Fatal(err)
	}
	lp.agree(t)
	wantAmounts(t, lp.payer, 5, 50, 45)

	lp.step(t, Unlock(secretN(1)))
	wantAmounts(t, lp.payer, 35, 20, 45)
	if got := lp.receiver.Balance(PartyB); got.Int64() != 35 {
		t.Fatalf("receiver balance %s after unlock, want 35", got)
	}
	lp.now = 1_501
	if got := lp.payer.ExpiredLocks(PartyA, lp.now); len(got) != 1 || got[0].SecretHash != lockN(2, 0, 0).SecretHash {
		t.Fatalf("expired locks %v", got)
	}
	p = lp.step(t, ExpireLock(lockN(2, 0, 0).SecretHash))
	wantAmounts(t, lp.payer, 35, 0, 65)
	if p.Locked != nil || p.LocksRoot != ([32]byte{}) || len(lp.receiver.Locks(PartyA)) != 0 {
		t.Fatalf("no lock left but proof locked %v root %x", p.Locked, p.LocksRoot)
	}
	if p.Nonce != 5 {
		t.Fatalf("nonce %d after five updates", p.Nonce)
	}
}

func TestLockRulesRefuseBadAdds(t *testing.T) {
	lp := newLockPair(t, 100, 0)
	lp.step(t, AddLock(lockN(1, 60, 2_000)))
	full := newLockPair(t, 1_000, 0)
	for i := range MaxLocks {
		full.step(t, AddLock(lockN(byte(i), 1, 2_000)))
	}
	for _, tc := range []struct {
		name string
		s    *State
		lock Lock
		want error
	}{
		{"over the available balance", lp.payer, lockN(2, 41, 2_000), ErrOverdraft},
		{"expiring now", lp.payer, lockN(2, 1, 1_000), ErrLockExpired},
		{"expired", lp.payer, lockN(2, 1, 999), ErrLockExpired},
		{"duplicate secret hash", lp.payer, lockN(1, 1, 3_000), ErrDuplicateLock},
		{"zero amount", lp.payer, lockN(2, 0, 2_000), ErrInvalidAmount},
		{"negative amount", lp.payer, lockN(2, -1, 2_000), ErrInvalidAmount},
		{"nil amount", lp.payer, Lock{Expiration: 2_000}, ErrInvalidAmount},
		{"above uint128", lp.payer, Lock{Amount: new(big.Int).Lsh(big.NewInt(1), 128), Expiration: 2_000}, ErrAmountTooLarge},
		{"lock number MaxLocks+1", full.payer, lockN(200, 1, 2_000), ErrTooManyLocks},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.s.Clone()
			_, err := tc.s.PrepareLockUpdate(PartyA, AddLock(tc.lock), 1_000, lp.f.signers[PartyA])
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if d := stateDiff(before, tc.s); d != "" {
				t.Fatalf("refused add changed %s", d)
			}
		})
	}
	// 40 left exactly fits.
	lp.step(t, AddLock(lockN(2, 40, 2_000)))
	if _, err := lp.payer.PreparePayment(PartyA, big.NewInt(1), lp.f.signers[PartyA]); !errors.Is(err, ErrOverdraft) {
		t.Fatalf("direct payment with everything locked: %v, want ErrOverdraft", err)
	}
}

func TestExpireOnlyAfterTheInclusiveExpiration(t *testing.T) {
	lp := newLockPair(t, 100, 0)
	lp.step(t, AddLock(lockN(1, 10, 1_500)))
	h := lockN(1, 0, 0).SecretHash
	for _, now := range []uint64{1_000, 1_499, 1_500} {
		if _, err := lp.payer.PrepareLockUpdate(PartyA, ExpireLock(h), now, lp.f.signers[PartyA]); !errors.Is(err, ErrLockNotExpired) {
			t.Fatalf("expire at %d: %v, want ErrLockNotExpired", now, err)
		}
	}
	if _, err := lp.payer.PrepareLockUpdate(PartyA, ExpireLock([32]byte{9}), 2_000, lp.f.signers[PartyA]); !errors.Is(err, ErrUnknownLock) {
		t.Fatalf("expire unknown: %v", err)
	}
	if _, err := lp.payer.PrepareLockUpdate(PartyA, Unlock(secretN(2)), 2_000, lp.f.signers[PartyA]); !errors.Is(err, ErrUnknownLock) {
		t.Fatalf("unlock with the wrong secret: %v", err)
	}
	if _, err := lp.payer.PrepareLockUpdate(PartyA, LockUpdate{Change: 9}, 2_000, lp.f.signers[PartyA]); !errors.Is(err, ErrBadLockUpdate) {
		t.Fatalf("unknown change: %v", err)
	}
	lp.now = 1_501
	lp.step(t, ExpireLock(h))
}

func TestLockUpdateRepeatIsReacked(t *testing.T) {
	lp := newLockPair(t, 100, 0)
	u := AddLock(lockN(1, 10, 1_500))
	p := lp.step(t, u)
	if o, err := lp.receiver.ApplyLockUpdate(PartyA, u, p, lp.now); err != nil || o != OutcomeRepeat {
		t.Fatalf("repeat: %v, %v", o, err)
	}
	if o, err := lp.receiver.ValidateIncoming(PartyA, p); err != nil || o != OutcomeRepeat {
		t.Fatalf("repeat through ValidateIncoming: %v, %v", o, err)
	}
	lp.agree(t)
}

func TestSettlementAndWithdrawalCountPendingLocks(t *testing.T) {
	lp := newLockPair(t, 100, 0)
	lp.step(t, AddLock(lockN(1, 60, 2_000)))
	if _, err := lp.receiver.ProposeSettlement(); !errors.Is(err, ErrLocksPending) {
		t.Fatalf("propose settlement with a pending lock: %v", err)
	}
	st := Settlement{Channel: lp.f.params.ID, BalanceA: big.NewInt(100), BalanceB: big.NewInt(0)}
	if err := lp.receiver.ValidateSettlement(st); !errors.Is(err, ErrLocksPending) {
		t.Fatalf("validate settlement with a pending lock: %v", err)
	}
	w := Withdrawal{Channel: lp.f.params.ID, Participant: lp.f.params.Participants[PartyA], TotalWithdrawn: big.NewInt(41), Expiry: 5_000}
	if err := lp.receiver.ValidateWithdrawal(w, lp.now); !errors.Is(err, ErrOverdraft) {
		t.Fatalf("withdraw locked money: %v, want ErrOverdraft", err)
	}
	w.TotalWithdrawn = big.NewInt(40)
	if err := lp.receiver.ValidateWithdrawal(w, lp.now); err != nil {
		t.Fatalf("withdraw the unlocked rest: %v", err)
	}
}

func TestRestoreChecksPendingLocksAgainstTheProof(t *testing.T) {
	lp := newLockPair(t, 100, 0)
	lp.step(t, AddLock(lockN(1, 10, 1_500)))
	lp.step(t, AddLock(lockN(2, 20, 1_600)))
	sn := lp.receiver.Snapshot()
	back, err := Restore(sn)
	if err != nil {
		t.Fatal(err)
	}
	if d := stateDiff(back, lp.receiver); d != "" {
		t.Fatalf("restored state differs: %s", d)
	}
	for name, tamper := range map[string]func(*Snapshot){
		"lock dropped":   func(sn *Snapshot) { sn.Sides[PartyA].Locks = sn.Sides[PartyA].Locks[:1] },
		"order swapped":  func(sn *Snapshot) { l := sn.Sides[PartyA].Locks; l[0], l[1] = l[1], l[0] },
		"amount changed": func(sn *Snapshot) { sn.Sides[PartyA].Locks[0].Amount = big.NewInt(11) },
		"locked changed": func(sn *Snapshot) { sn.Sides[PartyA].Sent.Locked = big.NewInt(31) },
		"duplicate":      func(sn *Snapshot) { l := sn.Sides[PartyA].Locks; l[1].SecretHash = l[0].SecretHash },
		"no locks kept":  func(sn *Snapshot) { sn.Sides[PartyA].Locks = nil },
	} {
		sn := lp.receiver.Snapshot()
		tamper(&sn)
		if _, err := Restore(sn); err == nil {
			t.Errorf("%s: restore accepted a pending set that disagrees with its proof", name)
		}
	}
}
