package node

import (
	"context"

	"github.com/sluicepay/sluice/channel"
)

// defendDue re-evaluates, on every poll, each channel in its challenge period: while the
// partner's best proof we hold is not on chain, a defense is started (or, if one is
// being driven, an ERROR is logged and the undefended-close gauge shows the seconds left).
// Reacting only to the Closed and ProofUpdated events would give up after one failed
// transaction.
func (n *Node) defendDue(ctx context.Context, chainTime uint64) {
	n.chans.Range(func(_, v any) bool {
		if ctx.Err() != nil {
			return false
		}
		n.defendClose(ctx, v.(*liveChannel), chainTime)
		n.defendEndorsed(ctx, v.(*liveChannel), chainTime) // ADR 0032
		return true
	})
}

// defendClose puts the partner's best proof on chain when the chain holds an older one.
// "Defended" is the contract's own rule: only the receiver of a proof (we, or someone
// carrying our endorsement) can set the on-chain nonce of the partner's proofs, so an
// on-chain nonce at or above our best one means our proof, or a later one, is there.
func (n *Node) defendClose(ctx context.Context, lc *liveChannel, chainTime uint64) {
	them := lc.us.Other()
	lc.mu.Lock()
	best, ok := lc.st.Latest(them)
	closing := lc.st.Status() == channel.StatusClosing
	lc.mu.Unlock()
	if !ok || !closing || best.Nonce == 0 {
		n.markDefended(lc)
		return
	}
	onChain, err := n.chain.Channel(ctx, lc.id)
	if err != nil {
		n.log.Warn("cannot read channel to defend close", "channel", lc.id, "err", err)
		return
	}
	if onChain.Status != channel.StatusClosing || onChain.Nonce[them] >= best.Nonce {
		lc.mu.Lock()
		lc.defended = true
		lc.mu.Unlock()
		n.markDefended(lc)
		return
	}
	if chainTime > onChain.SettleAfter {
		n.markDefended(lc)
		lc.mu.Lock()
		first := !lc.defenseLost
		lc.defenseLost = true
		lc.mu.Unlock()
		if first {
			n.log.Error("challenge period over before the partner's best proof reached the chain", "channel", lc.id, "onChainNonce", onChain.Nonce[them], "ourNonce", best.Nonce)
		}
		return
	}
	left := onChain.SettleAfter - chainTime
	lc.mu.Lock()
	lc.undefended = true
	already := lc.defending
	lc.defending = true
	lc.mu.Unlock()
	n.metrics.undefended.WithLabelValues(lc.id.String()).Set(float64(left))
	if already {
		n.log.Error("close not defended yet: the partner's best proof is not on chain", "channel", lc.id, "seconds_left", left, "onChainNonce", onChain.Nonce[them], "ourNonce", best.Nonce)
		return
	}
	n.log.Info("submitting partner's newer proof", "channel", lc.id, "onChainNonce", onChain.Nonce[them], "ourNonce", best.Nonce, "seconds_left", left)
	call := ChainCall{Kind: CallUpdateProof, Channel: lc.id, Proof: best}
	started := n.goTracked(func() {
		defer func() {
			lc.mu.Lock()
			lc.defending = false
			lc.mu.Unlock()
		}()
		if _, err := n.ops.submit(n.ctx, call, opIdentity{}); err != nil && n.ctx.Err() == nil {
			n.log.Error("defense of a close failed; retrying on the next poll", "channel", lc.id, "nonce", best.Nonce, "err", err)
		}
	})
	if !started {
		lc.mu.Lock()
		lc.defending = false
		lc.mu.Unlock()
	}
}

// markDefended takes the channel off the undefended-close gauge.
func (n *Node) markDefended(lc *liveChannel) {
	lc.mu.Lock()
	was := lc.undefended
	lc.undefended = false
	lc.mu.Unlock()
	if was {
		n.metrics.undefended.DeleteLabelValues(lc.id.String())
	}
}
