package follow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Header is what the follower needs of a block header.
type Header struct {
	Number uint64
	Hash   common.Hash
	Parent common.Hash
	Time   uint64 // unix seconds: chain time
}

// Event is one decoded contract log, as the consumer represents it.
type Event interface {
	// Position locates the log: its block, that block's hash, its index in the block.
	Position() (block uint64, blockHash common.Hash, index uint)
	// Key names what the event concerns (a channel id); events of one key keep their order.
	Key() common.Hash
	// FundsIncreasing events (open, deposit) wait for the confirmation depth.
	FundsIncreasing() bool
}

// Source reads the chain. Each call gets a context with the follower's deadline.
type Source[E Event] interface {
	Latest(ctx context.Context) (Header, error)
	Header(ctx context.Context, number uint64) (Header, error)
	// Events returns the logs of blocks [from, to] that concern the consumer, in chain
	// order; extra are keys the follower holds events of that the consumer does not know
	// yet (channels whose open waits for its confirmations).
	Events(ctx context.Context, from, to uint64, extra []common.Hash) ([]E, error)
}

// Sink is the consumer.
type Sink[E Event] interface {
	// Apply folds one event into the consumer's state.
	Apply(ctx context.Context, ev E) error
	// Rollback reports that every block above fork was replaced; removed are the events
	// delivered from those blocks (possibly none), newest last. The follower then reads
	// the new branch from fork+1.
	Rollback(ctx context.Context, fork uint64, removed []E) error
	// Confirmed reports that every event up to block (of hash) was delivered: the
	// consumer persists it as the point to resume from after a restart.
	Confirmed(ctx context.Context, block uint64, hash common.Hash) error
}

// Config tunes a Follower; zero fields take the defaults below.
type Config struct {
	// Confirmations is read on every poll (DefaultConfirmations gives a chain's default).
	Confirmations func() uint64
	// CallTimeout bounds every chain call (default DefaultCallTimeout).
	CallTimeout time.Duration
	// Window is how many recent blocks' hashes and delivered events are kept: the
	// deepest reorganisation that can be rolled back event by event (default 256).
	Window uint64
	// MaxRange bounds the blocks of one Events call (default 2,000).
	MaxRange uint64
	Logger   *slog.Logger
}

// DefaultCallTimeout bounds a chain call when Config.CallTimeout is zero.
const DefaultCallTimeout = 5 * time.Second

// ErrChainMoved: a log read belongs to a block that is no longer canonical (the chain
// reorganised during the read); the next poll rolls back and reads the new branch.
var ErrChainMoved = errors.New("the chain reorganised during the read")

// Follower follows the chain for one Sink. Poll is called from one goroutine; Health
// may be called from any.
type Follower[E Event] struct {
	src  Source[E]
	sink Sink[E]
	cfg  Config

	next      uint64 // first block not read yet
	confirmed uint64 // last block reported to Sink.Confirmed (valid if haveConf)
	haveConf  bool
	hashes    map[uint64]common.Hash // recent canonical blocks we read
	pending   []E                    // read, waiting for confirmations (or queued behind such an event)
	delivered []E                    // delivered from the last Window blocks, for rollback

	mu     sync.Mutex
	health Health
}

// Start is where a Follower begins: the first block to read and, when resuming, the hash
// of the block before it as it was when it was processed (zero: unknown).
type Start struct {
	Next     uint64
	PrevHash common.Hash
}

