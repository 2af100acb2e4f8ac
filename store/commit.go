package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syndtr/goleveldb/leveldb"

	"github.com/sluicepay/sluice/store/kv"
)

// CommitConfig bounds the groups a GroupCommitter forms. Zero fields take the defaults.
type CommitConfig struct {
	// MaxGroupBytes caps the encoded size of one merged write (default 4 MiB). A single
	// batch larger than the cap is still written, alone.
	MaxGroupBytes int
	// MaxGroupEntries caps the key writes in one merged write (default 16384).
	MaxGroupEntries int
	// MaxDelay is how long the committer may linger for more writers after the first one
	// arrives at an idle committer. The default 0 adds no latency: groups then form only
	// from writers that arrive while the previous fsync is in flight.
	MaxDelay time.Duration
}

const (
	defaultMaxGroupBytes   = 4 << 20
	defaultMaxGroupEntries = 16384
	maxMaxDelay            = time.Second
)

func (c CommitConfig) withDefaults() (CommitConfig, error) {
	if c.MaxGroupBytes < 0 || c.MaxGroupEntries < 0 || c.MaxDelay < 0 {
		return c, fmt.Errorf("commit config %+v: negative bound", c)
	}
	if c.MaxDelay > maxMaxDelay {
		return c, fmt.Errorf("commit config: max delay %s exceeds %s", c.MaxDelay, maxMaxDelay)
	}
	if c.MaxGroupBytes == 0 {
		c.MaxGroupBytes = defaultMaxGroupBytes
	}
	if c.MaxGroupEntries == 0 {
		c.MaxGroupEntries = defaultMaxGroupEntries
	}
	return c, nil
}

// CommitStats are cumulative counters since the store was opened.
type CommitStats struct {
	Commits uint64 // Commit calls acknowledged as durable
	Syncs   uint64 // durable backend commits: leveldb fsyncs, etcd Raft proposals
	Entries uint64 // key writes made durable
	Bytes   uint64 // encoded bytes made durable
}

// Request states; a waiter and the committer race to move a request out of queued.
const (
	reqQueued int32 = iota
	reqTaken
	reqCancelled
)

type commitRequest struct {
	batch *kv.Batch
	// size and entries are taken when the request is queued: once a waiter gives up it may
	// reuse its batch, so the committer must not read the batch before it owns the request.
	size    int
	entries int
	state   atomic.Int32
	done    chan error // buffered: the committer never blocks on a waiter
}

// GroupCommitter turns concurrent commits into few fsyncs. One goroutine owns the write
// path: it takes every request queued so far (within the bounds), hands them to the
// backend as one group (one synced leveldb write, or as few etcd transactions as etcd's
// request limits allow) and then answers each of them. While that fsync runs, new requests
// queue up and form the next group, so a lone writer pays exactly one fsync and no wait,
// and many writers share one. Batches are applied in the order they were queued, so a
// goroutine that queues its writes in order (Submit) sees them applied in that order.
type GroupCommitter struct {
	db   kv.Backend
	path string // named in write errors
	cfg  CommitConfig

	mu     sync.Mutex
	queue  []*commitRequest
	closed bool
	// note, if set, sees each batch as it is queued, under mu (the absent filter:
	// absent_rebuild.go relies on batches being noted and queued in one step).
	note func(*Batch)

	wake    chan struct{} // capacity 1: a pending wake-up is never lost
	quit    chan struct{}
	stopped chan struct{}

	// failure is sticky when the backend says so: after a failed leveldb write or fsync
	// the state on disk is unknown (an fsync error may have dropped dirty pages), so
	// nothing more is acknowledged until the store is reopened and the journal replayed.
	failure atomic.Pointer[error]

	commits, syncs, entries, bytes atomic.Uint64
}

func newGroupCommitter(db kv.Backend, path string, cfg CommitConfig) *GroupCommitter {
	g := &GroupCommitter{
		db:      db,
		path:    path,
		cfg:     cfg,
		wake:    make(chan struct{}, 1),
		quit:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	go g.run()
	return g
}

// Commit makes b durable: it returns nil only after b's writes are fsynced. An empty
// batch returns at once. If ctx ends before the committer has taken b, b is not written
// and ctx's error is returned; once taken, Commit waits for the fsync's outcome so the
// caller always learns whether b was written.
func (g *GroupCommitter) Commit(ctx context.Context, b *Batch) error {
	r, err := g.enqueue(b)
	if err != nil || r == nil {
		return err
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqCancelled) {
			return fmt.Errorf("commit not written: %w", ctx.Err())
		}
		return <-r.done
	}
}

// Submit queues b and returns at once; the channel delivers Commit's verdict exactly once.
// It lets one goroutine keep several batches in flight (a payer pipelining payments on one
// channel) and still learn, in order, when each is durable. b must not be touched until
// the verdict arrives.
func (g *GroupCommitter) Submit(b *Batch) <-chan error {
	r, err := g.enqueue(b)
	if r != nil {
		return r.done
	}
	done := make(chan error, 1)
	done <- err
	return done
}

// enqueue hands b to the committer. It returns a nil request, with the reason, when there
// is nothing to write (empty batch: nil error) or b cannot be written.
func (g *GroupCommitter) enqueue(b *Batch) (*commitRequest, error) {
	if b.err != nil {
		return nil, fmt.Errorf("commit: batch has a failed write: %w", b.err)
	}
	if b.Len() == 0 {
		return nil, nil
	}
	if err := g.failed(); err != nil {
		return nil, err
	}
	b.seal()
	r := &commitRequest{batch: &b.lb, size: b.lb.Size(), entries: b.lb.Len(), done: make(chan error, 1)}
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return nil, ErrClosed
	}
	if g.note != nil {
		g.note(b)
	}
	g.queue = append(g.queue, r)
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default:
	}
	return r, nil
}

