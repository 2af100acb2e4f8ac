package store

import (
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/opt"
)

func TestMaxDelayLetsLoneWritersShareOneSync(t *testing.T) {
	s, _ := openTemp(t, Options{Commit: CommitConfig{MaxDelay: 200 * time.Millisecond}})
	ch := testChannelID(1)
	var wg sync.WaitGroup
	for i := uint64(1); i <= 3; i++ {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * 10 * time.Millisecond)
			if err := commitPayment(s, ch, i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if st := s.Stats(); st.Syncs != 1 || st.Commits != 3 {
		t.Fatalf("stats %+v, want 3 commits in one sync", st)
	}
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

func TestLoneCommitCostsNoMoreThanOneSyncedLeveldbWrite(t *testing.T) {
	raw, err := leveldb.OpenFile(filepath.Join(t.TempDir(), "raw"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	b := NewBatch()
	_ = putPayment(b, ch, 1)
	b.seal()
	var lb leveldb.Batch
	if err := b.lb.Replay(lb.Put, lb.Delete); err != nil {
		t.Fatal(err)
	}
	syncWrite := &opt.WriteOptions{Sync: true}

	// Interleaved, so both see the same disk contention from whatever else runs.
	const n = 31
	var rawTimes, storeTimes []time.Duration
	for i := range n {
		start := time.Now()
		if err := raw.Write(&lb, syncWrite); err != nil {
			t.Fatal(err)
		}
		rawTimes = append(rawTimes, time.Since(start))
		start = time.Now()
		if err := commitPayment(s, ch, uint64(i+1)); err != nil {
			t.Fatal(err)
		}
		storeTimes = append(storeTimes, time.Since(start))
	}
	rawMedian, storeMedian := median(rawTimes), median(storeTimes)
	// Generous bounds for a shared CI disk; a committer that lingered for company even a
	// few milliseconds would fail them.
	if limit := 3*rawMedian + 2*time.Millisecond; storeMedian > limit {
		t.Fatalf("lone commit median %s, synced leveldb write median %s: the committer adds latency", storeMedian, rawMedian)
	}
	t.Logf("lone commit median %s, raw synced write median %s", storeMedian, rawMedian)
}

func TestLingeringGroupStillRespectsTheEntryBound(t *testing.T) {
	s, _ := openTemp(t, Options{Commit: CommitConfig{MaxDelay: 100 * time.Millisecond, MaxGroupEntries: 9}})
	ch := testChannelID(1)
	submit := func(n uint64) <-chan error {
		b := NewBatch()
		_ = putPayment(b, ch, n)
		return s.Submit(b)
	}
	pending := []<-chan error{submit(1)}
	waitQueued(t, s.committer, 0) // payment 1 is in a lingering group
	for n := uint64(2); n <= 7; n++ {
		pending = append(pending, submit(n))
	}
	for _, done := range pending {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// 3 keys per payment, at most 9 per group: {1,2,3} {4,5,6} {7}.
	if st := s.Stats(); st.Syncs != 3 || st.Commits != 7 {
		t.Fatalf("stats %+v, want 3 syncs: a lingering group must not outgrow MaxGroupEntries", st)
	}
}

func TestCloseDuringLingerFailsTheUnwrittenGroupPromptly(t *testing.T) {
	s, _ := openTemp(t, Options{Commit: CommitConfig{MaxDelay: time.Second}})
	ch := testChannelID(1)
	b := NewBatch()
	_ = putPayment(b, ch, 1)
	res := s.Submit(b) // queued on return
	waitQueued(t, s.committer, 0)
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-res; !errors.Is(err, ErrClosed) {
		t.Fatalf("lingering commit: %v, want ErrClosed", err)
	}
	if waited := time.Since(start); waited > 500*time.Millisecond {
		t.Fatalf("Close waited %s for the linger to run out", waited)
	}
	s2, err := Open(s.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, ok, _ := s2.GetPayment(testPaymentID(1)); ok {
		t.Fatal("a commit that failed with ErrClosed was written")
	}
}
