package node

import (
	"sort"
	"time"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/channel"
)

// outageRepeat is how often a continuing chain outage is logged again.
const outageRepeat = 30 * time.Second

// ChainHealth is the node's view of its chain connection (NodeInfo.Chain).
type ChainHealth struct {
	Head          uint64    `json:"head"`
	Processed     uint64    `json:"processed"`
	Confirmed     uint64    `json:"confirmed"`
	Confirmations uint64    `json:"confirmations"`
	RPCOK         bool      `json:"rpcOK"`
	LastError     string    `json:"lastError,omitempty"`
	Since         time.Time `json:"since"` // when rpcOK last changed
	Reorgs        uint64    `json:"reorgs"`
	// Waiting lists the on-chain operations in flight ("deposit 0x12ab…"): while the RPC
	// is down they wait; payments go on off-chain.
	Waiting []string `json:"waiting"`
}

func (n *Node) chainHealth() ChainHealth {
	h := n.follower.Health()
	return ChainHealth{
		Head: h.Head, Processed: h.Processed, Confirmed: h.Confirmed, Confirmations: h.Confirmations,
		RPCOK: h.RPCOK, LastError: h.LastError, Since: h.Since, Reorgs: h.Reorgs,
		Waiting: n.ops.waiting(),
	}
}

// observeChainHealth turns the follower's health after a poll into logs and metrics:
// a WARN when the RPC stops answering (and every outageRepeat while it stays down), an
// ERROR per channel whose challenge period runs during the outage, an INFO when it
// answers again. The watcher's goroutine is the only caller.
func (n *Node) observeChainHealth(h follow.Health, err error) {
	if h.RPCOK {
		n.metrics.rpcUp.Set(1)
		if n.outage.down {
			n.outage.down = false
			n.log.Info("chain RPC answers again; on-chain operations resume", "down_for", time.Since(n.outage.start).Round(time.Second))
		}
		return
	}
	n.metrics.rpcUp.Set(0)
	n.metrics.rpcErrors.Inc()
	now := time.Now()
	if n.outage.down && now.Sub(n.outage.logged) < outageRepeat {
		return
	}
	if !n.outage.down {
		n.outage.down, n.outage.start = true, h.Since
	}
	n.outage.logged = now
	n.log.Warn("chain RPC not answering: payments continue off-chain, on-chain operations wait",
		"err", err, "down_for", now.Sub(n.outage.start).Round(time.Second), "last_head", h.Head, "waiting", n.ops.waiting())
	n.warnChallengesDuringOutage(h, now)
}

// warnChallengesDuringOutage logs an ERROR for each closing channel: a challenge period
// runs on chain time whether or not we can reach the chain. Chain time is estimated
// from the last head seen plus the wall time since.
func (n *Node) warnChallengesDuringOutage(h follow.Health, now time.Time) {
	last := h.LastOK
	if last.IsZero() {
		last = h.Since
	}
	chainNow := int64(h.HeadTime) + int64(now.Sub(last).Seconds())
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		closing, settleAfter := lc.st.Status() == channel.StatusClosing, lc.settleAfter
		lc.mu.Unlock()
		if closing && settleAfter > 0 {
			n.log.Error("chain unreachable during a challenge period: the node can neither defend nor settle this channel",
				"channel", lc.id, "seconds_left", max(int64(settleAfter)-chainNow, 0))
		}
		return true
	})
}

// chainOutage is the watcher's memory of an ongoing outage, for its logs.
type chainOutage struct {
	down   bool
	start  time.Time
	logged time.Time
}

// waiting names the on-chain operations being driven, sorted.
func (r *opRunner) waiting() []string {
	r.runMu.Lock()
	out := make([]string, 0, len(r.running))
	for _, w := range r.running {
		out = append(out, w.what)
	}
	r.runMu.Unlock()
	sort.Strings(out)
	return out
}
