package risk

import (
	"context"
	"fmt"
	"time"

	"github.com/sluicepay/sluice/store"
)

// evictEvery is how often Run looks for idle counterparty and channel records.
const evictEvery = time.Minute

// idle reports whether every window is empty at now: the record holds nothing a
// decision could use, so forgetting it changes no decision.
func (w *windows) idle(now int64) bool {
	for i := range w {
		if c, a := w[i].totals(now); c != 0 || !a.IsZero() {
			return false
		}
	}
	return true
}

// EvictIdle forgets the counterparty and channel records whose windows are all empty,
// in memory and in the store (issue 15: the risk engine's records are evicted by age,
// so payments to ever more parties and channels do not grow it without bound; a
// record's age is its newest payment's, and it goes once the longest window, 24 h (24 h 15 min
// by its buckets), has passed it). A record another goroutine holds, or whose state waits for a flush, is
// left for the next round. It returns how many records it forgot.
func (e *Engine) EvictIdle(ctx context.Context) (int, error) {
	now := e.now().UnixNano()
	var keys []string
	e.mu.Lock()
	for k, ent := range e.parties {
		if ent.tryEvict(now) {
			delete(e.parties, k)
			keys = append(keys, ent.key)
		}
	}
	for k, ent := range e.channels {
		if ent.tryEvict(now) {
			delete(e.channels, k)
			keys = append(keys, ent.key)
		}
	}
	e.mu.Unlock()
	if len(keys) == 0 || e.store == nil {
		return len(keys), nil
	}
	b := store.NewBatch()
	for _, k := range keys {
		_ = b.DeleteMeta(nsState, k)
	}
	if err := b.Err(); err != nil {
		return len(keys), fmt.Errorf("risk: evict: %w", err)
	}
	// A record left on disk would only come back empty at the next start and be
	// evicted again; losing this commit loses nothing.
	if err := e.store.Commit(ctx, b); err != nil {
		return len(keys), fmt.Errorf("risk: evict %d records: %w", len(keys), err)
	}
	return len(keys), nil
}

// tryEvict marks ent evicted if it is idle, clean and not held; the caller holds
// e.mu for writing, so no new reference to ent can be handed out meanwhile.
func (ent *entity) tryEvict(now int64) bool {
	if !ent.mu.TryLock() {
		return false
	}
	defer ent.mu.Unlock()
	if ent.dirty || !ent.w.idle(now) {
		return false
	}
	ent.evicted = true
	return true
}

// Tracked returns how many counterparty and channel records the engine holds.
func (e *Engine) Tracked() (parties, channels int) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.parties), len(e.channels)
}
