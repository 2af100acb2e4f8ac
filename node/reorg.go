package node

import (
	"context"
	"math/big"

	"github.com/sluicepay/sluice/channel"
)

// rollbackEvents is the follower's report that the blocks above fork were replaced. The
// channels the removed events touched are reconciled with what the chain now holds (at
// once if the chain answers, else on a later poll); our own transactions in the removed
// blocks may be gone from every pool, so the next one reads the account's nonce afresh.
// A defense that was removed needs nothing here: defendDue compares the chain's proof
// with ours on every poll and submits it again.
func (n *Node) rollbackEvents(ctx context.Context, fork uint64, removed []ChainEvent) error {
	n.metrics.reorgs.Inc()
	n.chain.ResyncNonce()
	n.reorgMu.Lock()
	for _, ev := range removed {
		n.reorged[ev.Channel] = true
	}
	n.reorgMu.Unlock()
	for _, ev := range removed {
		if ev.Kind == EventUnlocked {
			n.retractUnlocked(ev)
		}
		if ev.Kind == EventLocksHeld {
			n.retractLocksHeld(ev)
		}
	}
	n.log.Warn("chain reorganised: reconciling the channels whose events were removed", "fork", fork, "removed_events", len(removed))
	n.reconcileReorged(ctx)
	return nil
}

// reconcileReorged brings each channel a reorganisation touched back to the chain's
// view. Only deposits go down (a removed deposit is what the node must never keep
// counting); a removed withdrawal or close is kept as it was, the conservative side: the
// balance stays lower, the channel stays closing, until the chain shows otherwise.
func (n *Node) reconcileReorged(ctx context.Context) {
	n.reorgMu.Lock()
	ids := make([]channel.ID, 0, len(n.reorged))
	for id := range n.reorged {
		ids = append(ids, id)
	}
	n.reorgMu.Unlock()
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		lc := n.channel(id)
		if lc == nil {
			n.forgetReorged(id)
			continue
		}
		onChain, err := n.chain.Channel(ctx, id)
		if err != nil {
			n.log.Warn("cannot read a reorganised channel from the chain; trying again next poll", "channel", id, "err", err)
			continue
		}
		if err := n.reconcile(ctx, lc, onChain); err != nil {
			n.log.Warn("reorganised channel not stored; trying again next poll", "channel", id, "err", err)
			continue
		}
		n.forgetReorged(id)
	}
}

func (n *Node) forgetReorged(id channel.ID) {
	n.reorgMu.Lock()
	delete(n.reorged, id)
	n.reorgMu.Unlock()
}

func (n *Node) reconcile(ctx context.Context, lc *liveChannel, onChain OnChainChannel) error {
	changed := false
	lc.mu.Lock()
	for _, p := range []channel.Party{channel.PartyA, channel.PartyB} {
		chainDep := onChain.Deposit[p]
		if onChain.Status == channel.StatusNone || chainDep == nil {
			chainDep = new(big.Int) // the open itself was removed
		}
		ours := lc.st.Side(p).Deposit
		if chainDep.Cmp(ours) >= 0 {
			continue
		}
		was := new(big.Int).Set(ours)
		if err := lc.st.RollbackDeposit(p, chainDep); err != nil {
			n.log.Error("cannot roll back a deposit a reorg removed", "channel", lc.id, "party", p, "err", err)
			continue
		}
		changed = true
		n.metrics.depositRollbacks.Inc()
		n.log.Warn("a reorg removed a deposit: the channel's balance is what the chain now holds", "channel", lc.id, "party", p, "deposit_was", was, "deposit_now", chainDep)
	}
	status := lc.st.Status()
	lc.mu.Unlock()
	if onChain.Status < status {
		n.log.Warn("a reorg removed a status change; the channel keeps its later status until the chain shows it again", "channel", lc.id, "ours", status, "chain", onChain.Status)
	}
	if !changed {
		return nil
	}
	return n.persist(ctx, lc)
}
