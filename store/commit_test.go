package store

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

func TestLoneWriterIsWrittenAtOnceWithOneSyncPerCommit(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	for i := uint64(1); i <= 20; i++ {
		if err := commitPayment(s, ch, i); err != nil {
			t.Fatal(err)
		}
	}
	st := s.Stats()
	if st.Commits != 20 || st.Syncs != 20 || st.Entries != 60 {
		t.Fatalf("stats %+v, want 20 commits, 20 syncs, 60 entries", st)
	}
}

func TestEmptyBatchCommitsWithoutSync(t *testing.T) {
	s, _ := openTemp(t, Options{})
	if err := s.Commit(context.Background(), NewBatch()); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Syncs != 0 {
		t.Fatalf("empty batch cost %d syncs", st.Syncs)
	}
}

// holdFirstSync starts one commit, waits until its fsync is in flight and returns the
// channel its result arrives on.
func holdFirstSync(t *testing.T, s *Store, faults *faultStorage, ch channel.ID) (first <-chan error, release chan<- struct{}) {
	t.Helper()
	entered, rel := faults.holdSyncs()
	res := make(chan error, 1)
	go func() { res <- commitPayment(s, ch, 1) }()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("first commit never reached fsync")
	}
	return res, rel
}

func TestWritersArrivingDuringAnFsyncShareTheNextOne(t *testing.T) {
	faults := &faultStorage{}
	s, _ := openTemp(t, withFaults(faults, Options{}))
	ch := testChannelID(1)
	first, release := holdFirstSync(t, s, faults, ch)
	const followers = 40
	var wg sync.WaitGroup
	errs := make(chan error, followers)
	for i := uint64(2); i < 2+followers; i++ {
		wg.Go(func() { errs <- commitPayment(s, ch, i) })
	}
	waitQueued(t, s.committer, followers)
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if st := s.Stats(); st.Syncs != 2 || st.Commits != followers+1 {
		t.Fatalf("stats %+v: want the %d followers merged into one sync after the first", st, followers)
	}
	if got := collectPayments(t, s, ch, PaymentQuery{Limit: MaxPageSize}); len(got) != followers+1 {
		t.Fatalf("%d payments stored, want %d", len(got), followers+1)
	}
}

func TestGroupsStayWithinConfiguredBounds(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cfg       CommitConfig
		wantSyncs uint64 // 1 for the held commit + groups for the 12 queued ones
	}{
		{"entries: 3 payments of 3 keys per group", CommitConfig{MaxGroupEntries: 9}, 1 + 4},
		{"bytes: room for 4 payments per group", CommitConfig{MaxGroupBytes: 4*paymentBatchSize() + 10}, 1 + 3},
		{"a cap below one batch still writes each alone", CommitConfig{MaxGroupBytes: 1}, 1 + 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			faults := &faultStorage{}
			s, _ := openTemp(t, withFaults(faults, Options{Commit: tc.cfg}))
			ch := testChannelID(1)
			first, release := holdFirstSync(t, s, faults, ch)
			var wg sync.WaitGroup
			for i := uint64(2); i <= 13; i++ {
				wg.Go(func() {
					if err := commitPayment(s, ch, i); err != nil {
						t.Error(err)
					}
				})
			}
			waitQueued(t, s.committer, 12)
			close(release)
			wg.Wait()
			<-first
			if st := s.Stats(); st.Syncs != tc.wantSyncs || st.Commits != 13 {
				t.Fatalf("stats %+v, want %d syncs for 13 commits", st, tc.wantSyncs)
			}
		})
	}
}

func paymentBatchSize() int {
	b := NewBatch()
	_ = putPayment(b, testChannelID(1), 1)
	return b.Size()
}

func TestCommitConfigRejectsNegativeAndHugeBounds(t *testing.T) {
	for _, cfg := range []CommitConfig{{MaxGroupBytes: -1}, {MaxGroupEntries: -1}, {MaxDelay: -1}, {MaxDelay: time.Hour}} {
		if _, err := Open(t.TempDir(), Options{Commit: cfg}); err == nil {
			t.Fatalf("config %+v accepted", cfg)
		}
	}
}

func TestCommitCancelledWhileQueuedIsNeverWritten(t *testing.T) {
	faults := &faultStorage{}
	s, _ := openTemp(t, withFaults(faults, Options{}))
	ch := testChannelID(1)
	first, release := holdFirstSync(t, s, faults, ch)
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	go func() {
		b := NewBatch()
		_ = putPayment(b, ch, 2)
		res <- s.Commit(ctx, b)
	}()
	waitQueued(t, s.committer, 1)
	cancel()
	if err := <-res; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled commit: %v, want context.Canceled", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := commitPayment(s, ch, 3); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.GetPayment(testPaymentID(2)); ok {
		t.Fatal("a commit cancelled before it was taken was written")
	}
	if st := s.Stats(); st.Commits != 2 {
		t.Fatalf("stats %+v, want 2 acknowledged commits", st)
	}
}

