package store

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// Lock tombstones (ADR 0037). The partner may close with ANY older proof of ours, and the
// contract then holds for the unlock the exact list that proof commits to. So a lock of
// our own direction that is removed (unlocked, expired, cancelled) is not forgotten: its
// removal writes a tombstone, in the same Batch as the removing proof, keyed by the nonce
// that added it and carrying the nonce that removed it. The list of any of our proofs with
// a nonce at or above the prune floor is then LocksAt: the locks added at or before it and
// pending or removed after it, in creation order. Tombstones with removedNonce <= m are
// pruned once the partner endorsed our proof m (its updateProofFor overrides any older
// proof on chain); the floor records m. The partner's direction keeps no tombstones: for
// its locks we hold its latest proof and override older ones with updateProof.
const prefixTombstone byte = 't' // 't' id(32) payer(1) -> floor; + added(8) -> one tombstone

const (
	tombFloorKeyLen = 1 + 32 + 1
	tombKeyLen      = tombFloorKeyLen + 8
)

// ErrLocksPruned: the list asked for is older than the last checkpoint; the tombstones
// that rebuilt it are gone (the endorsed proof at the floor overrides it on chain).
var ErrLocksPruned = errors.New("lock list older than the last checkpoint")

// Tombstone is a removed lock of our own direction.
type Tombstone struct {
	Lock    channel.Lock
	Added   uint64 // the nonce of the proof that added it
	Removed uint64 // the nonce of the proof that removed it
}

func tombFloorKey(id channel.ID, payer channel.Party) []byte {
	k := make([]byte, 0, tombKeyLen)
	k = append(k, prefixTombstone)
	k = append(k, id[:]...)
	return append(k, byte(payer))
}

func tombKey(id channel.ID, payer channel.Party, added uint64) []byte {
	k := tombFloorKey(id, payer)
	return append(k, byte(added>>56), byte(added>>48), byte(added>>40), byte(added>>32),
		byte(added>>24), byte(added>>16), byte(added>>8), byte(added))
}

// putTombstone is PutLockChange's share for a removal of our own lock.
func (b *Batch) putTombstone(id channel.ID, payer channel.Party, t *Tombstone) {
	b.lb.Put(tombKey(id, payer, t.Added), encodeTombstone(t))
}

// PruneTombstones deletes payer's tombstones in channel id that were added at the nonces
// in added (the caller's list of those removed at or before through) and raises the
// floor to through: lists of proofs below it are no longer rebuilt. Put it in the batch
// that stores the partner's endorsement of our proof through.
func (b *Batch) PruneTombstones(id channel.ID, payer channel.Party, through uint64, added []uint64) error {
	if payer > channel.PartyB {
		return b.fail(fmt.Errorf("prune tombstones of channel %s: payer %d is not A or B", id, payer))
	}
	for _, a := range added {
		b.lb.Delete(tombKey(id, payer, a))
	}
	b.lb.Put(tombFloorKey(id, payer), encodeTombFloor(through))
	return nil
}

// DeleteTombstones deletes payer's tombstones in channel id that were added at the nonces
// in added (the caller's list of all of them) and the prune floor. Only for a settled
// channel whose held locks are paid out: no list of ours can be asked for any more (ADR
// 0040).
func (b *Batch) DeleteTombstones(id channel.ID, payer channel.Party, added []uint64) error {
	if payer > channel.PartyB {
		return b.fail(fmt.Errorf("delete tombstones of channel %s: payer %d is not A or B", id, payer))
	}
	for _, a := range added {
		b.lb.Delete(tombKey(id, payer, a))
	}
	b.lb.Delete(tombFloorKey(id, payer))
	return nil
}

// Tombstones returns payer's tombstones in channel id, by added nonce, and the prune
// floor (0: never pruned).
func (s *Store) Tombstones(id channel.ID, payer channel.Party) (ts []Tombstone, floor uint64, err error) {
	if payer > channel.PartyB {
		return nil, 0, fmt.Errorf("read tombstones of channel %s: payer %d is not A or B", id, payer)
	}
	ts, floor, bad, err := readTombstones(s.kv, id, payer)
	if err != nil {
		return nil, 0, wrapRead(fmt.Sprintf("tombstones of channel %s paid by %s", id, payer), s.translateReadError(err))
	}
	if bad != nil {
		return nil, 0, s.corrupt(bad)
	}
	return ts, floor, nil
}

