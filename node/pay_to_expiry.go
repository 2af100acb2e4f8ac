package node

import (
	"context"
	"errors"
	"sync"
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
//     Concurrent and back-to-back calls share one read (headReuse).

// headReadBound bounds PayTo's own read of the chain head: an RPC that does not answer
// leaves the watcher's view, as before.
const headReadBound = 2 * time.Second

// headReuse: a head read started less than this long ago (or still running) serves
// every PayTo call, so a wallet making hundreds of payments a second asks its RPC
// provider for the head a few times a second, not once per payment. Chain time moves in
// whole seconds, so a read this recent prices a lock as well as a new one.
const headReuse = 500 * time.Millisecond

// headReads is the node's shared PayTo head read.
type headReads struct {
	mu      sync.Mutex
	cur     chan struct{} // closed when the latest read is over
	started time.Time
}

// headRead is one PayTo call's handle on a (shared) read of the chain head.
type headRead struct{ done <-chan struct{} }

// readHead returns a read of the chain head that raises the node's chain time to it:
// the one already running or started within headReuse, else a new one, bounded by
// headReadBound and the node's life (not the caller's ctx: other calls may wait on it).
func (n *Node) readHead() headRead {
	h := &n.heads
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur != nil && time.Since(h.started) < headReuse {
		return headRead{h.cur}
	}
	done := make(chan struct{})
	read := func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(n.ctx, headReadBound)
		defer cancel()
		_, t, err := n.chain.Head(ctx)
		if err != nil {
			n.log.Debug("chain head not read before the payment; pricing from the watcher's view", "err", err)
			return
		}
		if n.med.advance(t) {
			n.med.wake() // chain time moved: locks may have expired
		}
	}
	if !n.goTracked(read) {
		close(done) // the node is closing: the watcher's view, as before
	}
	h.cur, h.started = done, time.Now()
	return headRead{done}
}

// wait returns once the read is over, or ctx ended (the caller's deadline: pricing then
// uses the watcher's view, and the lock attempt fails on ctx anyway).
func (h headRead) wait(ctx context.Context) {
	select {
	case <-h.done:
	case <-ctx.Done():
	}
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
