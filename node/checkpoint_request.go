package node

import (
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Checkpoint requests (ADR 0037). A checkpoint is the partner's endorsement of our latest
// proof, asked with the exchange cancels use (ADR 0032): we repeat that proof as a
// LockExpired naming no lock (a zero hash), which the partner acknowledges as an exact
// repeat of its latest proof of ours and endorses (at most once a second per channel).
// The CancelEndorsement comes back to onCancelEndorsement, which stores it and prunes the
// tombstones removed at or before it in the same batch. The repeat is queued on the
// durable queue right behind the proof it repeats, under the channel's lock: it leaves
// after that proof's own message and before any newer one, so even in a stream of
// payments the partner finds it is its latest. The request is rare: when a channel keeps
// CheckpointConfig.Every tombstones or its oldest is CheckpointConfig.After old, at most
// once per checkpointSpacing, and only with a session to the partner.

// checkpointSpacing is the least time between two checkpoint requests on a channel: the
// partner endorses at most one repeat a second anyway.
const checkpointSpacing = time.Second

// maybeCheckpoint asks lc's partner for a checkpoint when one is due. The mediation loop
// calls it for every channel on every tick (claimLocks): cheap unless one is due.
func (n *Node) maybeCheckpoint(lc *liveChannel) {
	n.prunePending(lc)
	if !n.checkpointDue(lc) || !n.transport.Connected(lc.peer) {
		return
	}
	e := n.med.ref.end
	e.mu.Lock()
	last, asked := e.requested[lc.id]
	have := e.best[lc.id].proof.Nonce
	e.mu.Unlock()
	if asked && time.Since(last) < checkpointSpacing {
		return
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	latest, ok := lc.st.Latest(lc.us)
	if lc.st.Status() != channel.StatusOpen || !ok || lc.desync != nil || latest.Nonce <= have {
		return
	}
	locks := lc.st.Locks(lc.us)
	if root, err := channel.LocksRoot(locks); err != nil || root != latest.LocksRoot {
		return // cannot happen: our state's list is our latest proof's
	}
	e.ask(lc.id, endorsedProof{proof: latest, locks: locks, locksN: true})
	n.claims.tombs.asked.Inc()
	msg := &p2p.LockExpired{Proof: latest}
	if err := n.durable.enqueue(nil, afterCommit{kind: afterSendLock, ch: lc, nonce: latest.Nonce, msg: msg}); err != nil {
		n.log.Debug("checkpoint request not queued", "channel", lc.id, "err", err)
	}
}

// pruneWithEndorsement is onCancelEndorsement's share of a checkpoint: the batch that
// stores the endorsement of our proof through also deletes the tombstones removed at or
// before it (any older proof of ours is then overridden on chain by the endorsed one,
// defendEndorsed) and raises the prune floor. It returns what runs after the commit.
//
// With a watchtower, nothing is pruned until the tower answered for the endorsed proof
// through (towerHoldsOwn): until then, while we are offline, the tower may put an older
// endorsed proof of ours on chain, and the unlock after settle needs that proof's list
// (fifth attacker pass). prunePending prunes once it has answered.
func (n *Node) pruneWithEndorsement(lc *liveChannel, through uint64) (func(*store.Batch) error, func()) {
	if !n.towerHoldsOwn(lc.id, through) {
		return func(*store.Batch) error { return nil }, func() {}
	}
	added := n.tombsThrough(lc, through)
	fill := func(b *store.Batch) error { return b.PruneTombstones(lc.id, lc.us, through, added) }
	return fill, func() {
		if gone := n.pruned(lc, through); gone > 0 {
			n.log.Debug("checkpoint endorsed: tombstones pruned", "channel", lc.id, "nonce", through, "pruned", gone)
		}
	}
}

// prunePending prunes the tombstones removed at or before our best endorsed proof on lc
// once the tower holds that proof, when the endorsement itself could not
// (pruneWithEndorsement): at most once per checkpointSpacing while some are left.
func (n *Node) prunePending(lc *liveChannel) {
	through := n.med.ref.end.endorsedNonce(lc.id)
	if through == 0 || n.tower == nil || !n.towerHoldsOwn(lc.id, through) {
		return
	}
	t := n.claims.tombs
	t.mu.Lock()
	ct, ok := t.chans[lc.id]
	due := false
	if ok && time.Since(ct.pruneTried) >= checkpointSpacing {
		for _, tb := range ct.tombs {
			due = due || tb.removed <= through
		}
	}
	if due {
		ct.pruneTried = time.Now()
	}
	t.mu.Unlock()
	if !due {
		return
	}
	fill, then := n.pruneWithEndorsement(lc, through)
	if err := n.durable.enqueue(fill, afterCommit{kind: afterRun, then: then}); err != nil {
		n.log.Debug("deferred checkpoint prune not queued", "channel", lc.id, "err", err)
	}
}
