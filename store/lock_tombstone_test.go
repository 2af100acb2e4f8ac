package store

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// tombModel is an independent model of one direction's history: the full list of every
// nonce, as a plain slice appended to and cut.
type tombModel struct {
	lists   map[uint64][]channel.Lock // the list of the proof with each nonce
	nonce   uint64
	removed map[uint64]uint64 // tombstones still stored: added -> removed
	floor   uint64
}

func (m *tombModel) at(n uint64) []channel.Lock {
	for ; n > 0; n-- {
		if l, ok := m.lists[n]; ok {
			return l
		}
	}
	return nil
}

// TestLocksAtRebuildsEveryPastListOfAModel drives our direction (Ours, so removals keep
// tombstones) and the partner's (no tombstones) of a channel through random adds and
// removals (unlock, expire, cancel), with direct payments' nonces skipped, prunes at
// random checkpoints and reopens the store now and then. After every commit, LocksAt of
// every nonce from the prune floor to the latest returns exactly the model's list of that
// nonce and its root; a nonce below the floor is ErrLocksPruned; Check accepts it all.
// It fails if PutLockChange keeps no tombstone, keeps it with the wrong nonces, or if a
// prune deletes a tombstone removed after the checkpoint.
func TestLocksAtRebuildsEveryPastListOfAModel(t *testing.T) {
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 37))
		s, _ := openTemp(t, Options{})
		ch := testChannelID(5)
		us, them := channel.PartyA, channel.PartyB
		m := &tombModel{lists: map[uint64][]channel.Lock{}, removed: map[uint64]uint64{}}
		seq := map[[32]byte]uint64{}
		secrets := map[[32]byte][32]byte{}
		var theirs []channel.Lock
		theirNonce := uint64(0)
		next := uint64(1)
		for round := range 200 {
			b := NewBatch()
			for range 1 + rng.IntN(3) {
				cur := m.at(m.nonce)
				m.nonce += 1 + uint64(rng.IntN(3))
				var u channel.LockUpdate
				c := LockChange{Nonce: m.nonce, Ours: true}
				if len(cur) == 0 || (len(cur) < 12 && rng.IntN(5) < 3) {
					sec := testSecret(next)
					next++
					l := channel.Lock{Amount: big.NewInt(int64(1 + rng.IntN(1<<20))), Expiration: uint64(rng.IntN(1 << 30)), SecretHash: channel.SecretHash(sec)}
					secrets[l.SecretHash] = sec
					seq[l.SecretHash] = m.nonce
					u = channel.AddLock(l)
					cur = append(cur[:len(cur):len(cur)], l)
				} else {
					i := rng.IntN(len(cur))
					l := cur[i]
					switch rng.IntN(3) {
					case 0:
						u = channel.Unlock(secrets[l.SecretHash])
					case 1:
						u = channel.ExpireLock(l.SecretHash)
					default:
						u = channel.CancelLock(l.SecretHash)
					}
					c.Removed, c.Added = l, seq[l.SecretHash]
					m.removed[c.Added] = m.nonce
					cur = append(cur[:i:i], cur[i+1:]...)
				}
				m.lists[m.nonce] = cur
				c.Root, c.Count, c.Update = mustLocksRoot(t, cur), len(cur), u
				if err := b.PutLockChange(ch, us, c); err != nil {
					t.Fatal(err)
				}
			}
			// The partner's direction: removals keep nothing.
			theirNonce++
			if len(theirs) == 0 || rng.IntN(2) == 0 {
				l := testLock(1000 + uint64(round))
				theirs = append(theirs, l)
				if err := b.PutLockChange(ch, them, LockChange{Nonce: theirNonce, Root: mustLocksRoot(t, theirs), Count: len(theirs), Update: channel.AddLock(l)}); err != nil {
					t.Fatal(err)
				}
			} else {
				h := theirs[0].SecretHash
				theirs = theirs[1:]
				if err := b.PutLockChange(ch, them, LockChange{Nonce: theirNonce, Root: mustLocksRoot(t, theirs), Count: len(theirs), Update: channel.ExpireLock(h)}); err != nil {
					t.Fatal(err)
				}
			}
			if rng.IntN(20) == 0 {
				// A checkpoint: the partner endorsed a proof of ours at or after the floor.
				through := m.floor + uint64(rng.IntN(int(m.nonce-m.floor)+1))
				var added []uint64
				for a, r := range m.removed {
					if r <= through {
						added = append(added, a)
						delete(m.removed, a)
					}
				}
				if err := b.PruneTombstones(ch, us, through, added); err != nil {
					t.Fatal(err)
				}
				m.floor = through
			}
			if err := s.Commit(t.Context(), b); err != nil {
				t.Fatal(err)
			}
			if rng.IntN(25) == 0 {
				s = reopen(t, s, Options{})
			}
			for n := m.floor; n <= m.nonce; n++ {
				got, root, err := s.LocksAt(ch, us, n)
				want := m.at(n)
				if err != nil || !sameLockList(got, want) || root != mustLocksRoot(t, want) {
					t.Fatalf("seed %d round %d: LocksAt(%d) = %d locks (err %v), model %d (floor %d, latest %d)", seed, round, n, len(got), err, len(want), m.floor, m.nonce)
				}
			}
			// LocksWithRoot finds any of those lists by its root alone (ADR 0037
			// amendment): the list, and the first nonce at or above the floor that had it.
			for range 3 {
				n := m.floor + uint64(rng.IntN(int(m.nonce-m.floor)+1))
				want := m.at(n)
				if len(want) == 0 {
					continue
				}
				root := mustLocksRoot(t, want)
				got, at, ok, err := s.LocksWithRoot(ch, us, root)
				if err != nil || !ok || !sameLockList(got, want) || at > n || at < m.floor || mustLocksRoot(t, m.at(at)) != root {
					t.Fatalf("seed %d round %d: LocksWithRoot(list of %d) = %d locks at %d, %v %v (floor %d)", seed, round, n, len(got), at, ok, err, m.floor)
				}
			}
			if _, _, ok, err := s.LocksWithRoot(ch, us, [32]byte{1, 2, 3}); ok || err != nil {
				t.Fatalf("seed %d: a root no list has was found (%v)", seed, err)
			}
			if m.floor > 0 {
				if _, _, err := s.LocksAt(ch, us, m.floor-1); !errors.Is(err, ErrLocksPruned) {
					t.Fatalf("seed %d: LocksAt below the floor %d: %v, want ErrLocksPruned", seed, m.floor, err)
				}
			}
			ts, floor, err := s.Tombstones(ch, us)
			if err != nil || len(ts) != len(m.removed) || floor != m.floor {
				t.Fatalf("seed %d round %d: %d tombstones floor %d (%v), model %d floor %d", seed, round, len(ts), floor, err, len(m.removed), m.floor)
			}
			if ts, _, _ := s.Tombstones(ch, them); len(ts) != 0 {
				t.Fatalf("the partner's direction kept %d tombstones", len(ts))
			}
		}
		rep, err := s.Check()
		if err != nil || rep.BadCount != 0 || rep.Tombstones != len(m.removed) {
			t.Fatalf("seed %d: check %+v, %v; model %d tombstones", seed, rep, err, len(m.removed))
		}
		s.Close()
	}
}

