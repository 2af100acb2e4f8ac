package store

import (
	"sync"
	"sync/atomic"

	"github.com/sluicepay/sluice/store/kv"
)

// The absent filter answers "not stored" for secrets and meta records without a read
// (ADR 0034 amendment): a routed payment asks on every role whether a secret, an invoice
// or an invoice's taker is known, and mostly it is not, which cost a memtable and table
// walk per question. The filter is a scalable Bloom filter over the keys of every secret
// and meta record this store ever wrote: a key missing from it was never written, so
// GetSecret and GetMeta answer "not found" at once; a key it may hold (written, deleted
// since, or a false positive) is read as before. It only grows (a delete leaves the key's
// bits set), so no answer of the filter is ever "absent" for a key on disk:
//   - every write adds its keys before the batch reaches the committer (noteBatch);
//   - the first question loads every key already on disk with one scan, and no negative
//     answer is given before that scan finished (keys written during it were added by
//     their writer);
//   - leveldb only: the process holds the directory's lock, so nothing else writes. On
//     a shared backend (etcd) another process may write, and the filter is off.
//
// Deleted keys keep their bits, so a hub that writes and deletes transient records on
// every payment would grow the filter for ever; once it holds twice the keys it was built
// with, it is rebuilt from the keys on disk (absent_rebuild.go).

const (
	absentFirstCap   = 4096 // keys the first filter holds; each next one twice the last
	absentBitsPerKey = 16   // with 4 probes: about 0.25% false positives per filter
	absentProbes     = 4
)

// absentFilter is the store's filter; the zero value is off (every key may be present).
type absentFilter struct {
	on   bool
	load sync.Once
	mu   sync.RWMutex
	// ready is set once the keys on disk were loaded; before, every key may be present.
	ready bool
	// parts: adds go to the last; a key may be present when any part may hold it.
	parts []bloomPart
	// skipped counts reads the filter answered (tests).
	skipped atomic.Uint64
	rebuild absentRebuild // absent_rebuild.go
}

type bloomPart struct {
	bits []uint64
	mask uint64 // bit count - 1 (a power of two)
	n    int    // keys added
	cap  int
}

func newBloomPart(capacity int) bloomPart {
	nbits := uint64(capacity * absentBitsPerKey) // a power of two: capacity is
	return bloomPart{bits: make([]uint64, nbits/64), mask: nbits - 1, cap: capacity}
}

// filtered reports whether key is one the filter covers: a secret or a meta record.
func filtered(key []byte) bool {
	return len(key) > 0 && (key[0] == prefixSecret || key[0] == prefixMeta)
}

// probes are absentProbes bit positions of key (FNV-1a, double hashing).
func probes(key []byte) (h1, h2 uint64) {
	h := uint64(14695981039346656037)
	for _, c := range key {
		h ^= uint64(c)
		h *= 1099511628211
	}
	// splitmix64's finaliser for the second hash
	z := h + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return h, (z ^ (z >> 31)) | 1
}

func (p *bloomPart) add(h1, h2 uint64) {
	for i := uint64(0); i < absentProbes; i++ {
		b := (h1 + i*h2) & p.mask
		p.bits[b/64] |= 1 << (b % 64)
	}
	p.n++
}

func (p *bloomPart) has(h1, h2 uint64) bool {
	for i := uint64(0); i < absentProbes; i++ {
		b := (h1 + i*h2) & p.mask
		if p.bits[b/64]&(1<<(b%64)) == 0 {
			return false
		}
	}
	return true
}

// addKey adds key if the filter covers it.
func (f *absentFilter) addKey(key []byte) {
	if !filtered(key) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addLocked(key)
}

// addLocked adds a covered key to the filter and, while a rebuild scans, to the filter
// being built; f.mu is held.
func (f *absentFilter) addLocked(key []byte) {
	h1, h2 := probes(key)
	f.parts = addToParts(f.parts, h1, h2)
	if f.rebuild.next != nil {
		f.rebuild.next = addToParts(f.rebuild.next, h1, h2)
	}
	f.maybeRebuildLocked()
}

// addToParts adds a key's probes to the last part, starting a part twice the size of
// the last one when it is full.
func addToParts(parts []bloomPart, h1, h2 uint64) []bloomPart {
	if len(parts) == 0 {
		parts = append(parts, newBloomPart(absentFirstCap))
	}
	last := &parts[len(parts)-1]
	if last.n >= last.cap {
		parts = append(parts, newBloomPart(2*last.cap))
		last = &parts[len(parts)-1]
	}
	last.add(h1, h2)
	return parts
}

// keysIn is how many keys were added to parts.
func keysIn(parts []bloomPart) int {
	n := 0
	for i := range parts {
		n += parts[i].n
	}
	return n
}

// noteBatch adds the keys b puts (proofs waiting to be sealed are not covered). The
// committer calls it while it queues b, under its queue lock: a rebuild's barrier,
// queued under the same lock, then orders every batch noted before the rebuild began
// ahead of the scan (absent_rebuild.go).
func (f *absentFilter) noteBatch(b *Batch) {
	if !f.on {
		return
	}
	locked := false
	_ = b.lb.Replay(func(key, _ []byte) {
		if !filtered(key) {
			return
		}
		if !locked {
			f.mu.Lock()
			locked = true
		}
		f.addLocked(key)
	}, func([]byte) {})
	if locked {
		f.mu.Unlock()
	}
}

// absent reports that key was never written (so a read would find nothing). It loads
// the keys on disk on first use; false whenever it cannot tell.
func (f *absentFilter) absent(db kv.Backend, key []byte) bool {
	if !f.on || !filtered(key) {
		return false
	}
	f.load.Do(func() { f.loadKeys(db) })
	h1, h2 := probes(key)
	f.mu.RLock()
	defer f.mu.RUnlock()
	if !f.ready {
		return false
	}
	for i := range f.parts {
		if f.parts[i].has(h1, h2) {
			return false
		}
	}
	f.skipped.Add(1)
	return true
}

// loadKeys adds every covered key on disk; the filter is ready only if the scan finished.
func (f *absentFilter) loadKeys(db kv.Backend) {
	for _, p := range []byte{prefixSecret, prefixMeta} {
		err := db.Scan(kv.PrefixRange([]byte{p}), func(key, _ []byte) error {
			f.addKey(key)
			return nil
		})
		if err != nil {
			return // stays not ready: every read goes to the store
		}
	}
	f.mu.Lock()
	f.ready = true
	f.rebuild.built = keysIn(f.parts)
	f.mu.Unlock()
}