func readTombstones(db kv.Backend, id channel.ID, payer channel.Party) (ts []Tombstone, floor uint64, bad, err error) {
	err = db.Scan(kv.PrefixRange(tombFloorKey(id, payer)), func(key, val []byte) error {
		if bad != nil {
			return nil
		}
		switch len(key) {
		case tombFloorKeyLen:
			floor, bad = decodeTombFloor(val)
		case tombKeyLen:
			t, derr := decodeTombstone(key[tombFloorKeyLen:], val)
			if derr != nil {
				bad = fmt.Errorf("decode tombstone of channel %s payer %s: %w", id, payer, derr)
				return nil
			}
			ts = append(ts, t)
		default:
			bad = fmt.Errorf("tombstone key of %d bytes", len(key))
		}
		return nil
	})
	return ts, floor, bad, err
}

// LocksAt rebuilds the lock list of payer's proof with nonce in channel id: the locks
// added at or before it that are pending or were removed after it, in creation order,
// with their LocksRoot. Only our own direction keeps tombstones, so only its past lists
// are complete; a nonce below the prune floor is ErrLocksPruned.
func (s *Store) LocksAt(id channel.ID, payer channel.Party, nonce uint64) ([]channel.Lock, [32]byte, error) {
	rec, ts, floor, err := s.lockHistory(id, payer)
	if err != nil {
		return nil, [32]byte{}, err
	}
	if nonce < floor {
		return nil, [32]byte{}, fmt.Errorf("locks of channel %s at nonce %d, floor %d: %w", id, nonce, floor, ErrLocksPruned)
	}
	locks, root, bad := rebuildLocks(rec, ts, nonce)
	if bad != nil {
		return nil, [32]byte{}, s.corrupt(fmt.Errorf("rebuild locks of channel %s payer %s at nonce %d: %w", id, payer, nonce, bad))
	}
	return locks, root, nil
}

// lockHistory reads what rebuilds payer's lock lists on id: its pending set, its
// tombstones and their prune floor.
func (s *Store) lockHistory(id channel.ID, payer channel.Party) (LockSetRecord, []Tombstone, uint64, error) {
	if payer > channel.PartyB {
		return LockSetRecord{}, nil, 0, fmt.Errorf("rebuild locks of channel %s: payer %d is not A or B", id, payer)
	}
	ts, floor, err := s.Tombstones(id, payer)
	if err != nil {
		return LockSetRecord{}, nil, 0, err
	}
	var r lockSetReader
	err = s.kv.Scan(kv.PrefixRange(locksKey(id, payer)), func(key, val []byte) error {
		r.add(key, val)
		return nil
	})
	if err != nil {
		return LockSetRecord{}, nil, 0, wrapRead(fmt.Sprintf("locks of channel %s paid by %s", id, payer), s.translateReadError(err))
	}
	rec, _, bad := r.finish(id, payer)
	if bad != nil {
		return LockSetRecord{}, nil, 0, s.corrupt(bad)
	}
	return rec, ts, floor, nil
}

// rebuildLocks merges the pending set and the tombstones into the list at nonce.
func rebuildLocks(pending LockSetRecord, ts []Tombstone, nonce uint64) ([]channel.Lock, [32]byte, error) {
	type seqLock struct {
		seq  uint64
		lock channel.Lock
	}
	var all []seqLock
	for i, l := range pending.Locks {
		if pending.Seqs[i] <= nonce {
			all = append(all, seqLock{pending.Seqs[i], l})
		}
	}
	for _, t := range ts {
		if t.Added <= nonce && t.Removed > nonce {
			all = append(all, seqLock{t.Added, t.Lock})
		}
	}
	slices.SortFunc(all, func(a, b seqLock) int { return cmp.Compare(a.seq, b.seq) })
	locks := make([]channel.Lock, len(all))
	for i, e := range all {
		if i > 0 && all[i-1].seq == e.seq {
			return nil, [32]byte{}, fmt.Errorf("two locks added at nonce %d", e.seq)
		}
		locks[i] = e.lock
	}
	if len(locks) > channel.MaxLocks {
		return nil, [32]byte{}, fmt.Errorf("%d locks at once: %w", len(locks), channel.ErrTooManyLocks)
	}
	root, err := channel.LocksRoot(locks)
	if err != nil {
		return nil, [32]byte{}, err
	}
	return locks, root, nil
}

// checkTombstoneRecord decodes a tombstone or floor record for Check.
func checkTombstoneRecord(rep *CheckReport, key, val []byte) error {
	if len(key) != tombFloorKeyLen && len(key) != tombKeyLen || key[33] > byte(channel.PartyB) {
		return fmt.Errorf("tombstone key of %d bytes", len(key))
	}
	if len(key) == tombFloorKeyLen {
		_, err := decodeTombFloor(val)
		return err
	}
	rep.Tombstones++
	_, err := decodeTombstone(key[tombFloorKeyLen:], val)
	return err
}
