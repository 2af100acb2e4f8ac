package p2p

import (
	"sync"
	"time"

	ma "github.com/multiformats/go-multiaddr"
)

// acceptLimiter is a token bucket per remote IP for new inbound connections: a host may
// open NewConnBurst at once and NewConnRate per second after that. The map is swept of
// full buckets (IPs quiet long enough to have refilled) once it holds sweepAbove IPs,
// so a spread of addresses cannot grow it without bound.
type acceptLimiter struct {
	mu            sync.Mutex
	rate          float64
	burst         int
	limitLoopback bool
	buckets       map[string]*tokenBucket
	refused       func() // counts a refusal (Stats.Refused[RefusedConnRate])
}

func (a *acceptLimiter) init(l Limits, refused func()) {
	a.rate, a.burst, a.limitLoopback, a.refused = l.NewConnRate, l.NewConnBurst, l.LimitLoopback, refused
	a.buckets = map[string]*tokenBucket{}
}

func (a *acceptLimiter) allow(remote ma.Multiaddr, now time.Time) bool {
	if a.rate <= 0 {
		return true
	}
	ip, _ := subnetOf(remote, a.limitLoopback)
	if ip == "" {
		return true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	tb := a.buckets[ip]
	if tb == nil {
		if len(a.buckets) >= sweepAbove {
			a.sweep(now)
		}
		b := newTokenBucket(a.rate, a.burst, now)
		tb = &b
		a.buckets[ip] = tb
	}
	if tb.allow(now) {
		return true
	}
	if a.refused != nil {
		a.refused()
	}
	return false
}

// sweep forgets the buckets that have refilled: their IPs are as new. Callers hold mu.
func (a *acceptLimiter) sweep(now time.Time) {
	full := time.Duration(float64(a.burst) / a.rate * float64(time.Second))
	for ip, tb := range a.buckets {
		if now.Sub(tb.last) >= full {
			delete(a.buckets, ip)
		}
	}
}
