package channel

import "fmt"

// A receiver that will not forward or accept a pending lock refuses it (ADR 0026): from
// then on the payer may remove it before its expiration (LockCancel). The mark lives in
// the State of both ends: the receiver sets it for the partner's direction once its
// refusal is durable (and never forwards or claims that lock afterwards); the payer sets
// it for its own direction when the receiver's refusal arrives. Nothing else sets it, and
// it is dropped with the lock, so a later lock on the same hash starts unrefused.

// MarkLockRefused records that the receiver of payer's pending lock on secretHash refused
// it. ErrUnknownLock when no such lock is pending.
func (s *State) MarkLockRefused(payer Party, secretHash [32]byte) error {
	if err := checkParty(payer); err != nil {
		return err
	}
	if lockIndex(s.sides[payer].Locks, secretHash) < 0 {
		return fmt.Errorf("channel %s: refuse lock %x: %w", s.params.ID, secretHash, ErrUnknownLock)
	}
	if s.refused[payer] == nil {
		s.refused[payer] = make(map[[32]byte]struct{})
	}
	s.refused[payer][secretHash] = struct{}{}
	return nil
}

// LockRefused reports whether payer's pending lock on secretHash is marked refused.
func (s *State) LockRefused(payer Party, secretHash [32]byte) bool {
	_, ok := s.refused[payer&1][secretHash]
	return ok
}

// pruneRefusals drops the marks of locks no longer pending in payer's direction.
func (s *State) pruneRefusals(payer Party) {
	for h := range s.refused[payer] {
		if lockIndex(s.sides[payer].Locks, h) < 0 {
			delete(s.refused[payer], h)
		}
	}
}

func copyRefusals(r [2]map[[32]byte]struct{}) [2]map[[32]byte]struct{} {
	var out [2]map[[32]byte]struct{}
	for i := range r {
		if len(r[i]) == 0 {
			continue
		}
		out[i] = make(map[[32]byte]struct{}, len(r[i]))
		for h := range r[i] {
			out[i][h] = struct{}{}
		}
	}
	return out
}