func TestCloseStopsCommitterAndFailsQueuedCommitsWithErrClosed(t *testing.T) {
	baseline := runtime.NumGoroutine()
	faults := &faultStorage{}
	dir := t.TempDir()
	s, err := Open(dir, withFaults(faults, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	ch := testChannelID(1)
	first, release := holdFirstSync(t, s, faults, ch)
	queued := make(chan error, 1)
	go func() { queued <- commitPayment(s, ch, 2) }()
	waitQueued(t, s.committer, 1)

	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	if err := <-queued; !errors.Is(err, ErrClosed) {
		t.Fatalf("queued commit: %v, want ErrClosed", err)
	}
	select {
	case <-closed:
		t.Fatal("Close returned while a write was still in flight")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("in-flight commit: %v, want it to finish", err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.committer.stopped:
	default:
		t.Fatal("committer goroutine still running after Close")
	}
	if err := commitPayment(s, ch, 3); !errors.Is(err, ErrClosed) {
		t.Fatalf("commit after close: %v, want ErrClosed", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before Open:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestConcurrentWritersAllLandAndShareSyncs(t *testing.T) {
	s, _ := openTemp(t, Options{})
	const writers, each = 32, 40
	// A reader pages through the log while it grows; every page it sees must be whole.
	stopReading := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			select {
			case <-stopReading:
				return
			default:
			}
			page, err := s.ListPayments(testChannelID(0), PaymentQuery{Limit: MaxPageSize})
			if err != nil {
				t.Error(err)
				return
			}
			for i, p := range page.Payments {
				if p.Nonce != uint64(i+1) {
					t.Errorf("reader saw nonce %d at position %d: a commit became visible out of order", p.Nonce, i)
					return
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			ch := testChannelID(uint64(w))
			for i := 1; i <= each; i++ {
				if err := commitPayment(s, ch, uint64(w*each+i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stopReading)
	<-readerDone
	st := s.Stats()
	if st.Commits != writers*each || st.Entries != 3*writers*each {
		t.Fatalf("stats %+v, want %d commits", st, writers*each)
	}
	if st.Syncs >= st.Commits {
		t.Fatalf("stats %+v: %d concurrent writers never shared an fsync", st, writers)
	}
	for w := range writers {
		if got := collectPayments(t, s, testChannelID(uint64(w)), PaymentQuery{Limit: MaxPageSize}); len(got) != each {
			t.Fatalf("writer %d: %d payments stored, want %d", w, len(got), each)
		}
	}
}

func TestEveryAcknowledgedCommitFollowsAJournalFsync(t *testing.T) {
	faults := &faultStorage{}
	s, _ := openTemp(t, withFaults(faults, Options{}))
	faults.mu.Lock()
	atOpen := faults.syncs // Open's synced schema stamp
	faults.mu.Unlock()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := 1; i <= 25; i++ {
				if err := commitPayment(s, testChannelID(uint64(w)), uint64(w*100+i)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	faults.mu.Lock()
	journalSyncs := faults.syncs - atOpen
	faults.mu.Unlock()
	if st := s.Stats(); uint64(journalSyncs) != st.Syncs || st.Commits != 200 {
		t.Fatalf("%d journal fsyncs reached the disk, stats %+v: every counted sync must be a real fsync", journalSyncs, st)
	}
}

func TestSubmitPipelinesOneWritersBatchesInOrder(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	const inFlight = 64
	var pending []<-chan error
	for i := uint64(1); i <= inFlight; i++ {
		b := NewBatch()
		if err := putPayment(b, ch, i); err != nil {
			t.Fatal(err)
		}
		pending = append(pending, s.Submit(b))
	}
	for i, done := range pending {
		if err := <-done; err != nil {
			t.Fatalf("batch %d: %v", i+1, err)
		}
	}
	st := s.Stats()
	if st.Commits != inFlight || st.Syncs >= inFlight {
		t.Fatalf("stats %+v: %d batches in flight from one goroutine should share fsyncs", st, inFlight)
	}
	p, _, err := s.GetProof(ch, channel.PartyA)
	if err != nil || p.Nonce != inFlight {
		t.Fatalf("latest proof nonce %d (%v), want %d: batches applied out of order", p.Nonce, err, inFlight)
	}
}

func TestSubmitReportsUnwritableBatchesAtOnce(t *testing.T) {
	s, _ := openTemp(t, Options{})
	if err := <-s.Submit(NewBatch()); err != nil {
		t.Fatalf("empty batch: %v", err)
	}
	bad := NewBatch()
	_ = bad.PutMeta("", "k", nil)
	if err := <-s.Submit(bad); err == nil {
		t.Fatal("poisoned batch accepted")
	}
	s.Close()
	b := NewBatch()
	_ = putPayment(b, testChannelID(1), 1)
	if err := <-s.Submit(b); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v, want ErrClosed", err)
	}
}
