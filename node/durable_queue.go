package node

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// afterKind is what to do once a queued write is durable.
type afterKind uint8

const (
	afterSendPay  afterKind = iota + 1 // send our Pay to the peer
	afterSendAck                       // acknowledge the peer's proof
	afterSignal                        // close a channel (non-payment writes that want ordering)
	afterSendLock                      // send our lock proof (msg) to the peer (mediated.go)
	afterRun                           // run then (a write that must precede an action)
)

// afterCommit is a side effect that must not happen before its write is on disk. They are
// kept as plain values, not closures, so the payment path allocates nothing for them.
type afterCommit struct {
	kind  afterKind
	ch    *liveChannel
	nonce uint64
	pay   *outgoingPayment
	done  chan error
	// incoming is published to subscribers once durable; nil when nobody listens.
	incoming *PaymentView
	// msg is the lock message of afterSendLock.
	msg p2p.Message
	// then runs on its own goroutine once the write is durable (after the group's Acks);
	// mediated transfers only, never the direct payment path.
	then func()
	// dep is the group (enqueueSeq) of an earlier write this one must not outrun; 0 for
	// none. Groups are written in order, so dep's group is written by the time this one
	// is; depFailed tells perform that it or a group after it failed (ADR 0034: a
	// mediator forwards a lock before the incoming lock's group is durable, and the
	// forward leaves only if that group was written).
	dep       uint64
	depFailed bool
}

// errDependencyFailed: a write this one depends on (afterCommit.dep) was not stored.
var errDependencyFailed = errors.New("an earlier write this one depends on was not stored")

// durableQueue is the node's write path for ordered, durable side effects. Writers fill
// the current group under their channel's lock (so one channel's writes are queued in
// nonce order); one goroutine commits a group with a single fsync while the next group
// fills, then performs the group's side effects in queue order. That order is what lets a
// payer pipeline proofs: Pay n is always sent before Pay n+1, and only once it is durable.
type durableQueue struct {
	commit  func(context.Context, *store.Batch) error
	perform func(groupSeq uint64, a []afterCommit, err error)
	maxOps  int

	mu      sync.Mutex
	cur     *durableGroup
	spare   *durableGroup
	full    *sync.Cond // writers wait here while the current group is at maxOps
	closed  bool
	wake    chan struct{}
	stopped chan struct{}

	// next is the sequence number the current group gets; failed is the latest group
	// whose write failed.
	next   uint64
	failed atomic.Uint64

	// written is the latest group committed (or failed); writtenCh is closed and replaced
	// when it rises. Both under mu.
	written   uint64
	writtenCh chan struct{}

	groups, writes atomic.Uint64 // for metrics: writes per fsync
	// observe, if set, is told how long each group took to become durable.
	observe func(time.Duration)
}

type durableGroup struct {
	batch store.Batch
	after []afterCommit
}

func newDurableQueue(commit func(context.Context, *store.Batch) error, perform func(uint64, []afterCommit, error), maxOps int) *durableQueue {
	q := &durableQueue{
		commit:    commit,
		perform:   perform,
		maxOps:    maxOps,
		cur:       new(durableGroup),
		spare:     new(durableGroup),
		wake:      make(chan struct{}, 1),
		stopped:   make(chan struct{}),
		next:      1,
		writtenCh: make(chan struct{}),
	}
	q.full = sync.NewCond(&q.mu)
	return q
}

// enqueue adds writes (fill) and a side effect to the current group. fill runs under the
// queue's lock and must only Put into the batch. It reports errQueueClosed after stop.
func (q *durableQueue) enqueue(fill func(*store.Batch) error, a afterCommit) error {
	_, err := q.enqueueSeq(fill, a)
	return err
}

// enqueueSeq is enqueue that also returns the sequence number of the group the write
// went into: a later write that must not leave before this one is durable names it as
// its afterCommit.dep.
func (q *durableQueue) enqueueSeq(fill func(*store.Batch) error, a afterCommit) (uint64, error) {
	q.mu.Lock()
	for !q.closed && len(q.cur.after) >= q.maxOps {
		q.full.Wait()
	}
	if q.closed {
		q.mu.Unlock()
		return 0, errQueueClosed
	}
	if fill != nil {
		if err := fill(&q.cur.batch); err != nil {
			// A failed Put poisons the whole batch; rebuild it without this writer is not
			// possible, so fail loudly: this is a bug in the caller's record, not input.
			q.mu.Unlock()
			return 0, err
		}
	}
	q.cur.after = append(q.cur.after, a)
	seq := q.next
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return seq, nil
}

// run commits groups until ctx ends, then fails whatever is still queued.
func (q *durableQueue) run(ctx context.Context) {
	defer close(q.stopped)
	var seq uint64
	for {
		select {
		case <-ctx.Done():
			q.drain()
			return
		case <-q.wake:
		}
		for {
			q.mu.Lock()
			g := q.cur
			if len(g.after) == 0 {
				q.mu.Unlock()
				break
			}
			q.cur, q.spare = q.spare, nil
			seq = q.next
			q.next++
			q.full.Broadcast()
			q.mu.Unlock()

			q.groups.Add(1)
			q.writes.Add(uint64(len(g.after)))
			err := g.batch.Err()
			if err == nil {
				start := time.Now()
				err = q.commit(ctx, &g.batch)
				if q.observe != nil && err == nil {
					q.observe(time.Since(start))
				}
			}
			if err != nil {
				q.failed.Store(seq)
			} else if f := q.failed.Load(); f != 0 {
				for i := range g.after {
					if d := g.after[i].dep; d != 0 && d <= f {
						g.after[i].depFailed = true
					}
				}
			}
			q.perform(seq, g.after, err)
			// Reusing the batch is safe even after a failed or abandoned commit: the store's
			// committer never reads a batch whose waiter gave up (store/commit.go).
			clear(g.after)
			g.after = g.after[:0]
			g.batch.Reset()
			q.mu.Lock()
			q.spare = g
			q.written = seq
			close(q.writtenCh)
			q.writtenCh = make(chan struct{})
			q.mu.Unlock()
		}
	}
}

func (q *durableQueue) drain() {
	q.mu.Lock()
	q.closed = true
	g := q.cur
	q.cur = new(durableGroup)
	q.full.Broadcast()
	q.mu.Unlock()
	if len(g.after) > 0 {
		q.perform(0, g.after, errQueueClosed)
	}
}

// queuedUpTo is the group holding everything enqueued so far: the current group if it has
// writes, else the last one that left.
func (q *durableQueue) queuedUpTo() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.cur.after) > 0 {
		return q.next
	}
	return q.next - 1
}

// waitWritten waits until every group up to seq has been committed and its side effects
// performed, and reports whether it was and none failed; false as well when ctx ends or
// the queue closes first. A message kept for resending (lockMsgs) is sent again only once
// the write that made it durable has happened, as the first send is.
func (q *durableQueue) waitWritten(ctx context.Context, seq uint64) bool {
	for {
		q.mu.Lock()
		done, ch, closed := q.written >= seq, q.writtenCh, q.closed
		q.mu.Unlock()
		if done {
			return q.failed.Load() == 0
		}
		if closed {
			return false
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}
