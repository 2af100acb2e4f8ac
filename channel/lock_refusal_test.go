package channel

import (
	"errors"
	"testing"
)

// TestCancelOnlyARefusedLock: a payer's cancel (an early removal) of a lock its receiver
// never refused is rejected and changes nothing; once the receiver marked it refused the
// same proof is accepted at any time before the expiration; the mark goes with the lock,
// so a new lock on the same hash cannot be cancelled on the old refusal.
func TestCancelOnlyARefusedLock(t *testing.T) {
	lp := newLockPair(t, 100, 0)
	l := lockN(1, 30, 2_000)
	lp.step(t, AddLock(l))
	cancel := CancelLock(l.SecretHash)

	// The cheating payer marks its own copy (it can: its State is its own) and signs.
	cheat := lp.payer.Clone()
	if err := cheat.MarkLockRefused(PartyA, l.SecretHash); err != nil {
		t.Fatal(err)
	}
	p, err := cheat.PrepareLockUpdate(PartyA, cancel, lp.now, lp.f.signers[PartyA])
	if err != nil {
		t.Fatalf("payer side prepare with its mark: %v", err)
	}
	before := lp.receiver.Clone()
	if _, err := lp.receiver.ApplyLockUpdate(PartyA, cancel, p, lp.now); !errors.Is(err, ErrLockNotExpired) {
		t.Fatalf("cancel of a lock the receiver never refused: %v, want ErrLockNotExpired", err)
	}
	if d := stateDiff(before, lp.receiver); d != "" {
		t.Fatalf("rejected cancel changed the receiver: %s", d)
	}
	// Without the payer's own mark the honest payer cannot even build it.
	if _, err := lp.payer.PrepareLockUpdate(PartyA, cancel, lp.now, lp.f.signers[PartyA]); !errors.Is(err, ErrLockNotExpired) {
		t.Fatalf("prepare cancel without a refusal: %v", err)
	}
	// An unknown lock cannot be marked.
	if err := lp.receiver.MarkLockRefused(PartyA, [32]byte{7}); !errors.Is(err, ErrUnknownLock) {
		t.Fatalf("mark an unknown lock: %v", err)
	}

	// The receiver refuses; the payer learns it; the cancel goes through long before 2_000.
	for _, s := range []*State{lp.receiver, lp.payer} {
		if err := s.MarkLockRefused(PartyA, l.SecretHash); err != nil {
			t.Fatal(err)
		}
	}
	lp.step(t, cancel)
	if lp.payer.Locked(PartyA).Sign() != 0 || lp.receiver.LockRefused(PartyA, l.SecretHash) || lp.payer.LockRefused(PartyA, l.SecretHash) {
		t.Fatal("the cancelled lock or its refusal mark is still there")
	}
	if got := lp.payer.Spendable(PartyA).Int64(); got != 100 {
		t.Fatalf("payer spendable after cancel %d, want 100", got)
	}
	// A new lock on the same hash is a new decision: no stale mark lets it go early.
	lp.step(t, AddLock(l))
	p2, err := cheat.Clone().PrepareLockUpdate(PartyA, cancel, lp.now, lp.f.signers[PartyA])
	if err == nil {
		if _, err := lp.receiver.ApplyLockUpdate(PartyA, cancel, p2, lp.now); !errors.Is(err, ErrLockNotExpired) && !errors.Is(err, ErrStaleNonce) {
			t.Fatalf("cancel of a re-added lock on an old refusal: %v", err)
		}
	}
	if _, ok := lp.receiver.PendingLock(PartyA, l.SecretHash); !ok {
		t.Fatal("re-added lock gone")
	}
	// After its expiration the old rule still removes an unrefused lock.
	lp.now = 2_001
	lp.step(t, ExpireLock(l.SecretHash))
}
