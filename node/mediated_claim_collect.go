package node

import (
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// Collecting a settled channel's unlock records (ADR 0040). The tombstones of our removed
// locks ('t', ADR 0037) and the nonce of our proof on chain (chainProofNamespace) exist
// for one reader: the unlock after settle, which rebuilds the list of ours the chain
// holds. Once the channel is settled and the contract holds nothing back in either
// direction (both unlocked, or nothing was held), no list can be asked for any more: they
// are deleted in one batch. "Holds nothing" is read from the chain and acted on only once
// the follower has confirmed the block it was read at, so an unlock a reorganisation
// removes still finds its records. Nothing else of the channel is deleted (its record,
// proofs and payment log stay for the views and audit).

// collectRetry spaces the checks of a settled channel whose locks are still held on
// chain though our unlocks are done (only the partner can unlock them, if ever).
const collectRetry = 10 * time.Minute

// maybeCollect starts the collection of lc's unlock records when it may be due: settled,
// our unlocks done (locks are the lists the claim step works on), not collected yet in
// this process. Cheap: memory only.
func (n *Node) maybeCollect(lc *liveChannel, locks [2][]channel.Lock) {
	c := n.claims
	c.mu.Lock()
	if c.collected[lc.id] || c.busy[lc.id] || time.Now().Before(c.next[lc.id]) {
		c.mu.Unlock()
		return
	}
	for p := range 2 {
		if len(locks[p]) > 0 && !c.unlocked[unlockKey{lc.id, channel.Party(p)}] {
			c.mu.Unlock()
			return // the claim step unlocks first
		}
	}
	c.busy[lc.id] = true
	c.mu.Unlock()
	done := func(retry time.Duration) {
		c.mu.Lock()
		delete(c.busy, lc.id)
		if retry == 0 {
			c.collected[lc.id] = true
			delete(c.next, lc.id)
			delete(c.collectAt, lc.id)
		} else {
			c.next[lc.id] = time.Now().Add(retry)
		}
		c.mu.Unlock()
	}
	if !n.goTracked(func() { done(n.collectSettled(lc)) }) {
		done(claimRetry)
	}
}

// collectSettled deletes lc's unlock records once nothing can need them; it returns 0
// when done (deleted, or nothing to delete), else when to look again.
func (n *Node) collectSettled(lc *liveChannel) time.Duration {
	ctx := n.ctx
	ts, ok := n.store.(tombStorage)
	if !ok {
		return 0
	}
	var added [2][]uint64
	var floors [2]uint64
	kept := 0
	for p := range 2 {
		tombs, floor, err := ts.Tombstones(lc.id, channel.Party(p))
		if err != nil {
			n.log.Warn("cannot read the tombstones of a settled channel", "channel", lc.id, "err", err)
			return claimRetry
		}
		for _, tb := range tombs {
			added[p] = append(added[p], tb.Added)
		}
		floors[p] = floor
		kept += len(tombs)
	}
	t := n.claims.tombs
	t.mu.Lock()
	nonce := t.chainNonce[lc.id]
	t.mu.Unlock()
	if kept == 0 && floors == [2]uint64{} && nonce == 0 {
		return 0
	}

	head, _, err := n.chain.Head(ctx)
	if err != nil {
		return claimRetry
	}
	p := lc.st.Params() // immutable
	for _, sender := range p.Participants {
		recv, _, err := n.chain.PendingUnlock(ctx, lc.id, sender)
		if err != nil {
			return claimRetry
		}
		if recv != (common.Address{}) {
			return collectRetry // held still: an unlock may yet need a list of ours
		}
	}
	c := n.claims
	c.mu.Lock()
	at := c.collectAt[lc.id]
	if at == 0 {
		at, c.collectAt[lc.id] = head, head
	}
	c.mu.Unlock()
	if n.synced.Load() < at {
		return claimRetry // until the follower confirmed the block it was read at
	}

	fill := func(b *store.Batch) error {
		for p := range 2 {
			if len(added[p]) > 0 || floors[p] > 0 {
				if err := b.DeleteTombstones(lc.id, channel.Party(p), added[p]); err != nil {
					return err
				}
			}
		}
		if err := b.DeleteMeta(heldRootNamespace, channelKey(lc.id)); err != nil {
			return err
		}
		if nonce != 0 {
			return b.DeleteMeta(chainProofNamespace, channelKey(lc.id))
		}
		return nil
	}
	errc := make(chan error, 1)
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSignal, done: errc}); err != nil {
		return claimRetry
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
		return claimRetry
	}
	if err != nil {
		n.log.Warn("unlock records of a settled channel not deleted", "channel", lc.id, "err", err)
		return claimRetry
	}
	t.mu.Lock()
	if ct := t.chans[lc.id]; ct != nil {
		t.kept.Sub(float64(len(ct.tombs)))
	}
	delete(t.chans, lc.id)
	delete(t.chainNonce, lc.id)
	delete(t.rebuilt, lc.id)
	delete(t.heldRoot, lc.id)
	t.mu.Unlock()
	t.floorMu.Lock()
	delete(t.floors, lc.id)
	t.floorMu.Unlock()
	n.log.Info("settled channel paid out: its tombstones and chain-proof record deleted", "channel", lc.id, "tombstones", kept)
	return 0
}
