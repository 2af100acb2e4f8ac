package node

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
)

// Forwarding limits and lock griefing (ADR 0029, docs/routing.md): what a hub forwards
// per incoming and per outgoing partner is bounded by the operator's limits, and a peer
// that holds locks to expiry is counted, refused forwards, then banned.

// ForwardingConfig is the node's forwarding policy. The zero value sets no forwarding
// limit and counts griefing with mediate's defaults.
type ForwardingConfig struct {
	Limits   mediate.ForwardLimits
	Griefing mediate.GriefPolicy
}

// forwardGuard is the node's forwarding policy state.
type forwardGuard struct {
	limits *mediate.Forwarder
	grief  *mediate.GriefTracker
	now    func() time.Time

	refused    *prometheus.CounterVec // forwards refused, by reason
	held       *prometheus.CounterVec // locks held to expiry, by peer and direction
	griefBans  prometheus.Counter
	needsLoads bool // some pending limit is set: read the partners' lock sets
}

func newForwardGuard(c ForwardingConfig, reg *prometheus.Registry) (*forwardGuard, error) {
	f, err := mediate.NewForwarder(c.Limits)
	if err != nil {
		return nil, err
	}
	l := c.Limits
	g := &forwardGuard{
		limits: f,
		grief:  mediate.NewGriefTracker(c.Griefing),
		now:    time.Now,
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_forwards_refused_total",
			Help: "Locks this node did not forward because of a forwarding limit, by reason (in_/out_ partner and limit: pending, pending_value, forwarded, held_locks).",
		}, []string{"reason"}),
		held: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sluice_locks_held_to_expiry_total",
			Help: "Locks a peer held to expiry: ours it neither revealed nor refused (direction out), or its own it let expire after we revealed the secret (direction in).",
		}, []string{"peer", "direction"}),
		griefBans: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sluice_griefing_bans_total", Help: "Peers banned for holding locks to expiry.",
		}),
		needsLoads: l.In.MaxPending > 0 || l.Out.MaxPending > 0 || positive(l.In.MaxPendingValue) || positive(l.Out.MaxPendingValue),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{g.refused, g.held, g.griefBans} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("register forwarding metrics: %w", err)
			}
		}
	}
	return g, nil
}

func positive(v *big.Int) bool { return v != nil && v.Sign() > 0 }

// forwardAllowed decides whether lock, received on in, may be forwarded on out. Refused,
// it returns an error wrapping mediate.ErrForwardLimit (a *mediate.LimitError) and
// nothing is charged; admitted, undo gives the charge back if the lock is not sent.
func (n *Node) forwardAllowed(in, out *liveChannel, lock channel.Lock) (undo func(), err error) {
	g := n.fwd
	now := g.now()
	defer func() {
		if err != nil {
			var le *mediate.LimitError
			if errors.As(err, &le) {
				g.refused.WithLabelValues(le.Reason()).Inc()
			}
		}
	}()
	if err := g.grief.Check(out.peer, now); err != nil {
		return nil, err
	}
	var inLoad, outLoad mediate.Load
	if g.needsLoads {
		token := channelToken(in)
		inLoad = n.partnerLoad(in.peer, token, false)
		outLoad = n.partnerLoad(out.peer, token, true)
	}
	t, err := g.limits.Admit(now, in.peer, out.peer, inLoad, outLoad, lock.Amount)
	if err != nil {
		return nil, err
	}
	return t.Undo, nil
}

func channelToken(lc *liveChannel) common.Address {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.st.Params().Token
}

// partnerLoad adds up the pending locks on every open channel with peer in token: ours
// to it (outgoing) or its to us.
func (n *Node) partnerLoad(peer, token common.Address, outgoing bool) mediate.Load {
	load := mediate.Load{PendingValue: new(big.Int)}
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		if lc.peer != peer {
			return true
		}
		lc.mu.Lock()
		defer lc.mu.Unlock()
		if lc.st.Status() != channel.StatusOpen || lc.st.Params().Token != token {
			return true
		}
		payer := lc.us.Other()
		if outgoing {
			payer = lc.us
		}
		locks := lc.st.Locks(payer)
		load.Pending += len(locks)
		for _, l := range locks {
			load.PendingValue.Add(load.PendingValue, l.Amount)
		}
		return true
	})
	return load
}

// lockHeldToExpiry records that the partner of lc held lock to its expiration: ours,
// never revealed nor refused (incoming false), or its own, expired although we revealed
// the secret to it (incoming true). Past the ban threshold the peer is banned.
func (n *Node) lockHeldToExpiry(lc *liveChannel, lock channel.Lock, incoming bool) {
	g := n.fwd
	dir := "out"
	if incoming {
		dir = "in"
	}
	v := g.grief.Held(mediate.HeldLock{Peer: lc.peer, SecretHash: lock.SecretHash, Incoming: incoming}, g.now())
	if !v.New {
		return // a repeat of a counted lock (an expiry message handled again)
	}
	g.held.WithLabelValues(lc.peer.Hex(), dir).Inc()
	n.log.Warn("peer held a lock to expiry", "peer", lc.peer, "channel", lc.id, "direction", dir, "amount", lock.Amount,
		"held", v.Count, "refusing", v.Refused, "ban", v.Ban)
	if v.Ban && n.banPeer(lc.peer, fmt.Sprintf("held %d locks to expiry within %s", v.Count, g.grief.Policy().Window)) {
		g.griefBans.Inc()
	}
}

// maxPenalties bounds banPeer's loop: far above any MaxRefused an operator sets.
const maxPenalties = 1 << 16

// banPeer bans peer through the transport's penalty path: a held lock is one offence of
// the kind Penalize counts, but the refusal window (seconds) is meant for floods, so the
// node, which counted the offences over hours itself, reports as many as a ban takes. A
// peer without a session is not banned (the transport knows it by its session); it stays
// refused forwards by the tracker.
func (n *Node) banPeer(peer common.Address, why string) bool {
	for range maxPenalties {
		if n.transport.Penalize(peer, "lock griefing: "+why) {
			return true
		}
		if !n.hasSession(peer) {
			return false
		}
	}
	return false
}

func (n *Node) hasSession(peer common.Address) bool {
	for _, p := range n.transport.Peers() {
		if p.Address == peer {
			return true
		}
	}
	return false
}

// revealedTo reports whether we sent the payer of lc's incoming lock hash its secret.
func (n *Node) revealedTo(lc *liveChannel, hash [32]byte) bool {
	n.med.mu.Lock()
	defer n.med.mu.Unlock()
	_, sent := n.med.sent[sentKey{lc.id, hash}]
	return sent
}

// afterLockExpired is onLockExpired's follow-up: a payer that expires a lock whose secret
// we revealed to it kept what it owed us (an offence), otherwise nothing.
func (n *Node) afterLockExpired(hash [32]byte) func(*liveChannel) {
	return func(lc *liveChannel) {
		if n.revealedTo(lc, hash) {
			n.lockHeldToExpiry(lc, channel.Lock{SecretHash: hash, Amount: new(big.Int)}, true)
		}
	}
}
