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
// through is at most what the tower holds when we use one (prunableThrough,
// towerAnsweredOwn). The floor only rises: the fill, which runs in disk order, skips a
// prune at or below one already queued (two prunes computed concurrently may be queued
// out of order).
func (n *Node) pruneWithEndorsement(lc *liveChannel, through uint64) (func(*store.Batch) error, func()) {
	lc.mu.Lock()
	open := lc.st.Status() == channel.StatusOpen
	lc.mu.Unlock()
	// Once the channel closes, the chain decides which proof of ours counts: keep every
	// list rebuildable until the unlock after settle.
	if through == 0 || !open {
		return func(*store.Batch) error { return nil }, func() {}
	}
	added := n.tombsThrough(lc, through)
	t := n.claims.tombs
	fill := func(b *store.Batch) error {
		t.floorMu.Lock()
		raised := through > t.floors[lc.id]
		if raised {
			t.floors[lc.id] = through
		}
		t.floorMu.Unlock()
		if !raised {
			return nil
		}
		return b.PruneTombstones(lc.id, lc.us, through, added)
	}
	return fill, func() {
		if gone := n.pruned(lc, through); gone > 0 {
			n.log.Debug("checkpoint endorsed: tombstones pruned", "channel", lc.id, "nonce", through, "pruned", gone)
		}
	}
}

// prunableThrough is how far an endorsement of our proof endorsed lets us prune on id.
// With a watchtower, only through the endorsed nonce the tower answered for (0: none
// yet): while we are offline the tower may put that older endorsed proof on chain, and
// we must still rebuild its list, and that of any proof between it and ours, for the
// unlock after settle (ADR 0017, 0037 amendments). towerAnsweredOwn prunes the rest once
// the tower holds the newer one.
func (n *Node) prunableThrough(id channel.ID, endorsed uint64) uint64 {
	if n.tower == nil || n.tower.ownUnsupported.Load() || n.tower.holdsNoneOf(id) {
		return endorsed
	}
	return min(endorsed, n.tower.ownHeld(id))
}

// towerAnsweredOwn prunes on lc through nonce, our endorsed proof the tower now holds.
func (n *Node) towerAnsweredOwn(lc *liveChannel, nonce uint64) {
	through := min(nonce, n.med.ref.end.endorsedNonce(lc.id))
	fill, after := n.pruneWithEndorsement(lc, through)
	if through == 0 {
		return
	}
	if err := n.durable.enqueue(fill, afterCommit{kind: afterRun, then: after}); err != nil {
		n.log.Debug("tombstones not pruned after the tower's answer", "channel", lc.id, "err", err)
	}
}
