package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/store"
)

// Mediated transfers (issue 18, ADR 0025): the node's side of package mediate. The
// target creates the secret (NewInvoice); the initiator locks the amount to its partner
// with a LockedTransfer naming the rest of the route; each mediator forwards a lock that
// expires a reveal margin earlier; the secret travels back by SecretReveal and every hop
// unlocks. All decisions about pending locks (unlock, expire, reveal) are re-derived
// from the channel state, the stored secrets and chain time by the mediation loop
// (mediated_loop.go), so a restarted node resumes from what is on disk.

// ErrRouteFailed: a routed payment's lock resolved unpaid: it expired before the target
// released the secret, or a hop refused it and it was cancelled (*RouteRefusedError); the
// locked amount is back with the payer.
var ErrRouteFailed = errors.New("routed payment expired unpaid")

// lockStorage is the part of the store the mediated transfers read; *store.Store has it.
type lockStorage interface {
	GetSecret(hash [32]byte) ([32]byte, bool, error)
	GetLocks(id channel.ID, payer channel.Party) (store.LockSetRecord, bool, error)
}

// mediation is the node's mediated-transfer state. Nothing here is needed for safety
// after a restart: it caches secrets and rate-limits resends.
type mediation struct {
	cfg  mediate.Config
	now  atomic.Uint64 // chain time of the latest head the watcher saw
	kick chan struct{}

	mu sync.Mutex
	// secrets are the secrets we know, by hash: durable ones, and a mediator's revealed
	// secret that its pending unlock's batch stores (onSecretReveal, ADR 0034).
	secrets map[[32]byte][32]byte
	sent    map[sentKey]time.Time // last reveal per lock, so a reveal is resent at most every resendAfter
	// resolved records how our outgoing locks ended (by channel and hash) for PayRouted.
	resolved map[sentKey]lockResolution
	// ref is the refusal state (mediated_cancel.go).
	ref *refusals
	// held are secrets revealed to us that only our own outgoing locks need (we are the
	// initiator): not stored on their own, the unlock's batch stores them (mediated_pay.go).
	held map[[32]byte][32]byte
	// forwarded maps each incoming lock we forwarded (channel, hash) to the channel it
	// went out on (mediated_forwarded.go); durable, loaded at start.
	forwarded map[sentKey]channel.ID
	// waiters are closed when their lock's resolution is recorded (PayRouted waits on them).
	waiters map[sentKey]chan struct{}
	// dirty are the secret hashes whose locks changed since the loop last ran; all asks
	// the loop for every lock of every channel (mediated_loop.go).
	dirty map[[32]byte]struct{}
	all   bool
	// locks indexes every pending lock of every channel by hash (lock_index.go).
	locks *lockIndex
	// open caches openChannelWith's answer per peer (common.Address -> *liveChannel),
	// checked on every use, so a hub with many channels does not lock each of them for
	// every lock it forwards.
	open sync.Map
}

type sentKey struct {
	ch   channel.ID
	hash [32]byte
}

type lockResolution struct {
	unlocked bool
	nonce    uint64
	at       time.Time
}

const resendAfter = 2 * time.Second

func newMediation(c Config) *mediation {
	return &mediation{
		cfg:       mediate.Config{RevealMargin: c.RevealMargin, Fees: c.Routing.Fees},
		kick:      make(chan struct{}, 1),
		secrets:   map[[32]byte][32]byte{},
		sent:      map[sentKey]time.Time{},
		resolved:  map[sentKey]lockResolution{},
		forwarded: map[sentKey]channel.ID{},
		ref:       newRefusals(),
		waiters:   map[sentKey]chan struct{}{},
		held:      map[[32]byte][32]byte{},
		dirty:     map[[32]byte]struct{}{},
		locks:     newLockIndex(),
	}
}

// wake asks the loop to look at every lock of every channel (chain time moved, or a
// caller does not know which lock changed).
func (m *mediation) wake() {
	m.mu.Lock()
	m.all = true
	m.mu.Unlock()
	m.kickLoop()
}

// wakeFor asks the loop to look at the locks on hash only: an incoming lock or a secret.
func (m *mediation) wakeFor(hash [32]byte) {
	m.mu.Lock()
	m.dirty[hash] = struct{}{}
	m.mu.Unlock()
	m.kickLoop()
}

func (m *mediation) kickLoop() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// chainNow is the node's notion of chain time: the latest head's timestamp.
func (n *Node) chainNow(ctx context.Context) (uint64, error) {
	if t := n.med.now.Load(); t != 0 {
		return t, nil
	}
	_, t, err := n.chain.Head(ctx)
	if err != nil {
		return 0, fmt.Errorf("read chain time: %w", err)
	}
	n.med.now.CompareAndSwap(0, t)
	return t, nil
}

// secret returns a durable secret for hash, if the node knows one.
func (n *Node) secret(hash [32]byte) ([32]byte, bool) {
	n.med.mu.Lock()
	s, ok := n.med.secrets[hash]
	n.med.mu.Unlock()
	if ok {
		return s, true
	}
	ls, isLS := n.store.(lockStorage)
	if !isLS {
		return s, false
	}
	s, ok, err := ls.GetSecret(hash)
	if err != nil || !ok {
		return s, false
	}
	n.med.mu.Lock()
	n.med.secrets[hash] = s
	n.med.mu.Unlock()
	return s, true
}

// loadLocks reads both directions' pending lock sets for restoreChannel.
func (n *Node) loadLocks(id channel.ID) ([2][]channel.Lock, error) {
	var out [2][]channel.Lock
	ls, ok := n.store.(lockStorage)
	if !ok {
		return out, nil
	}
	for i := range 2 {
		rec, found, err := ls.GetLocks(id, channel.Party(i))
		if err != nil {
			return out, err
		}
		if found {
			out[i] = rec.Locks
		}
	}
	return out, nil
}

// freshChainNow reads the chain head's time now, not the watcher's last view of it.
func (n *Node) freshChainNow() (uint64, error) {
	ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
	defer cancel()
	_, t, err := n.chain.Head(ctx)
	if err != nil {
		return 0, err
	}
	n.med.advance(t)
	return t, nil
}

// advance raises the node's chain time to t (never lowers it); it reports a change.
func (m *mediation) advance(t uint64) bool {
	for {
		cur := m.now.Load()
		if cur >= t {
			return false
		}
		if m.now.CompareAndSwap(cur, t) {
			return true
		}
	}
}

// forget drops rate-limit and resolution entries older than keepFor: by then the lock
// they describe is long resolved or expired.
func (m *mediation) forget(keepFor time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, at := range m.sent {
		if time.Since(at) > keepFor {
			delete(m.sent, k)
		}
	}
	for k, r := range m.resolved {
		if time.Since(r.at) > keepFor {
			delete(m.resolved, k)
		}
	}
	m.ref.forget(keepFor)
}
