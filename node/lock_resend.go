package node

import (
	"context"
	"errors"
	"fmt"
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

// A partner that takes our lock proofs and never acknowledges them (ADR 0041) would make
// us keep every one of their messages, in memory and on disk, and offer them all again on
// every resend: nothing else bounds them, since its reveals still complete payments. So
// past CheckpointConfig.MaxUnacked proofs of ours it has not acknowledged on a channel, we
// add no new lock on it; removals still go out, so the backlog stays below the bound plus
// the channel's pending locks. And a Sync of the partner's that says it lacks our proofs
// makes us resend them at most once per syncResendSpacing: each answer used to resend the
// whole backlog, a flood of small Syncs bought the backlog once per Sync.

// ErrUnackedLockProofs: the partner has not acknowledged CheckpointConfig.MaxUnacked lock
// proofs of ours on the channel; no new lock is added to it until it does. Existing locks
// still resolve.
var ErrUnackedLockProofs = errors.New("partner acknowledges none of our lock proofs: too many unacknowledged, no new locks on this channel")

// syncResendSpacing is the least time between two lock resends that answer the partner's
// Syncs on a channel. Our own Syncs (reconnect, periodic resend) are not spaced.
const syncResendSpacing = time.Second

// admitUnacked refuses a new lock on lc while the partner has not acknowledged
// CheckpointConfig.MaxUnacked proofs of ours. Our nonces rise by one a proof, so the
// backlog is the distance from the acknowledged nonce to our latest.
func (n *Node) admitUnacked(lc *liveChannel) error {
	limit := uint64(n.cfg.Checkpoints.MaxUnacked)
	lc.mu.Lock()
	latest, acked := lc.st.Nonce(lc.us), lc.acked
	lc.mu.Unlock()
	backlog := latest - min(acked, latest) // acked is never above latest (onAck); no wrap if it were
	if backlog < limit {
		lc.unackedCapped.Store(false)
		return nil
	}
	if !lc.unackedCapped.Swap(true) {
		n.log.Warn("partner acknowledges none of our lock proofs: no new locks on this channel until it does", "channel", lc.id, "peer", lc.peer, "unacknowledged", backlog, "max", limit)
	}
	// Also ErrTooManyLocks: a forward refused for it is a capacity refusal (another route).
	return fmt.Errorf("channel %s: %d lock proofs unacknowledged: %w (%w)", lc.id, backlog, ErrUnackedLockProofs, channel.ErrTooManyLocks)
}

// answerSync answers the partner's Sync that lacks our latest proof: our Sync, preceded by
// our unacknowledged lock proofs unless a Sync of ours resent them within
// syncResendSpacing (the periodic resend covers a partner that still lacks them).
func (n *Node) answerSync(lc *liveChannel) {
	now := time.Now().UnixNano()
	last := lc.syncResent.Load()
	if now-last < int64(syncResendSpacing) || !lc.syncResent.CompareAndSwap(last, now) {
		n.sendSyncView(lc)
		return
	}
	n.resendLockMsgs(lc)
	n.sendSyncView(lc)
}
