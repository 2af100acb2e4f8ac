package node

import (
	"context"
	"errors"
	"time"

	"github.com/sluicepay/sluice/mediate"
)

// A payer prices its first lock's expiration from its own view of chain time: the
// watcher's last head. A view behind the chain (a jump in chain time the watcher has not
// polled yet, or an RPC that answered from a lagging backend) prices a lock that a hop
// already at the new head finds too short, or already expired:
//   - too short: the hop refuses it (mediate.ReasonExpiry; the payee: ReasonTooLate). That
//     is the payer's fault, not the hop's: excluding the hop would leave a payer with one
//     hub no route at all, and the payee's refusal would end the payment. So on the first
//     such refusal of a PayTo call the payer reads the chain head again
//     (freshChainNow) and locks the same route once more, priced from that time, within
//     the caller's deadline. A hop that refuses again is excluded as before; one refresh
//     per call bounds what a hop that always refuses can cost (one more lock, cancelled
//     like the first).
//   - already expired (the view lags by the lock's whole life): the hop's channel rules
//     reject the proof that adds it, and the payer, which counts a sent proof as spent, is
//     a nonce ahead of the hop for good. So PayTo reads the head itself while it prepares
//     the payment (invoice, quote) and locks only after that read (at most headReadBound).

// headReadBound bounds PayTo's own read of the chain head: an RPC that does not answer
// leaves the watcher's view, as before.
const headReadBound = 2 * time.Second

// headRead is PayTo's read of the chain head, running while the payment is prepared.
type headRead struct {
	done   chan struct{}
	cancel context.CancelFunc
}

// readHead reads the chain head in the background and raises the node's chain time to
// it, within headReadBound and ctx.
func (n *Node) readHead(ctx context.Context) headRead {
	ctx, cancel := context.WithTimeout(ctx, headReadBound)
	h := headRead{done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(h.done)
		_, t, err := n.chain.Head(ctx)
		if err != nil {
			n.log.Debug("chain head not read before the payment; pricing from the watcher's view", "err", err)
			return
		}
		if n.med.advance(t) {
			n.med.wake() // chain time moved: locks may have expired
		}
	}()
	return h
}

// wait returns once the read is over.
func (h headRead) wait() { <-h.done }

// stop ends the read (a payment that fails before it locks) and waits for it.
func (h headRead) stop() {
	h.cancel()
	<-h.done
}

// timeRefusal reports a refusal that a lock priced from a later chain time may not get: a
// hop's expiry, or the payee's too_late (the lock reached it with less than a margin left:
// the payer and the hops before it priced and forwarded from a view behind the payee's).
func timeRefusal(r mediate.Reason) bool {
	return r == mediate.ReasonExpiry || r == mediate.ReasonTooLate
}

// expiryRetry is the per-call state of the one refresh after a time refusal.
type expiryRetry struct{ used bool }

// again reports whether err, the outcome of a lock on the route, is a time refusal
// worth one more try; if so it has read the chain head first, so the next lock is priced
// from it. A head that cannot be read gives no retry: the refusal stands.
func (x *expiryRetry) again(ctx context.Context, n *Node, err error) bool {
	var refused *RouteRefusedError
	if x.used || ctx.Err() != nil || !errors.As(err, &refused) || !timeRefusal(refused.Reason) {
		return false
	}
	x.used = true
	was := n.med.now.Load()
	now, ferr := n.freshChainNow()
	if ferr != nil {
		n.log.Info("the lock was refused as too short; chain time not read again", "node", refused.FailedNode, "err", ferr)
		return false
	}
	n.log.Info("the lock was refused as too short; same route again from the chain's head", "node", refused.FailedNode, "chain_time_was", was, "chain_time", now)
	return true
}
