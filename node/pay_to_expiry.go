package node

import (
	"context"
	"errors"

	"github.com/sluicepay/sluice/mediate"
)

// A payer prices its first lock's expiration from its own view of chain time: the
// watcher's last head. A view behind the chain (a jump in chain time the watcher has not
// polled yet) prices a lock that a hop, already at the new head, refuses as too short
// (mediate.ReasonExpiry). That refusal is the payer's fault, not the hop's: excluding
// the hop would leave a payer with one hub no route at all. So on the first expiry
// refusal of a PayTo call the payer reads the chain head (freshChainNow) and locks the
// same route once more, priced from that time, within the caller's deadline. A hop that
// refuses again is excluded as before; one refresh per call bounds what a hop that
// always refuses can cost (one more lock, cancelled like the first).

// expiryRetry is the per-call state of that one refresh.
type expiryRetry struct{ used bool }

// again reports whether err, the outcome of a lock on the route, is an expiry refusal
// worth one more try; if so it has read the chain head first, so the next lock is priced
// from it. A head that cannot be read gives no retry: the refusal stands.
func (x *expiryRetry) again(ctx context.Context, n *Node, err error) bool {
	var refused *RouteRefusedError
	if x.used || ctx.Err() != nil || !errors.As(err, &refused) || refused.Reason != mediate.ReasonExpiry {
		return false
	}
	x.used = true
	was := n.med.now.Load()
	now, ferr := n.freshChainNow()
	if ferr != nil {
		n.log.Info("a hop refused the lock as too short; chain time not read again", "node", refused.FailedNode, "err", ferr)
		return false
	}
	n.log.Info("a hop refused the lock as too short; same route again from the chain's head", "node", refused.FailedNode, "chain_time_was", was, "chain_time", now)
	return true
}
