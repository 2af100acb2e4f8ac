package gossip

import (
	"sync"
	"time"
)

// limiter is a set of token buckets keyed by K (an announcer, a channel side, a sending
// peer), bounded in memory: past maxKeys it forgets full buckets first, then everything,
// which at worst grants a forgotten key one fresh burst.
type limiter[K comparable] struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	maxKeys int
	buckets map[K]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter[K comparable](burst int, every time.Duration, maxKeys int) *limiter[K] {
	return &limiter[K]{
		burst:   float64(burst),
		perSec:  1 / every.Seconds(),
		maxKeys: maxKeys,
		buckets: make(map[K]*bucket),
	}
}

// allow takes one token from k's bucket at now, if it has one.
func (l *limiter[K]) allow(k K, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[k]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[k] = b
	}
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = min(l.burst, b.tokens+dt*l.perSec)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *limiter[K]) evict(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxKeys {
		clear(l.buckets)
	}
}
