package node

import (
	"context"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// Secrets learnt from the chain (ADR 0027). A receiver of one of our locks may register
// its secret on chain instead of revealing it to us (to claim the lock by close/settle/
// unlock). We must learn that secret in time to claim the lock that pays us for it, so
// from its claim deadline on (or as soon as the channel is no longer open, when no
// off-chain reveal can come) each of our outgoing locks with an unknown secret is looked
// up in the registry on every claim round, until a margin after its expiration (by then
// our incoming lock, which outlived it by a margin, has expired too).

// learnWindow reports whether our outgoing lock l, secret unknown, is looked up on chain.
func (n *Node) learnWindow(l channel.Lock, open bool, now uint64) bool {
	if open && now < n.med.cfg.ClaimDeadline(l) {
		return false
	}
	return now <= l.Expiration+n.med.cfg.Margin()
}

// learnSecrets looks up the registry for our outgoing locks whose secret we do not know;
// a secret found is stored before anything acts on it, then the mediation loop unlocks
// and claims with it. It reports whether every lock it looked up is settled (no secret
// left to watch for).
func (n *Node) learnSecrets(ctx context.Context, lc *liveChannel, out []channel.Lock, open bool, now uint64) bool {
	done := true
	for _, l := range out {
		if _, known := n.secret(l.SecretHash); known || !n.learnWindow(l, open, now) {
			continue
		}
		secret, found, err := n.chain.RegisteredSecret(ctx, l.SecretHash)
		if err != nil {
			n.log.Warn("cannot look up a secret registration", "channel", lc.id, "err", err)
			done = false
			continue
		}
		if !found {
			done = false
			continue
		}
		errc := make(chan error, 1)
		if err := n.durable.enqueue(func(b *store.Batch) error { b.PutSecret(secret); return nil }, afterCommit{kind: afterSignal, done: errc}); err != nil {
			return false
		}
		select {
		case err = <-errc:
		case <-ctx.Done():
			return false
		}
		if err != nil {
			n.log.Warn("secret learnt from the chain not stored", "channel", lc.id, "err", err)
			return false
		}
		n.med.mu.Lock()
		n.med.secrets[l.SecretHash] = secret
		n.med.mu.Unlock()
		n.log.Info("learnt a secret from the chain's registry", "channel", lc.id, "amount", l.Amount)
		n.med.wake()
	}
	return done
}
