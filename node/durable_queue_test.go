package node

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sluicepay/sluice/store"
)

// A write queued with a dependency (the group of an earlier write it must not outrun,
// ADR 0034) is performed only if every group from that one on was durable: a mediator's
// forwarded lock never leaves the node when the write of the incoming lock it forwards
// failed, even if the forward's own group was written.
func TestDurableQueueDependentWriteFailsWithTheGroupItDependsOn(t *testing.T) {
	failFirst := errors.New("disk said no")
	var (
		mu      sync.Mutex
		commits int
		got     = map[uint64]error{} // by nonce
		release = make(chan struct{})
	)
	commit := func(ctx context.Context, b *store.Batch) error {
		mu.Lock()
		commits++
		first := commits == 1
		mu.Unlock()
		if first {
			<-release // the second group fills while the first is written
			return failFirst
		}
		return nil
	}
	perform := func(_ uint64, after []afterCommit, err error) {
		mu.Lock()
		defer mu.Unlock()
		for _, a := range after {
			if err == nil && a.depFailed {
				got[a.nonce] = errDependencyFailed
				continue
			}
			got[a.nonce] = err
		}
	}
	q := newDurableQueue(commit, perform, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go q.run(ctx)

	put := func(b *store.Batch) error { b.PutSecret([32]byte{1}); return nil }
	seq1, err := q.enqueueSeq(put, afterCommit{kind: afterRun, nonce: 1})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first group is being written", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return commits == 1
	})
	seq2, err := q.enqueueSeq(put, afterCommit{kind: afterSendLock, nonce: 2, dep: seq1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.enqueueSeq(put, afterCommit{kind: afterSendLock, nonce: 3}); err != nil {
		t.Fatal(err)
	}
	if seq2 <= seq1 {
		t.Fatalf("second write in group %d, first in %d", seq2, seq1)
	}
	close(release)
	waitFor(t, "both groups performed", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(got) == 3
	})
	mu.Lock()
	defer mu.Unlock()
	if !errors.Is(got[1], failFirst) {
		t.Fatalf("first write: %v, want the commit's error", got[1])
	}
	if !errors.Is(got[2], errDependencyFailed) {
		t.Fatalf("write depending on the failed group: %v, want errDependencyFailed", got[2])
	}
	if got[3] != nil {
		t.Fatalf("independent write in the later group: %v, want durable", got[3])
	}
}

// waitWritten (what a resend of a kept lock proof waits on) returns only once the group
// holding what was queued is committed and performed, and reports a failed write.
func TestDurableQueueWaitWrittenWaitsForTheGroupThatHoldsTheWrite(t *testing.T) {
	release := make(chan struct{})
	var performed sync.Map
	fail := false
	commit := func(ctx context.Context, b *store.Batch) error {
		<-release
		if fail {
			return errors.New("disk said no")
		}
		return nil
	}
	perform := func(seq uint64, _ []afterCommit, _ error) { performed.Store(seq, true) }
	q := newDurableQueue(commit, perform, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go q.run(ctx)

	if up := q.queuedUpTo(); up != 0 {
		t.Fatalf("nothing queued, queuedUpTo %d", up)
	}
	put := func(b *store.Batch) error { b.PutSecret([32]byte{1}); return nil }
	seq, err := q.enqueueSeq(put, afterCommit{kind: afterRun})
	if err != nil {
		t.Fatal(err)
	}
	if up := q.queuedUpTo(); up < seq {
		t.Fatalf("queuedUpTo %d below the write's group %d", up, seq)
	}
	short, stop := context.WithTimeout(ctx, 50*time.Millisecond)
	if q.waitWritten(short, seq) {
		t.Fatal("waitWritten returned before the group was written")
	}
	stop()
	close(release)
	if !q.waitWritten(ctx, seq) {
		t.Fatal("waitWritten after a good commit reported failure")
	}
	if _, ok := performed.Load(seq); !ok {
		t.Fatal("waitWritten returned before the group's side effects")
	}
	fail = true // read by commit only after the next enqueue: the queue goroutine is idle
	seq2, err := q.enqueueSeq(put, afterCommit{kind: afterRun})
	if err != nil {
		t.Fatal(err)
	}
	if q.waitWritten(ctx, seq2) {
		t.Fatal("waitWritten reported a failed write as written")
	}
}