// Stats returns the cumulative counters.
func (g *GroupCommitter) Stats() CommitStats {
	return CommitStats{
		Commits: g.commits.Load(),
		Syncs:   g.syncs.Load(),
		Entries: g.entries.Load(),
		Bytes:   g.bytes.Load(),
	}
}

func (g *GroupCommitter) failed() error {
	if p := g.failure.Load(); p != nil {
		return fmt.Errorf("store %s: %w: %w", g.path, ErrFailed, *p)
	}
	return nil
}

// close fails every queued request with ErrClosed and stops the committer goroutine after
// its in-flight write. It returns once the goroutine has exited.
func (g *GroupCommitter) close() {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		<-g.stopped
		return
	}
	g.closed = true
	pending := g.queue
	g.queue = nil
	g.mu.Unlock()
	// The queued requests are out of the loop's reach now; answer them before waiting
	// for an in-flight fsync, which may be slow.
	for _, r := range pending {
		if r.state.CompareAndSwap(reqQueued, reqTaken) {
			r.done <- ErrClosed
		}
	}
	close(g.quit)
	<-g.stopped
}

func (g *GroupCommitter) run() {
	defer close(g.stopped)
	var (
		merged []*kv.Batch
		group  []*commitRequest
		carry  []*commitRequest
	)
	for {
		select {
		case <-g.quit:
			return
		case <-g.wake:
		}
		for {
			group, carry = g.take(group[:0], carry)
			if len(group) == 0 && len(carry) == 0 {
				break
			}
			if g.cfg.MaxDelay > 0 && len(group) > 0 && !g.full(group) {
				if !g.linger(&group, &carry) {
					g.fail(group, ErrClosed)
					g.fail(carry, ErrClosed)
					return
				}
			}
			if len(group) > 0 {
				g.write(&merged, group)
				clear(group) // drop references to answered batches
			}
			select {
			case <-g.quit:
				// close() answers what is still queued; carry was taken already.
				g.fail(carry, ErrClosed)
				return
			default:
			}
		}
	}
}

// take moves queued requests into group, oldest first, within the bounds. A request that
// would overflow the group stays in carry for the next round.
func (g *GroupCommitter) take(group, carry []*commitRequest) ([]*commitRequest, []*commitRequest) {
	g.mu.Lock()
	in := append(carry, g.queue...)
	g.queue = g.queue[:0:0]
	g.mu.Unlock()

	bytes, entries := groupSize(group)
	i := 0
	for ; i < len(in); i++ {
		r := in[i]
		n := r.entries
		if len(group) > 0 && (bytes+r.size > g.cfg.MaxGroupBytes || entries+n > g.cfg.MaxGroupEntries) {
			break
		}
		if !r.state.CompareAndSwap(reqQueued, reqTaken) {
			continue // its waiter gave up before we got to it
		}
		group = append(group, r)
		bytes += r.size
		entries += n
	}
	return group, append([]*commitRequest(nil), in[i:]...)
}

func (g *GroupCommitter) full(group []*commitRequest) bool {
	bytes, entries := groupSize(group)
	return bytes >= g.cfg.MaxGroupBytes || entries >= g.cfg.MaxGroupEntries
}

func groupSize(group []*commitRequest) (bytes, entries int) {
	for _, r := range group {
		bytes += r.size
		entries += r.entries
	}
	return bytes, entries
}

// linger waits up to MaxDelay for more writers. It reports false if the committer is closing.
func (g *GroupCommitter) linger(group, carry *[]*commitRequest) bool {
	timer := time.NewTimer(g.cfg.MaxDelay)
	defer timer.Stop()
	for !g.full(*group) && len(*carry) == 0 {
		select {
		case <-g.quit:
			return false
		case <-timer.C:
			return true
		case <-g.wake:
			*group, *carry = g.take(*group, *carry)
		}
	}
	return true
}

func (g *GroupCommitter) write(merged *[]*kv.Batch, group []*commitRequest) {
	if err := g.failed(); err != nil {
		g.fail(group, err)
		return
	}
	batches := (*merged)[:0]
	var entries, bytes int
	for _, r := range group {
		batches = append(batches, r.batch)
		entries += r.entries
		bytes += r.size
	}
	*merged = batches
	syncs, err := g.db.Write(batches)
	clear(batches)
	if err != nil {
		err = translateWriteError(err)
		if g.db.Sticky(err) {
			g.failure.CompareAndSwap(nil, &err)
			g.fail(group, fmt.Errorf("store %s: %w: %w", g.path, ErrFailed, err))
		} else {
			g.fail(group, fmt.Errorf("store %s: write not acknowledged: %w", g.path, err))
		}
		return
	}
	g.syncs.Add(uint64(syncs))
	g.commits.Add(uint64(len(group)))
	g.entries.Add(uint64(entries))
	g.bytes.Add(uint64(bytes))
	for _, r := range group {
		r.done <- nil
	}
}

func (g *GroupCommitter) fail(group []*commitRequest, err error) {
	for _, r := range group {
		r.state.Store(reqTaken)
		r.done <- err
	}
}

func translateWriteError(err error) error {
	if errors.Is(err, leveldb.ErrClosed) {
		return ErrClosed
	}
	return err
}
