package mediate

import (
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Lock griefing (ADR 0029): a peer that takes a lock and neither reveals nor refuses it
// holds the payer's capacity until the expiration, for free. The node counts such locks
// per peer: locks we sent that the peer held to expiry, and locks it sent us that it let
// expire although we had its secret (it would not unlock what it owed). Past
// RefuseAbove within Window the node forwards nothing more to the peer; past BanAbove
// it bans it.

// GriefPolicy bounds the locks a peer may hold to expiry within Window. Zero fields
// take the defaults; a negative threshold turns that measure off.
type GriefPolicy struct {
	Window      time.Duration `json:"window,omitempty"`      // DefaultGriefWindow
	RefuseAbove int           `json:"refuseAbove,omitempty"` // DefaultGriefRefuseAbove
	BanAbove    int           `json:"banAbove,omitempty"`    // DefaultGriefBanAbove
}

// Griefing defaults: a lock held to expiry also happens to an honest peer whose own
// downstream griefed it, or that crashed, so a few are forgiven.
const (
	DefaultGriefWindow      = 24 * time.Hour
	DefaultGriefRefuseAbove = 3
	DefaultGriefBanAbove    = 10
)

// maxGriefEvents bounds what is kept per peer: past BanAbove more events change nothing.
const maxGriefEvents = 1024

func (p GriefPolicy) withDefaults() GriefPolicy {
	if p.Window <= 0 {
		p.Window = DefaultGriefWindow
	}
	if p.RefuseAbove == 0 {
		p.RefuseAbove = DefaultGriefRefuseAbove
	}
	if p.BanAbove == 0 {
		p.BanAbove = DefaultGriefBanAbove
	}
	return p
}

// HeldLock is one lock a peer held to expiry.
type HeldLock struct {
	Peer       common.Address
	SecretHash [32]byte
	// Incoming: the peer's lock to us, expired although we had the secret; otherwise our
	// lock to the peer, expired unrevealed.
	Incoming bool
}

// GriefVerdict is what one more held lock means for its peer.
type GriefVerdict struct {
	New     bool // the lock was not recorded before (a repeat changes nothing)
	Count   int  // locks the peer held to expiry within the window, this one included
	Refused bool // forwards to the peer are refused now
	Ban     bool // the peer is over BanAbove: ban it
}

// GriefTracker counts held locks per peer. It is safe for concurrent use.
type GriefTracker struct {
	p  GriefPolicy
	mu sync.Mutex
	by map[common.Address][]heldAt
}

type heldAt struct {
	hash     [32]byte
	incoming bool
	at       time.Time
}

// NewGriefTracker returns a tracker for p (defaults filled in).
func NewGriefTracker(p GriefPolicy) *GriefTracker {
	return &GriefTracker{p: p.withDefaults(), by: map[common.Address][]heldAt{}}
}

// Policy returns the policy in force.
func (g *GriefTracker) Policy() GriefPolicy { return g.p }

// Held records h at now, once per peer, hash and direction (a repeat changes nothing).
func (g *GriefTracker) Held(h HeldLock, now time.Time) GriefVerdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	list := g.prune(h.Peer, now)
	dup := false
	for _, e := range list {
		if e.hash == h.SecretHash && e.incoming == h.Incoming {
			dup = true
			break
		}
	}
	if !dup && len(list) < maxGriefEvents {
		list = append(list, heldAt{hash: h.SecretHash, incoming: h.Incoming, at: now})
		g.by[h.Peer] = list
	}
	v := g.verdict(len(list))
	v.New = !dup
	return v
}

// Check is the peer's standing at now without recording anything: an error wrapping
// ErrForwardLimit while forwards to it are refused.
func (g *GriefTracker) Check(peer common.Address, now time.Time) error {
	g.mu.Lock()
	n := len(g.prune(peer, now))
	g.mu.Unlock()
	if v := g.verdict(n); v.Refused {
		return &LimitError{Side: "out", Limit: "held_locks", Partner: peer,
			Detail: fmt.Sprintf("held %d locks to expiry within %s, at most %d", n, g.p.Window, g.p.RefuseAbove)}
	}
	return nil
}

// Count is how many locks peer held to expiry within the window ending at now.
func (g *GriefTracker) Count(peer common.Address, now time.Time) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.prune(peer, now))
}

func (g *GriefTracker) verdict(n int) GriefVerdict {
	return GriefVerdict{
		Count:   n,
		Refused: g.p.RefuseAbove >= 0 && n > g.p.RefuseAbove,
		Ban:     g.p.BanAbove >= 0 && n > g.p.BanAbove,
	}
}

// prune drops the peer's events older than the window; the caller holds g.mu.
func (g *GriefTracker) prune(peer common.Address, now time.Time) []heldAt {
	list := g.by[peer]
	since := now.Add(-g.p.Window)
	i := 0
	for i < len(list) && !list[i].at.After(since) {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(g.by, peer)
		return nil
	}
	g.by[peer] = list
	return list
}
