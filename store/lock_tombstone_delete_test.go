package store

import (
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// countKeys counts the keys under prefix on the store's leveldb.
func countKeys(t *testing.T, s *Store, prefix []byte) int {
	t.Helper()
	n := 0
	if err := s.kv.Scan(kv.PrefixRange(prefix), func(_, _ []byte) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// DeleteTombstones removes a direction's tombstones and its prune floor, on disk, and
// nothing of another direction or channel.
func TestDeleteTombstonesLeavesNoKeyOfTheDirection(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch, other := testChannelID(1), testChannelID(2)
	commit(t, s, func(b *Batch) error {
		for i, id := range []channel.ID{ch, other} {
			for a := uint64(1); a <= 3; a++ {
				b.putTombstone(id, channel.PartyA, &Tombstone{Lock: testLock(uint64(10*i) + a), Added: a, Removed: a + 10})
			}
		}
		b.putTombstone(ch, channel.PartyB, &Tombstone{Lock: testLock(30), Added: 4, Removed: 5})
		return b.PruneTombstones(ch, channel.PartyA, 2, nil) // a floor key too
	})
	s = reopen(t, s, Options{})
	if n := countKeys(t, s, tombFloorKey(ch, channel.PartyA)); n != 4 {
		t.Fatalf("before: %d keys of the direction, want 3 tombstones and the floor", n)
	}
	commit(t, s, func(b *Batch) error { return b.DeleteTombstones(ch, channel.PartyA, []uint64{1, 2, 3}) })
	s = reopen(t, s, Options{})
	if n := countKeys(t, s, tombFloorKey(ch, channel.PartyA)); n != 0 {
		t.Fatalf("after: %d keys of the direction left", n)
	}
	if n := countKeys(t, s, tombFloorKey(ch, channel.PartyB)); n != 1 {
		t.Fatalf("the other direction keeps %d keys, want 1", n)
	}
	if n := countKeys(t, s, tombFloorKey(other, channel.PartyA)); n != 3 {
		t.Fatalf("the other channel keeps %d keys, want 3", n)
	}
	if ts, floor, err := s.Tombstones(ch, channel.PartyA); err != nil || len(ts) != 0 || floor != 0 {
		t.Fatalf("tombstones read back: %+v floor %d, %v", ts, floor, err)
	}
	if err := NewBatch().DeleteTombstones(ch, 2, nil); err == nil {
		t.Fatal("a payer that is not A or B accepted")
	}
}
