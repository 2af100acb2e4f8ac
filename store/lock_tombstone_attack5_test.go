package store

import (
	"io/fs"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// dirSize is the bytes of the files under dir.
func dirSize(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAttack5TenThousandTombstonesStayCheapToKeepAndRebuild: a partner that endorses
// no checkpoint while we add and remove 10,000 locks (the node caps a channel at
// MaxTombstones, default 4096; this is over twice that). Each tombstone must stay small
// on disk (the db, after a reopen, grows by under 512 bytes a tombstone) and LocksAt at
// a close, which reads them all, must rebuild the right list quickly (8 rebuilds
// under 5 s in all, one under 1 s: generous, the machine is shared) and Check must
// accept them all. Fails if a tombstone kept the whole list, or if the rebuild were
// quadratic in the tombstones.
func TestAttack5TenThousandTombstonesStayCheapToKeepAndRebuild(t *testing.T) {
	const n = 10_000
	s, dir := openTemp(t, Options{})
	ch := testChannelID(9)
	before := dirSize(t, dir)
	var locks []channel.Lock
	for i := 0; i < n; i += 100 {
		b := NewBatch()
		for j := i; j < i+100; j++ {
			sec := testSecret(uint64(j + 1))
			l := channel.Lock{Amount: big.NewInt(int64(j + 1)), Expiration: uint64(1 << 30), SecretHash: channel.SecretHash(sec)}
			locks = append(locks, l)
			add := uint64(2*j + 1)
			if err := b.PutLockChange(ch, channel.PartyA, LockChange{Nonce: add, Ours: true, Root: mustLocksRoot(t, []channel.Lock{l}), Count: 1, Update: channel.AddLock(l)}); err != nil {
				t.Fatal(err)
			}
			if err := b.PutLockChange(ch, channel.PartyA, LockChange{Nonce: add + 1, Ours: true, Count: 0, Update: channel.Unlock(sec), Removed: l, Added: add}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Commit(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	s = reopen(t, s, Options{})
	ts, _, err := s.Tombstones(ch, channel.PartyA)
	if err != nil || len(ts) != n {
		t.Fatalf("%d tombstones kept, %v; want %d", len(ts), err, n)
	}
	start := time.Now()
	var slowest time.Duration
	for _, k := range []int{0, 1, n / 2, n - 1} {
		t0 := time.Now()
		got, _, err := s.LocksAt(ch, channel.PartyA, uint64(2*k+1))
		slowest = max(slowest, time.Since(t0))
		if err != nil || len(got) != 1 || got[0].SecretHash != locks[k].SecretHash {
			t.Fatalf("LocksAt(%d) = %d locks, %v; want lock %d", 2*k+1, len(got), err, k)
		}
		if got, _, err := s.LocksAt(ch, channel.PartyA, uint64(2*k+2)); err != nil || len(got) != 0 {
			t.Fatalf("LocksAt(%d) = %d locks, %v; want none", 2*k+2, len(got), err)
		}
	}
	all := time.Since(start)
	rep, err := s.Check()
	if err != nil || rep.Tombstones != n {
		t.Fatalf("db check: %+v, %v", rep, err)
	}
	perTomb := (dirSize(t, dir) - before) / n
	t.Logf("%d tombstones: %d bytes each on disk (with the lock records' churn), slowest LocksAt %v, 8 rebuilds %v", n, perTomb, slowest, all)
	if perTomb > 512 || slowest > time.Second || all > 5*time.Second {
		t.Fatalf("%d bytes a tombstone, slowest rebuild %v, all %v; want < 512 bytes, < 1 s, < 5 s", perTomb, slowest, all)
	}
}
