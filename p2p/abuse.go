package p2p

import (
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// banList is the transport's connection gater: a banned peer can neither dial us
// nor be dialed until its ban expires. It also counts malformed frames and refused
// messages per peer across sessions, so reconnecting does not reset a misbehaving
// peer's record.
type banList struct {
	mu        sync.Mutex
	now       func() time.Time
	banned    map[peer.ID]time.Time // until
	malformed map[peer.ID][]time.Time
	refused   map[peer.ID][]time.Time
	accepts   acceptLimiter
}

// sweepAbove is the number of peers a record may hold before entries that can no
// longer matter are swept, so a stream of fresh identities cannot grow it forever.
const sweepAbove = 4096

func newBanList(now func() time.Time) *banList {
	return &banList{now: now, banned: map[peer.ID]time.Time{}, malformed: map[peer.ID][]time.Time{}, refused: map[peer.ID][]time.Time{}}
}

func (b *banList) ban(id peer.ID, d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if len(b.banned) >= sweepAbove {
		for p, until := range b.banned {
			if now.After(until) {
				delete(b.banned, p)
			}
		}
	}
	b.banned[id] = now.Add(d)
	delete(b.malformed, id)
	delete(b.refused, id)
}

func (b *banList) isBanned(id peer.ID) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	until, ok := b.banned[id]
	if !ok {
		return false
	}
	if b.now().After(until) {
		delete(b.banned, id)
		return false
	}
	return true
}

// recordMalformed counts one malformed frame and reports whether the peer has now
// exceeded max within window.
func (b *banList) recordMalformed(id peer.ID, max int, window time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return record(b.malformed, id, b.now(), max, window)
}

// recordRefused counts one refused message, like recordMalformed.
func (b *banList) recordRefused(id peer.ID, max int, window time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return record(b.refused, id, b.now(), max, window)
}

func record(m map[peer.ID][]time.Time, id peer.ID, now time.Time, max int, window time.Duration) bool {
	if len(m) >= sweepAbove {
		for p, times := range m {
			if len(times) == 0 || now.Sub(times[len(times)-1]) >= window {
				delete(m, p)
			}
		}
	}
	times := m[id]
	kept := times[:0]
	for _, t := range times {
		if now.Sub(t) < window {
			kept = append(kept, t)
		}
	}
	kept = append(kept, now)
	m[id] = kept
	return len(kept) > max
}

func (b *banList) InterceptPeerDial(id peer.ID) bool { return !b.isBanned(id) }

func (b *banList) InterceptAddrDial(peer.ID, ma.Multiaddr) bool { return true }

// InterceptAccept refuses a connection, before any handshake, from an IP that opens
// new connections faster than its NewConnRate (acceptlimit.go).
func (b *banList) InterceptAccept(c network.ConnMultiaddrs) bool {
	return b.accepts.allow(c.RemoteMultiaddr(), b.now())
}

func (b *banList) InterceptSecured(_ network.Direction, id peer.ID, _ network.ConnMultiaddrs) bool {
	return !b.isBanned(id)
}

func (b *banList) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

// tokenBucket limits one peer's message rate. It is owned by that peer's reader
// goroutine, so it needs no lock.
type tokenBucket struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func newTokenBucket(rate float64, burst int, now time.Time) tokenBucket {
	return tokenBucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now}
}

func (tb *tokenBucket) allow(now time.Time) bool {
	if elapsed := now.Sub(tb.last); elapsed > 0 {
		tb.tokens += elapsed.Seconds() * tb.rate
		if tb.tokens > tb.burst {
			tb.tokens = tb.burst
		}
		tb.last = now
	}
	if tb.tokens < 1 {
		return false
	}
	tb.tokens--
	return true
}
