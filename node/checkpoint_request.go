package node

import (
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Checkpoint requests (ADR 0037). A checkpoint is the partner's endorsement of our latest
// proof it acknowledged, asked with the exchange cancels use (ADR 0032): we repeat that
// proof as a LockExpired naming no lock (a zero hash: an exact repeat, which the partner
// acknowledges and endorses at most once a second per channel), and its
// CancelEndorsement comes back to onCancelEndorsement, which stores it and prunes the
// tombstones removed at or before it in the same batch. The request is rare: when a
// channel keeps CheckpointConfig.Every tombstones or its oldest is CheckpointConfig.After
// old, at most every resendAfter, and only while our latest proof is acknowledged (the
// partner endorses only its latest proof of ours).

// maybeCheckpoint asks lc's partner for a checkpoint when one is due. The mediation loop
// calls it for every channel on every tick (claimLocks): cheap unless one is due.
func (n *Node) maybeCheckpoint(lc *liveChannel) {
	if !n.checkpointDue(lc) {
		return
	}
	e := n.med.ref.end
	e.mu.Lock()
	last, asked := e.requested[lc.id]
	due := !asked || time.Since(last) >= resendAfter
	have := e.best[lc.id].proof.Nonce
	e.mu.Unlock()
	if !due {
		return
	}
	lc.mu.Lock()
	open := lc.st.Status() == channel.StatusOpen
	latest, ok := lc.st.Latest(lc.us)
	acked := lc.acked
	locks := lc.st.Locks(lc.us)
	lc.mu.Unlock()
	if !open || !ok || acked < latest.Nonce || latest.Nonce <= have {
		return // a stream of payments: asked again on a later tick, once one is acknowledged
	}
	ep := endorsedProof{proof: latest, locks: locks, locksN: true}
	if root, err := channel.LocksRoot(locks); err != nil || root != latest.LocksRoot {
		return // our list is not the proof's (cannot happen once it is acknowledged)
	}
	e.ask(lc.id, ep)
	n.claims.tombs.asked.Inc()
	if err := n.transport.Send(n.ctx, lc.peer, &p2p.LockExpired{Proof: latest}); err != nil {
		n.log.Debug("checkpoint request not sent", "channel", lc.id, "err", err)
	}
}

// pruneWithEndorsement is onCancelEndorsement's share of a checkpoint: the batch that
// stores the endorsement of our proof through also deletes the tombstones removed at or
// before it (any older proof of ours is then overridden on chain by the endorsed one,
// defendEndorsed) and raises the prune floor. It returns what runs after the commit.
func (n *Node) pruneWithEndorsement(lc *liveChannel, through uint64) (func(*store.Batch) error, func()) {
	added := n.tombsThrough(lc, through)
	fill := func(b *store.Batch) error { return b.PruneTombstones(lc.id, lc.us, through, added) }
	return fill, func() {
		if gone := n.pruned(lc, through); gone > 0 {
			n.log.Debug("checkpoint endorsed: tombstones pruned", "channel", lc.id, "nonce", through, "pruned", gone)
		}
	}
}
