package store

import (
	"fmt"
	"slices"

	"github.com/sluicepay/sluice/channel"
)

// LocksWithRoot finds, among payer's lock lists on id at every nonce from the prune floor
// on, the one whose root is root, and the lowest nonce that had it: the list the chain
// holds when all the node knows is the root settle recorded (the LocksHeld event), not
// the nonce of the proof (a reorganisation can leave that nonce wrong). A list only
// changes at a nonce that added or removed a lock, so only those are rebuilt. false when
// no list at or above the floor has that root.
func (s *Store) LocksWithRoot(id channel.ID, payer channel.Party, root [32]byte) ([]channel.Lock, uint64, bool, error) {
	rec, ts, floor, err := s.lockHistory(id, payer)
	if err != nil {
		return nil, 0, false, err
	}
	points := []uint64{floor}
	for _, n := range rec.Seqs {
		points = append(points, n)
	}
	for _, t := range ts {
		points = append(points, t.Added, t.Removed)
	}
	slices.Sort(points)
	points = slices.Compact(points)
	for _, n := range points {
		if n < floor {
			continue
		}
		locks, r, err := rebuildLocks(rec, ts, n)
		if err != nil {
			return nil, 0, false, s.corrupt(fmt.Errorf("rebuild locks of channel %s payer %s at nonce %d: %w", id, payer, n, err))
		}
		if r == root {
			return locks, n, true, nil
		}
	}
	return nil, 0, false, nil
}
