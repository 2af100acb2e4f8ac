package store

import (
	"sync"
	"sync/atomic"

	"github.com/sluicepay/sluice/store/kv"
)

// Rebuilding the absent filter. A deleted key keeps its bits, and a hub writes and
// deletes several transient meta records per routed payment (stored lock messages, live
// markers, forward records): ≈ 2 bytes of filter each, for ever, until a restart. So
// once the filter holds absentRebuildFactor times the keys it was built with (and at
// least rebuildMin), a goroutine builds a new one from the keys on disk and swaps it in.
//
// No key on disk is ever missing from the filter in use:
//   - the old filter answers until the swap, and it holds every key ever written;
//   - from the rebuild's start every add also goes to the new filter (f.rebuild.next);
//   - keys noted before the start may still be queued for the committer: the rebuild
//     queues a barrier (an ordered no-op write) and scans only once it is written. The
//     committer notes a batch under its queue lock and the barrier is queued under the
//     same lock after the new filter exists, so every batch noted into the old filter
//     alone is queued ahead of the barrier, hence on disk before the scan.

const (
	absentRebuildFactor = 2       // rebuild when the filter holds twice the keys it was built with
	absentRebuildMin    = 1 << 20 // ... and at least this many keys (2 MiB of filter)
)

// absentBarrierKey is deleted by the rebuild's barrier write: a meta key with an empty
// namespace, which no record has (metaPrefix refuses it).
var absentBarrierKey = []byte{prefixMeta, 0}

// absentRebuild is the filter's rebuild state; fields other than the atomics are guarded
// by the filter's mu.
type absentRebuild struct {
	// barrier queues an ordered no-op write; nil: no rebuilds (set by Open, leveldb only).
	barrier func() <-chan error
	db      kv.Backend
	// min overrides absentRebuildMin (tests).
	min    int
	built  int         // keys in the filter when it was built (loaded or rebuilt)
	next   []bloomPart // the filter being built; non-nil while a rebuild runs
	closed bool
	stop   chan struct{}
	wg     sync.WaitGroup
	count  atomic.Uint64 // rebuilds swapped in (tests)
}

// enableRebuild lets the filter rebuild itself from db; barrier must queue an ordered
// write through the store's committer.
func (f *absentFilter) enableRebuild(db kv.Backend, barrier func() <-chan error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rebuild.db, f.rebuild.barrier = db, barrier
	f.rebuild.stop = make(chan struct{})
}

// maybeRebuildLocked starts a rebuild once the filter has grown enough; f.mu is held.
func (f *absentFilter) maybeRebuildLocked() {
	r := &f.rebuild
	if r.barrier == nil || !f.ready || r.next != nil || r.closed {
		return
	}
	floor := r.min
	if floor <= 0 {
		floor = absentRebuildMin
	}
	if keysIn(f.parts) < absentRebuildFactor*max(r.built, floor) {
		return
	}
	r.next = []bloomPart{newBloomPart(absentFirstCap)}
	r.wg.Add(1)
	go f.runRebuild()
}

// runRebuild waits for the barrier, scans the keys on disk into the new filter and swaps
// it in; on any failure the old filter stays and the next try waits for it to grow by
// the same factor again.
func (f *absentFilter) runRebuild() {
	defer f.rebuild.wg.Done()
	ok := f.waitBarrier() && f.scanInto()
	f.mu.Lock()
	defer f.mu.Unlock()
	r := &f.rebuild
	if ok {
		f.parts = r.next
		r.count.Add(1)
	}
	r.built = keysIn(f.parts)
	r.next = nil
}

func (f *absentFilter) waitBarrier() bool {
	select {
	case err := <-f.rebuild.barrier():
		return err == nil
	case <-f.rebuild.stop:
		return false
	}
}

// scanInto adds every covered key on disk to the filter being built.
func (f *absentFilter) scanInto() bool {
	for _, p := range []byte{prefixSecret, prefixMeta} {
		err := f.rebuild.db.Scan(kv.PrefixRange([]byte{p}), func(key, _ []byte) error {
			select {
			case <-f.rebuild.stop:
				return kv.ErrStop
			default:
			}
			h1, h2 := probes(key)
			f.mu.Lock()
			f.rebuild.next = addToParts(f.rebuild.next, h1, h2)
			f.mu.Unlock()
			return nil
		})
		if err != nil {
			return false
		}
		select {
		case <-f.rebuild.stop:
			return false
		default:
		}
	}
	return true
}

// closeRebuild stops a running rebuild and waits for it; the committer must still run
// (the rebuild may wait for its barrier).
func (f *absentFilter) closeRebuild() {
	f.mu.Lock()
	r := &f.rebuild
	if r.closed || r.stop == nil {
		r.closed = true
		f.mu.Unlock()
		return
	}
	r.closed = true
	close(r.stop)
	f.mu.Unlock()
	r.wg.Wait()
}
