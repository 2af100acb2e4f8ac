package follow

import (
	"context"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// checkReorg compares the chain with the blocks remembered; on a mismatch it finds the
// newest remembered block still canonical and rolls back everything above it.
func (f *Follower[E]) checkReorg(ctx context.Context, head Header) error {
	if f.next == 0 {
		return nil
	}
	last := f.next - 1
	known, ok := f.hashes[last]
	if !ok {
		return nil
	}
	var canonical common.Hash
	switch {
	case head.Number == last:
		canonical = head.Hash
	case head.Number == last+1:
		// The parent-hash link: the common case of one new block costs no extra call.
		canonical = head.Parent
	case head.Number < last:
		canonical = common.Hash{} // the chain got shorter: surely replaced
	default:
		h, err := timed(ctx, f.cfg.CallTimeout, func(ctx context.Context) (Header, error) { return f.src.Header(ctx, last) })
		if err != nil {
			return f.rpcFailed(fmt.Errorf("read header %d: %w", last, err))
		}
		canonical = h.Hash
	}
	if canonical == known {
		return nil
	}
	fork, err := f.findFork(ctx, last, head.Number)
	if err != nil {
		return err
	}
	return f.rollback(ctx, fork, last)
}

// findFork walks the remembered blocks down from below last until one is still canonical.
func (f *Follower[E]) findFork(ctx context.Context, last, head uint64) (uint64, error) {
	blocks := make([]uint64, 0, len(f.hashes))
	for b := range f.hashes {
		if b < last {
			blocks = append(blocks, b)
		}
	}
	slices.Sort(blocks)
	for i := len(blocks) - 1; i >= 0; i-- {
		b := blocks[i]
		if b > head {
			continue
		}
		h, err := timed(ctx, f.cfg.CallTimeout, func(ctx context.Context) (Header, error) { return f.src.Header(ctx, b) })
		if err != nil {
			return 0, f.rpcFailed(fmt.Errorf("read header %d: %w", b, err))
		}
		if h.Hash == f.hashes[b] {
			return b, nil
		}
	}
	// Deeper than anything remembered (or nothing remembered but the cursor, after a
	// restart): read the whole window again.
	if len(blocks) > 0 && blocks[0] > 0 {
		return blocks[0] - 1, nil
	}
	return last - min(last, f.cfg.Window), nil
}

func (f *Follower[E]) rollback(ctx context.Context, fork, last uint64) error {
	var removed []E
	kept := f.delivered[:0]
	for _, ev := range f.delivered {
		if b, _, _ := ev.Position(); b > fork {
			removed = append(removed, ev)
		} else {
			kept = append(kept, ev)
		}
	}
	f.delivered = kept
	dropped := 0
	f.pending = slices.DeleteFunc(f.pending, func(ev E) bool {
		b, _, _ := ev.Position()
		if b > fork {
			dropped++
			return true
		}
		return false
	})
	for b := range f.hashes {
		if b > fork {
			delete(f.hashes, b)
		}
	}
	f.cfg.Logger.Warn("chain reorganised: blocks replaced, rolling back what they delivered",
		"fork", fork, "depth", last-fork, "removed_events", len(removed), "unconfirmed_dropped", dropped)
	f.next = fork + 1
	f.mu.Lock()
	f.health.Reorgs++
	f.health.LastReorgDepth = last - fork
	f.health.Processed = fork
	f.mu.Unlock()
	if err := f.sink.Rollback(ctx, fork, removed); err != nil {
		return fmt.Errorf("roll back blocks above %d: %w", fork, err)
	}
	if f.haveConf && f.confirmed > fork {
		f.confirmed = fork
		if err := f.sink.Confirmed(ctx, fork, f.hashes[fork]); err != nil {
			return err
		}
	}
	return nil
}