// New returns a Follower reading from start.
func New[E Event](src Source[E], sink Sink[E], start Start, cfg Config) *Follower[E] {
	if cfg.Confirmations == nil {
		cfg.Confirmations = func() uint64 { return 0 }
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.Window == 0 {
		cfg.Window = 256
	}
	if cfg.MaxRange == 0 {
		cfg.MaxRange = 2000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	f := &Follower[E]{src: src, sink: sink, cfg: cfg, next: start.Next, hashes: map[uint64]common.Hash{}}
	if start.Next > 0 {
		f.confirmed, f.haveConf = start.Next-1, true
		if start.PrevHash != (common.Hash{}) {
			f.hashes[start.Next-1] = start.PrevHash
		}
	}
	f.health = Health{RPCOK: true, Since: time.Now(), Processed: f.confirmed, Confirmed: f.confirmed}
	return f
}

// Poll reads the chain once: it detects a reorganisation and rolls back, reads the new
// blocks, delivers what is due, and reports the confirmed block. An error from the
// chain marks the RPC unhealthy; an error of the Sink is returned as is.
func (f *Follower[E]) Poll(ctx context.Context) error {
	head, err := timed(ctx, f.cfg.CallTimeout, f.src.Latest)
	if err != nil {
		return f.rpcFailed(fmt.Errorf("read chain head: %w", err))
	}
	conf := f.cfg.Confirmations()
	f.setHead(head, conf)
	if err := f.checkReorg(ctx, head); err != nil {
		return err
	}
	for f.next <= head.Number {
		to := min(f.next+f.cfg.MaxRange-1, head.Number)
		if err := f.read(ctx, f.next, to, head); err != nil {
			return err
		}
		f.next = to + 1
	}
	if err := f.release(ctx, head.Number, conf); err != nil {
		return err
	}
	if err := f.confirm(ctx, head, conf); err != nil {
		return err
	}
	f.trim(head.Number)
	f.rpcOK()
	return nil
}

// read fetches the events of [from, to] and checks that they belong to the chain the
// follower tracks (a log of a block since replaced is a removed log).
func (f *Follower[E]) read(ctx context.Context, from, to uint64, head Header) error {
	evs, err := timed(ctx, f.cfg.CallTimeout, func(ctx context.Context) ([]E, error) {
		return f.src.Events(ctx, from, to, f.pendingKeys())
	})
	if err != nil {
		return f.rpcFailed(fmt.Errorf("read events of blocks %d..%d: %w", from, to, err))
	}
	end := head
	if to != head.Number {
		if end, err = timed(ctx, f.cfg.CallTimeout, func(ctx context.Context) (Header, error) { return f.src.Header(ctx, to) }); err != nil {
			return f.rpcFailed(fmt.Errorf("read header %d: %w", to, err))
		}
	}
	canonical := map[uint64]common.Hash{to: end.Hash}
	for _, ev := range evs {
		b, h, _ := ev.Position()
		want, ok := canonical[b]
		if !ok {
			hdr, err := timed(ctx, f.cfg.CallTimeout, func(ctx context.Context) (Header, error) { return f.src.Header(ctx, b) })
			if err != nil {
				return f.rpcFailed(fmt.Errorf("read header %d: %w", b, err))
			}
			want, canonical[b] = hdr.Hash, hdr.Hash
		}
		if h != want {
			f.cfg.Logger.Warn("a log read belongs to a replaced block; reading again", "block", b, "log_block_hash", h, "canonical", want)
			return ErrChainMoved
		}
	}
	for b, h := range canonical {
		f.hashes[b] = h
	}
	conf := f.cfg.Confirmations()
	for _, ev := range evs {
		if err := f.offer(ctx, ev, head.Number, conf); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.health.Processed = to
	f.mu.Unlock()
	return nil
}

// offer delivers ev now, or queues it until it is confirmed (or until the funds event
// of its key ahead of it is delivered).
func (f *Follower[E]) offer(ctx context.Context, ev E, head, conf uint64) error {
	b, _, _ := ev.Position()
	waits := ev.FundsIncreasing() && !buried(b, head, conf)
	if !waits {
		for _, p := range f.pending {
			if p.Key() == ev.Key() {
				waits = true
				break
			}
		}
	}
	if waits {
		f.pending = append(f.pending, ev)
		return nil
	}
	return f.deliver(ctx, ev)
}

// release delivers the queued events that are now due, in chain order.
func (f *Follower[E]) release(ctx context.Context, head, conf uint64) error {
	blocked := map[common.Hash]bool{}
	kept := f.pending[:0]
	var due []E
	for _, ev := range f.pending {
		b, _, _ := ev.Position()
		if blocked[ev.Key()] || (ev.FundsIncreasing() && !buried(b, head, conf)) {
			blocked[ev.Key()] = true
			kept = append(kept, ev)
			continue
		}
		due = append(due, ev)
	}
	f.pending = kept
	for i, ev := range due {
		if err := f.deliver(ctx, ev); err != nil {
			f.pending = append(due[i:], f.pending...)
			return err
		}
	}
	return nil
}

func (f *Follower[E]) deliver(ctx context.Context, ev E) error {
	if err := f.sink.Apply(ctx, ev); err != nil {
		b, _, i := ev.Position()
		return fmt.Errorf("apply log %d of block %d: %w", i, b, err)
	}
	f.delivered = append(f.delivered, ev)
	return nil
}

// confirm reports the newest block below which nothing waits any more.
func (f *Follower[E]) confirm(ctx context.Context, head Header, conf uint64) error {
	if head.Number < conf || f.next == 0 {
		return nil
	}
	c := min(head.Number-conf, f.next-1)
	for _, ev := range f.pending {
		if b, _, _ := ev.Position(); b <= c {
			c = b - 1
		}
	}
	if f.haveConf && c <= f.confirmed {
		return nil
	}
	h, ok := f.hashes[c]
	if !ok {
		hdr, err := timed(ctx, f.cfg.CallTimeout, func(ctx context.Context) (Header, error) { return f.src.Header(ctx, c) })
		if err != nil {
			return f.rpcFailed(fmt.Errorf("read header %d: %w", c, err))
		}
		h = hdr.Hash
		f.hashes[c] = h
	}
	if err := f.sink.Confirmed(ctx, c, h); err != nil {
		return err
	}
	f.confirmed, f.haveConf = c, true
	f.mu.Lock()
	f.health.Confirmed = c
	f.mu.Unlock()
	return nil
}

// trim forgets what is older than the window, keeping the newest remembered hash so a
// reorganisation reaching below the window still finds a fork point.
func (f *Follower[E]) trim(head uint64) {
	if head < f.cfg.Window {
		return
	}
	floor := head - f.cfg.Window
	for b := range f.hashes {
		if b < floor && b != f.confirmed {
			delete(f.hashes, b)
		}
	}
	f.delivered = slices.DeleteFunc(f.delivered, func(ev E) bool {
		b, _, _ := ev.Position()
		return b < floor
	})
}

func (f *Follower[E]) pendingKeys() []common.Hash {
	var keys []common.Hash
	for _, ev := range f.pending {
		if !slices.Contains(keys, ev.Key()) {
			keys = append(keys, ev.Key())
		}
	}
	return keys
}

// buried: a log of block b under head has conf confirmations (the head block itself
// has 0 blocks on top).
func buried(b, head, conf uint64) bool { return b+conf <= head }

// timed runs one chain call under the follower's deadline.
func timed[T any](ctx context.Context, d time.Duration, call func(context.Context) (T, error)) (T, error) {
	cctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	v, err := call(cctx)
	if err != nil && errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		err = fmt.Errorf("no answer within %s: %w", d, err)
	}
	return v, err
}
