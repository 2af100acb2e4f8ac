package node

import (
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
	"github.com/sluicepay/sluice/store"
)

// The paying side of a refusal (ADR 0026): the payer of a refused lock cancels it; a
// mediator passes the refusal upstream once its cancel is acknowledged; the initiator's
// PayRouted reports where the route broke.

// ErrRouteRefused: a hop or the target refused the routed payment's lock; it was
// cancelled and the amount is back. A *RouteRefusedError says where; it also matches
// ErrRouteFailed (the lock resolved unpaid).
var ErrRouteRefused = errors.New("routed payment refused on its route")

// ErrLockPending: the caller stopped waiting while the routed payment's lock was still
// pending; it resolves later (unlocked, cancelled or expired), nothing is lost.
var ErrLockPending = errors.New("routed payment lock still pending; it resolves later")

// RouteRefusedError is a refused routed payment: Reason, and FailedChannel or FailedNode
// (zero when not known) as the refusing hop reported them. Where is the
// routing.ChannelFailedError or routing.NodeFailedError an initiator's retry excludes
// (PayTo refines it with the route); errors.As finds it.
type RouteRefusedError struct {
	Channel       channel.ID // our first hop's channel
	Reason        mediate.Reason
	FailedChannel channel.ID
	FailedNode    common.Address
	Where         error
}

func (e *RouteRefusedError) Error() string {
	at := fmt.Sprintf("node %s", e.FailedNode)
	if e.FailedChannel != (channel.ID{}) {
		at = fmt.Sprintf("channel %s of node %s", e.FailedChannel, e.FailedNode)
	}
	return fmt.Sprintf("routed payment on channel %s refused at %s (%s); the lock was cancelled and the amount is back", e.Channel, at, e.Reason)
}

// Unwrap gives ErrRouteRefused, ErrRouteFailed and Where.
func (e *RouteRefusedError) Unwrap() []error {
	out := []error{ErrRouteRefused, ErrRouteFailed}
	if e.Where != nil {
		out = append(out, e.Where)
	}
	return out
}

func newRouteRefusedError(ch channel.ID, r refusal) *RouteRefusedError {
	e := &RouteRefusedError{Channel: ch, Reason: r.reason, FailedChannel: r.failedChannel, FailedNode: r.failedNode}
	cause := fmt.Errorf("refused: %s", r.reason)
	if r.failedChannel != (channel.ID{}) {
		e.Where = &routing.ChannelFailedError{Channel: r.failedChannel, Err: cause}
	} else {
		e.Where = &routing.NodeFailedError{Node: r.failedNode, Err: cause}
	}
	return e
}

// routeFailure is PayRouted's error for its first-hop lock that resolved unpaid.
func (n *Node) routeFailure(lc *liveChannel, lock channel.Lock) error {
	k := sentKey{lc.id, lock.SecretHash}
	n.med.ref.mu.Lock()
	o, refused := n.med.ref.out[k]
	if !refused {
		o, refused = n.med.ref.passed[k]
	}
	var r refusal
	if refused {
		r = o.refusal
	}
	n.med.ref.mu.Unlock()
	if refused {
		return newRouteRefusedError(lc.id, r)
	}
	return fmt.Errorf("routed pay on channel %s: lock %x: %w", lc.id, lock.SecretHash, ErrRouteFailed)
}

// onLockRefused takes the partner's refusal of one of our pending locks on that channel.
// Anything else changes nothing: a refusal from a peer that is not the lock's receiver,
// of a lock we do not have pending there, or of a lock whose secret we know (we must
// unlock it, not cancel it). The refusal is durable before we act on it, so a restarted
// mediator still passes it upstream.
func (n *Node) onLockRefused(from common.Address, m *p2p.LockRefused) {
	lc := n.peerChannel(from, m.Channel)
	if lc == nil {
		n.log.Debug("lock refusal for no channel with this peer: ignored", "peer", from, "channel", m.Channel)
		return
	}
	hash := m.SecretHash
	lc.mu.Lock()
	_, pending := lc.st.PendingLock(lc.us, hash)
	lc.mu.Unlock()
	if !pending {
		n.log.Debug("lock refusal for no pending lock of ours: ignored", "channel", lc.id)
		return
	}
	if _, known := n.secret(hash); known {
		n.log.Info("lock refusal ignored: the secret is known, the lock is unlocked", "channel", lc.id)
		n.med.wake()
		return
	}
	r := refusal{reason: mediate.Reason(m.Reason), failedChannel: m.FailedChannel, failedNode: m.FailedNode}
	if r.failedNode == (common.Address{}) {
		r.failedNode = from
	}
	k := sentKey{lc.id, hash}
	n.med.ref.mu.Lock()
	_, seen := n.med.ref.out[k]
	delete(n.med.ref.passed, k) // an earlier lock's on the same hash
	if !seen {
		n.med.ref.out[k] = &outRefusal{refusal: r, at: time.Now()}
	}
	n.med.ref.mu.Unlock()
	if seen {
		n.med.wake()
		return
	}
	fill := func(b *store.Batch) error { return b.PutMeta(refusedNamespace, refusalKey(k), r.encode()) }
	err := n.durable.enqueue(fill, afterCommit{kind: afterRun, then: func() {
		lc.mu.Lock()
		merr := lc.st.MarkLockRefused(lc.us, hash)
		lc.mu.Unlock()
		if merr == nil {
			n.log.Info("lock refused by the partner; cancelling it", "channel", lc.id, "reason", r.reason)
		}
		n.med.wake()
	}})
	if err != nil {
		n.log.Warn("lock refusal not stored", "channel", lc.id, "err", err)
	}
}

