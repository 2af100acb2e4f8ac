package invoicing

import (
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Limiter is a token bucket per peer: Burst requests at once, refilled at Rate per
// second. It holds at most MaxPeers buckets; when full, buckets that are full again
// (idle peers) are dropped, and if none is, a new peer is refused until one is.
type Limiter struct {
	Rate     float64
	Burst    float64
	MaxPeers int // zero: 4096

	mu      sync.Mutex
	buckets map[common.Address]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// Allow takes one token of peer's bucket at now.
func (l *Limiter) Allow(peer common.Address, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[common.Address]*bucket{}
	}
	b, ok := l.buckets[peer]
	if !ok {
		max := l.MaxPeers
		if max <= 0 {
			max = 4096
		}
		if len(l.buckets) >= max {
			l.dropIdle(now)
			if len(l.buckets) >= max {
				return false
			}
		}
		b = &bucket{tokens: l.Burst, at: now}
		l.buckets[peer] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (l *Limiter) refill(b *bucket, now time.Time) {
	if dt := now.Sub(b.at).Seconds(); dt > 0 {
		b.tokens = min(l.Burst, b.tokens+dt*l.Rate)
		b.at = now
	}
}

func (l *Limiter) dropIdle(now time.Time) {
	for p, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.Burst {
			delete(l.buckets, p)
		}
	}
}
