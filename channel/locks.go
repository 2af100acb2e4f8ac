package channel

import (
	"fmt"
	"math/big"
)

// The pending locks of a direction live in its Side: Side.Locks in creation order, and
// the latest proof's Locked (their sum, nil for none) and LocksRoot (LocksRoot(Locks)).
// Every rule keeps the three in step; locks_update.go holds the transitions.

// Locks returns a copy of the locks payer has pending, in creation order.
func (s *State) Locks(payer Party) []Lock { return copyLocks(s.sides[payer&1].Locks) }

// LockCount is the number of locks payer has pending.
func (s *State) LockCount(payer Party) int { return len(s.sides[payer&1].Locks) }

// Locked is the sum of payer's pending locks (a fresh zero when none).
func (s *State) Locked(payer Party) *big.Int { return copyInt(s.sides[payer&1].Sent.Locked) }

// PendingLock returns payer's pending lock on secretHash, if there is one.
func (s *State) PendingLock(payer Party, secretHash [32]byte) (Lock, bool) {
	locks := s.sides[payer&1].Locks
	if i := lockIndex(locks, secretHash); i >= 0 {
		return copyLock(locks[i]), true
	}
	return Lock{}, false
}

// ExpiredLocks lists payer's pending locks that may be removed at chain time now (their
// expiration is before now), oldest first.
func (s *State) ExpiredLocks(payer Party, now uint64) []Lock {
	var out []Lock
	for _, l := range s.sides[payer&1].Locks {
		if now > l.Expiration {
			out = append(out, copyLock(l))
		}
	}
	return out
}

func lockIndex(locks []Lock, secretHash [32]byte) int {
	for i := range locks {
		if locks[i].SecretHash == secretHash {
			return i
		}
	}
	return -1
}

// withoutLock returns a fresh slice of locks minus the one at i, order kept.
func withoutLock(locks []Lock, i int) []Lock {
	out := make([]Lock, 0, len(locks)-1)
	out = append(out, locks[:i]...)
	return append(out, locks[i+1:]...)
}

func copyLock(l Lock) Lock {
	l.Amount = copyInt(l.Amount)
	return l
}

func copyLocks(locks []Lock) []Lock {
	if len(locks) == 0 {
		return nil
	}
	out := make([]Lock, len(locks))
	for i, l := range locks {
		out[i] = copyLock(l)
	}
	return out
}

// copyLocked copies a proof's Locked, keeping nil for zero so that a lock-free proof
// stays allocation-free.
func copyLocked(x *big.Int) *big.Int {
	if x == nil || x.Sign() == 0 {
		return nil
	}
	return new(big.Int).Set(x)
}

// sameAmount compares two amounts where nil means zero.
func sameAmount(a, b *big.Int) bool {
	switch {
	case a == nil && b == nil:
		return true
	case a == nil:
		return b.Sign() == 0
	case b == nil:
		return a.Sign() == 0
	}
	return a.Cmp(b) == 0
}

// checkLockSet validates a whole pending set against the proof that commits to it: at
// most MaxLocks, positive uint128 amounts, distinct secret hashes, sum == locked and
// root == LocksRoot(locks). Restore and the store's reader use it.
func checkLockSet(locks []Lock, locked *big.Int, root [32]byte) error {
	if len(locks) > MaxLocks {
		return fmt.Errorf("%d pending locks, at most %d: %w", len(locks), MaxLocks, ErrTooManyLocks)
	}
	sum := new(big.Int)
	for i, l := range locks {
		if err := checkLockAmount(l.Amount); err != nil {
			return fmt.Errorf("lock %d: %w", i, err)
		}
		if lockIndex(locks[:i], l.SecretHash) >= 0 {
			return fmt.Errorf("lock %d secret hash %x: %w", i, l.SecretHash, ErrDuplicateLock)
		}
		sum.Add(sum, l.Amount)
	}
	if !sameAmount(sum, locked) {
		return fmt.Errorf("locks sum to %s, proof locks %v: %w", sum, locked, ErrLocksMismatch)
	}
	got, err := LocksRoot(locks)
	if err != nil {
		return err
	}
	if got != root {
		return fmt.Errorf("locks hash to %x, proof root %x: %w", got, root, ErrLocksMismatch)
	}
	return nil
}

// checkLockAmount: a lock moves a positive amount the contract can store (uint128).
func checkLockAmount(x *big.Int) error {
	if err := checkAmount("lock amount", x); err != nil {
		return err
	}
	if x.Sign() == 0 {
		return fmt.Errorf("lock amount 0: %w", ErrInvalidAmount)
	}
	return nil
}

// noPendingLocks refuses a cooperative settlement while a lock is undecided: splitting
// its amount by the payer's balance would let the payer escape a lock whose secret the
// receiver may already know.
func (s *State) noPendingLocks() error {
	for _, p := range [...]Party{PartyA, PartyB} {
		if n := len(s.sides[p].Locks); n > 0 {
			return fmt.Errorf("channel %s: party %s has %d pending locks: %w", s.params.ID, p, n, ErrLocksPending)
		}
	}
	return nil
}
