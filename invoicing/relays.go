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
)

// Relays remembers, per request id, which peer a mediator took a request from and which
// it passed it to, so a reply is relayed only back along the path its request took and
// only from the peer that was asked. Entries expire after TTL; the table is bounded.
type Relays struct {
	TTL time.Duration // zero: RelayTTL
	Max int           // zero: MaxRelays

	mu      sync.Mutex
	entries map[[16]byte]relay
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
		t.entries = map[[16]byte]relay{}
	}
	if e, ok := t.entries[id]; ok && now.Sub(e.at) <= t.ttl() {
		return ErrDuplicate
	}
	max := t.Max
	if max <= 0 {
		max = MaxRelays
	}
	if len(t.entries) >= max {
		t.sweep(now)
		if len(t.entries) >= max {
			return ErrTableFull
		}
	}
	t.entries[id] = relay{from: from, next: next, at: now}
	return nil
}

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
	delete(t.entries, id)
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

// sweep drops expired entries; callers hold mu.
func (t *Relays) sweep(now time.Time) {
	for id, e := range t.entries {
		if now.Sub(e.at) > t.ttl() {
			delete(t.entries, id)
		}
	}
}
