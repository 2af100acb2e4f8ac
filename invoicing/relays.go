package invoicing

import (
	"errors"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Relay table defaults: a request's reply is relayed for RelayTTL after the request went
// on; at most MaxRelays requests are in flight through one node.
const (
	RelayTTL  = 30 * time.Second
	MaxRelays = 10_000
)

var (
	// ErrTableFull: too many requests in flight through this node.
	ErrTableFull = errors.New("too many invoice requests in flight")
	// ErrDuplicate: a request with this id is already in flight.
	ErrDuplicate = errors.New("invoice request id already in flight")
	// ErrPeerShare: the peer a request came from has its share of the table in flight
	// (half of what the other peers leave, ADR 0043).
	ErrPeerShare = errors.New("too many invoice requests in flight from this peer")
)

// Relays remembers, per request id, which peer a mediator took a request from and which
// it passed it to, so a reply is relayed only back along the path its request took and
// only from the peer that was asked. Entries expire after TTL; the table is bounded, and
// one peer may hold at most half of what the others leave of it (ADR 0043): requests
// nobody answers (a partner asking an accomplice that stays silent) stay for the TTL, and
// without the share one partner filled the table and every other partner's request was
// refused.
type Relays struct {
	TTL time.Duration // zero: RelayTTL
	Max int           // zero: MaxRelays

	mu      sync.Mutex
	entries map[[16]byte]relay
	perFrom map[common.Address]int
	swept   time.Time // the last sweep, so a peer at its share cannot make every Add sweep
}

type relay struct {
	from, next common.Address
	at         time.Time
}

func (t *Relays) ttl() time.Duration {
	if t.TTL > 0 {
		return t.TTL
	}
	return RelayTTL
}

// Add records that request id came from `from` and goes on to next.
func (t *Relays) Add(id [16]byte, from, next common.Address, now time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil {
		t.entries, t.perFrom = map[[16]byte]relay{}, map[common.Address]int{}
	}
	if e, ok := t.entries[id]; ok {
		if now.Sub(e.at) <= t.ttl() {
			return ErrDuplicate
		}
		t.drop(id, e) // expired: its id may be used again
	}
	max := t.Max
	if max <= 0 {
		max = MaxRelays
	}
	full := func() bool { return len(t.entries) >= max }
	over := func() bool { return t.perFrom[from] >= share(max, len(t.entries)-t.perFrom[from]) }
	if (full() || over()) && now.Sub(t.swept) >= time.Second {
		t.sweep(now)
	}
	if full() {
		return ErrTableFull
	}
	if over() {
		return ErrPeerShare
	}
	t.entries[id] = relay{from: from, next: next, at: now}
	t.perFrom[from]++
	return nil
}

// share is what one peer may hold of a table of max when the other peers hold others:
// half of what they leave, rounded up.
func share(max, others int) int { return (max - others + 1) / 2 }

// Take returns the peer to relay a reply for id to, when replyFrom is the peer the
// request went to and the entry is still live; the entry is then gone (one reply per
// request).
func (t *Relays) Take(id [16]byte, replyFrom common.Address, now time.Time) (common.Address, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.entries[id]
	if !ok || e.next != replyFrom {
		return common.Address{}, false
	}
	t.drop(id, e)
	if now.Sub(e.at) > t.ttl() {
		return common.Address{}, false
	}
	return e.from, true
}

// Len is the number of entries held (live or not yet swept).
func (t *Relays) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// Held is the number of entries held for requests that came from peer.
func (t *Relays) Held(from common.Address) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.perFrom[from]
}

// sweep drops expired entries; callers hold mu.
func (t *Relays) sweep(now time.Time) {
	t.swept = now
	for id, e := range t.entries {
		if now.Sub(e.at) > t.ttl() {
			t.drop(id, e)
		}
	}
}

// drop removes entry id (e); callers hold mu.
func (t *Relays) drop(id [16]byte, e relay) {
	delete(t.entries, id)
	if t.perFrom[e.from]--; t.perFrom[e.from] <= 0 {
		delete(t.perFrom, e.from)
	}
}
