package gossip

import (
	"slices"
	"sync"
	"time"

	"github.com/sluicepay/sluice/routing"
)

// maxArchived bounds the archive: both sides of every channel a default graph can hold.
const maxArchived = 2 * routing.DefaultMaxChannels

// archive keeps the signed bytes of the newest announcement admitted per channel side, so
// a graph sync can hand a newly connected peer what gossip already flooded: the graph
// keeps edges, not signatures, and a peer must be able to check every one itself.
type archive struct {
	graph *routing.Graph
	max   int

	mu      sync.Mutex
	entries map[sideKey]archived
}

type archived struct {
	seq  uint64
	ts   uint64
	data []byte
}

func newArchive(g *routing.Graph, max int) *archive {
	return &archive{graph: g, max: max, entries: make(map[sideKey]archived)}
}

// put records data, the canonical encoding of a, unless a newer one of its side is held.
// Full, it first drops what the graph no longer holds; still full, it keeps what it has.
func (r *archive) put(a *Announcement, data []byte) {
	k := sideKey{a.Channel, a.Announcer}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.entries[k]; ok && old.seq >= a.Sequence {
		return
	} else if !ok && len(r.entries) >= r.max {
		r.dropUnheldLocked()
		if len(r.entries) >= r.max {
			return
		}
	}
	r.entries[k] = archived{seq: a.Sequence, ts: a.Timestamp, data: slices.Clone(data)}
}

func (r *archive) dropUnheldLocked() {
	for k := range r.entries {
		if _, ok := r.graph.Sequence(k.ch, k.by); !ok {
			delete(r.entries, k)
		}
	}
}

// snapshot returns the archived announcements signed after notBefore whose side the graph
// still holds (a closed or pruned channel is not served), freshest first, at most
// maxCount of them and maxBytes of framed answer. What it skips as gone or stale it drops.
func (r *archive) snapshot(notBefore time.Time, maxCount, maxBytes int) [][]byte {
	cut := uint64(max(notBefore.Unix(), 0))
	r.mu.Lock()
	list := make([]archived, 0, len(r.entries))
	for k, e := range r.entries {
		if _, ok := r.graph.Sequence(k.ch, k.by); !ok || e.ts < cut {
			delete(r.entries, k)
			continue
		}
		list = append(list, e)
	}
	r.mu.Unlock()
	slices.SortFunc(list, func(a, b archived) int {
		if a.ts != b.ts {
			if a.ts > b.ts {
				return -1
			}
			return 1
		}
		return slices.Compare(a.data, b.data)
	})
	out := make([][]byte, 0, min(len(list), maxCount))
	size := 0
	for _, e := range list {
		n := frameSize(len(e.data))
		if len(out) == maxCount || size+n > maxBytes {
			break
		}
		out = append(out, e.data)
		size += n
	}
	return out
}

// len returns how many announcements are archived.
func (r *archive) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}