// idle reports that no refusal is pending either way: mediateRefusals has nothing to do.
func (r *refusals) idle() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.in) == 0 && len(r.out) == 0
}

// mediateRefusals is the mediation loop's part for refusals on lc: cancel our locks the
// partner refused, pass a refusal upstream once its cancel is acknowledged, and re-send
// our refusals of the partner's locks until the partner cancels them.
func (n *Node) mediateRefusals(lc *liveChannel, now uint64) {
	ref := n.med.ref
	if ref.idle() {
		return
	}
	lc.mu.Lock()
	out := lc.st.Locks(lc.us)
	in := lc.st.Locks(lc.us.Other())
	var cancel []channel.Lock
	for _, l := range out {
		if lc.st.LockRefused(lc.us, l.SecretHash) {
			cancel = append(cancel, l)
		}
	}
	lc.mu.Unlock()
	for _, l := range cancel {
		if _, known := n.secret(l.SecretHash); known {
			continue // the loop unlocks it
		}
		if err := n.sendCancel(lc, l, now); err != nil {
			n.log.Info("lock cancel not sent", "channel", lc.id, "err", err)
		} else {
			n.log.Info("cancelled a refused lock", "channel", lc.id)
		}
	}
	for _, l := range in {
		ref.mu.Lock()
		r, refused := ref.in[sentKey{lc.id, l.SecretHash}]
		due := refused && r.durable
		ref.mu.Unlock()
		if due {
			n.sendRefusal(lc, l.SecretHash, r.refusal)
		}
	}
	n.passRefusals(lc, out)
}

// passRefusals refuses upstream the incoming locks whose outgoing lock on lc the partner
// refused, once that lock is gone, the partner acknowledged every proof of ours that
// could have removed it, and (ADR 0032) it endorsed a proof of ours at or after our
// cancel: only then can the partner no longer hold us to it, off-chain or on chain.
func (n *Node) passRefusals(lc *liveChannel, out []channel.Lock) {
	ref := n.med.ref
	type todo struct {
		hash [32]byte
		r    refusal
	}
	var ready []todo
	var unendorsed [][32]byte
	lc.mu.Lock()
	ours := lc.st.Nonce(lc.us)
	acked := lc.acked >= ours
	lc.mu.Unlock()
	if !acked {
		return
	}
	ref.mu.Lock()
	for k, o := range ref.out {
		if k.ch != lc.id || pendingHash(out, k.hash) {
			continue
		}
		if !n.cancelEndorsed(k, ours) {
			unendorsed = append(unendorsed, k.hash)
			continue
		}
		delete(ref.out, k)
		ref.passed[k] = o
		ready = append(ready, todo{k.hash, o.refusal})
	}
	ref.mu.Unlock()
	for _, h := range unendorsed {
		n.requestEndorsement(lc, h)
	}
	for _, t := range ready {
		n.chans.Range(func(_, v any) bool {
			in := v.(*liveChannel)
			in.mu.Lock()
			_, pending := in.st.PendingLock(in.us.Other(), t.hash)
			in.mu.Unlock()
			if pending && in != lc && n.forwardedOver(in.id, t.hash, lc.id) {
				n.refuseIncoming(in, t.hash, t.r)
			}
			return true
		})
		k := sentKey{lc.id, t.hash}
		if err := n.durable.enqueue(func(b *store.Batch) error {
			if err := b.DeleteMeta(cancelWaitNamespace, refusalKey(k)); err != nil {
				return err
			}
			return b.DeleteMeta(refusedNamespace, refusalKey(k))
		}, afterCommit{}); err != nil {
			n.log.Debug("lock refusal record not deleted", "err", err)
		}
	}
}

func pendingHash(locks []channel.Lock, h [32]byte) bool {
	for _, l := range locks {
		if l.SecretHash == h {
			return true
		}
	}
	return false
}

// forget drops passed outgoing refusals older than keepFor (PayRouted has read
// them by then) and stale resend stamps.
func (r *refusals) forget(keepFor time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, o := range r.passed {
		if time.Since(o.at) > keepFor {
			delete(r.passed, k)
		}
	}
	for k, at := range r.sent {
		if time.Since(at) > keepFor {
			delete(r.sent, k)
		}
	}
}

// forgetResolution drops how an earlier lock of ours on (id, hash) ended, before a new
// one is sent (an initiator's retry over the same first channel).
func (n *Node) forgetResolution(id channel.ID, hash [32]byte) {
	k := sentKey{id, hash}
	n.med.mu.Lock()
	delete(n.med.resolved, k)
	n.med.mu.Unlock()
	n.med.ref.mu.Lock()
	_, ok := n.med.ref.out[k]
	delete(n.med.ref.out, k)
	delete(n.med.ref.passed, k)
	n.med.ref.mu.Unlock()
	if ok {
		if err := n.durable.enqueue(func(b *store.Batch) error { return b.DeleteMeta(refusedNamespace, refusalKey(k)) }, afterCommit{}); err != nil {
			n.log.Debug("lock refusal record not deleted", "err", err)
		}
	}
}
