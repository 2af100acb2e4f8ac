package node

import (
	"context"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// Lock proofs the partner has not acknowledged are offered again while it stays
// connected, not only when it reconnects (ADR 0039). A partner whose chain view lags
// ours refuses our expiry of a lock that has not expired for it yet; once its view
// catches up nothing would otherwise send the expiry again, and the channel would stay a
// nonce apart until the next payment or reconnect. So a channel whose acknowledged nonce
// has not moved for lockResendAfter while lock proofs of ours wait gets a Sync (our
// unacknowledged lock proofs first, then our view), again after twice the wait, up to
// lockResendMax. An honest partner answers a repeat with its Ack; the repeat costs it no
// signature (an endorsement of a repeat is rate-limited, ADR 0032).
const (
	lockResendAfter = 10 * time.Second
	lockResendMax   = time.Minute
)

// resendMark is what the resender saw of a channel: the acknowledged nonce, since when,
// and how long it waits before offering again.
type resendMark struct {
	acked uint64
	since time.Time
	wait  time.Duration
}

// runLockResend offers unacknowledged lock proofs again until ctx ends.
func (n *Node) runLockResend(ctx context.Context) {
	tick := time.NewTicker(lockResendAfter / 3)
	defer tick.Stop()
	marks := map[channel.ID]resendMark{}
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			n.lockResendPass(marks, now)
		}
	}
}

// lockResendPass is one look at every channel: it returns at once for the channels with
// nothing waiting, and starts a Sync for those stuck for their wait.
func (n *Node) lockResendPass(marks map[channel.ID]resendMark, now time.Time) {
	seen := make(map[channel.ID]bool, len(marks))
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		waiting := len(lc.lockMsgs) > 0 && lc.lockMsgs[len(lc.lockMsgs)-1].nonce > lc.acked
		acked := lc.acked
		open := lc.st.Status() == channel.StatusOpen
		lc.mu.Unlock()
		if !waiting || !open {
			return true
		}
		seen[lc.id] = true
		m, ok := marks[lc.id]
		if !ok || m.acked != acked {
			marks[lc.id] = resendMark{acked: acked, since: now, wait: lockResendAfter}
			return true
		}
		if now.Sub(m.since) < m.wait || !n.transport.Connected(lc.peer) {
			return true
		}
		n.log.Debug("lock proofs unacknowledged; offering them again", "channel", lc.id, "acked", acked, "waited", now.Sub(m.since))
		n.metrics.lockResends.Inc()
		marks[lc.id] = resendMark{acked: acked, since: now, wait: min(2*m.wait, lockResendMax)}
		n.goTracked(func() { n.sendSync(lc) })
		return true
	})
	for id := range marks {
		if !seen[id] {
			delete(marks, id)
		}
	}
}