// A removal of ours whose tombstone does not describe the lock removed is refused and
// poisons the batch: nothing of it reaches disk.
func TestTombstoneOfAnotherLockIsRefused(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(6)
	l1, l2 := testLock(1), testLock(2)
	commit(t, s, func(b *Batch) error {
		return b.PutLockChange(ch, channel.PartyA, LockChange{Nonce: 1, Root: mustLocksRoot(t, []channel.Lock{l1}), Count: 1, Update: channel.AddLock(l1), Ours: true})
	})
	bad := []LockChange{
		{Nonce: 2, Update: channel.ExpireLock(l1.SecretHash), Ours: true, Removed: l2, Added: 1},
		{Nonce: 2, Update: channel.ExpireLock(l1.SecretHash), Ours: true, Removed: l1, Added: 2},
		{Nonce: 2, Update: channel.ExpireLock(l1.SecretHash), Ours: true, Removed: channel.Lock{SecretHash: l1.SecretHash, Amount: new(big.Int)}, Added: 1},
	}
	for i, c := range bad {
		b := NewBatch()
		if err := b.PutLockChange(ch, channel.PartyA, c); err == nil {
			t.Fatalf("case %d: accepted", i)
		}
		if err := s.Commit(t.Context(), b); err == nil {
			t.Fatalf("case %d: a poisoned batch committed", i)
		}
	}
	if ts, _, err := s.Tombstones(ch, channel.PartyA); err != nil || len(ts) != 0 {
		t.Fatalf("tombstones after refused changes: %d, %v", len(ts), err)
	}
	if got, _, err := s.LocksAt(ch, channel.PartyA, 5); err != nil || !sameLockList(got, []channel.Lock{l1}) {
		t.Fatalf("list after refused changes: %v, %v", got, err)
	}
}

// A damaged tombstone is a CorruptError for LocksAt and a bad record for Check.
func TestDamagedTombstoneIsReported(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(7)
	l := testLock(1)
	commit(t, s, func(b *Batch) error {
		return b.PutLockChange(ch, channel.PartyA, LockChange{Nonce: 1, Root: mustLocksRoot(t, []channel.Lock{l}), Count: 1, Update: channel.AddLock(l), Ours: true})
	})
	commit(t, s, func(b *Batch) error {
		return b.PutLockChange(ch, channel.PartyA, LockChange{Nonce: 2, Update: channel.ExpireLock(l.SecretHash), Ours: true, Removed: l, Added: 1})
	})
	if got, _, err := s.LocksAt(ch, channel.PartyA, 1); err != nil || !sameLockList(got, []channel.Lock{l}) {
		t.Fatalf("list of nonce 1: %v, %v", got, err)
	}
	var raw kv.Batch
	raw.Put(tombKey(ch, channel.PartyA, 1), []byte{1, 2, 3})
	if _, err := s.kv.Write([]*kv.Batch{&raw}); err != nil {
		t.Fatal(err)
	}
	var ce *CorruptError
	if _, _, err := s.LocksAt(ch, channel.PartyA, 1); !errors.As(err, &ce) {
		t.Fatalf("damaged tombstone: %v, want a CorruptError", err)
	}
	if rep, err := s.Check(); err != nil || rep.BadCount != 1 {
		t.Fatalf("check: %+v, %v", rep, err)
	}
}

// FuzzDecodeTombstone: whatever decodes re-encodes to the same bytes and is a lock
// removed after it was added.
func FuzzDecodeTombstone(f *testing.F) {
	t0 := Tombstone{Lock: testLock(1), Added: 3, Removed: 9}
	f.Add(tombKey(testChannelID(1), channel.PartyA, 3)[tombFloorKeyLen:], encodeTombstone(&t0))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1}, []byte{})
	f.Add([]byte{}, encodeTombFloor(7))
	f.Fuzz(func(t *testing.T, key, b []byte) {
		if tb, err := decodeTombstone(key, b); err == nil {
			if tb.Removed <= tb.Added || tb.Lock.Amount.Sign() <= 0 {
				t.Fatalf("accepted %+v", tb)
			}
			if !bytes.Equal(encodeTombstone(&tb), b) {
				t.Fatalf("tombstone re-encodes differently: %x", b)
			}
		}
		if floor, err := decodeTombFloor(b); err == nil && !bytes.Equal(encodeTombFloor(floor), b) {
			t.Fatalf("floor re-encodes differently: %x", b)
		}
		var rep CheckReport
		_ = checkTombstoneRecord(&rep, append([]byte{prefixTombstone}, key...), b)
	})
}
