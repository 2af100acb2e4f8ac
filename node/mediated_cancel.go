package node

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Fast failure of routed payments (ADR 0026). A hop that will not forward a lock, or a
// target that will not accept it, REFUSES it: it records durably that it gave the lock
// up (never to forward or reveal for it afterwards, also after a restart and for a
// repeat of the LockedTransfer), marks it refused in the channel state, and only then
// sends LockRefused to the lock's payer. The payer removes the lock with a cancel proof
// (channel.LockCancel, sent as LockExpired) that the receiver accepts for a refused lock
// only. A mediator whose outgoing lock was refused cancels it and, once the peer
// acknowledged the cancel, refuses its incoming lock upstream with the same failure
// location (mediated_cancel_out.go). This file is the refusing side.

// Store namespaces: incoming locks we refused, and our outgoing locks our partner
// refused (kept until the refusal is passed upstream); key: channel id + secret hash.
const (
	refusalNamespace = "lockrefusal"
	refusedNamespace = "lockrefused"
)

// refusal is why a lock was refused and where the route broke.
type refusal struct {
	reason        mediate.Reason
	failedChannel channel.ID
	failedNode    common.Address
}

func (r refusal) encode() []byte {
	out := make([]byte, 2, 2+32+20)
	binary.BigEndian.PutUint16(out, uint16(r.reason))
	out = append(out, r.failedChannel[:]...)
	return append(out, r.failedNode[:]...)
}

func decodeRefusal(b []byte) (refusal, bool) {
	var r refusal
	if len(b) != 2+32+20 {
		return r, false
	}
	r.reason = mediate.Reason(binary.BigEndian.Uint16(b))
	copy(r.failedChannel[:], b[2:34])
	copy(r.failedNode[:], b[34:])
	return r, true
}

func refusalKey(k sentKey) string { return hex.EncodeToString(k.ch[:]) + hex.EncodeToString(k.hash[:]) }

func parseRefusalKey(s string) (sentKey, bool) {
	var k sentKey
	raw, err := hex.DecodeString(s)
	if err != nil || len(raw) != 64 {
		return k, false
	}
	copy(k.ch[:], raw[:32])
	copy(k.hash[:], raw[32:])
	return k, true
}

// outRefusal is a refusal of one of our outgoing locks.
type outRefusal struct {
	refusal
	at time.Time
}

// inRefusal is our refusal of an incoming lock; durable once its record is on disk
// (only then is it sent).
type inRefusal struct {
	refusal
	durable bool
}

// refusals is the node's refusal state; the durable truth is in the two namespaces.
type refusals struct {
	mu  sync.Mutex
	in  map[sentKey]*inRefusal  // incoming locks we refused
	out map[sentKey]*outRefusal // outgoing locks our partner refused, until passed upstream
	// passed are refusals already passed upstream (or with nothing upstream), kept an hour
	// for PayRouted's error; the loop never scans them.
	passed map[sentKey]*outRefusal
	sent   map[sentKey]time.Time // last LockRefused we sent per incoming lock
	// end are the partner's endorsements of our cancels (ADR 0032); its own lock.
	end *endorsements

	// decide serialises forwarding and refusing one secret hash, so a lock is never both.
	decide [16]sync.Mutex
}

func newRefusals() *refusals {
	return &refusals{in: map[sentKey]*inRefusal{}, out: map[sentKey]*outRefusal{}, passed: map[sentKey]*outRefusal{}, sent: map[sentKey]time.Time{}, end: newEndorsements()}
}

// lockDecision locks the forward-or-refuse decision for hash; call the result to unlock.
func (n *Node) lockDecision(hash [32]byte) func() {
	mu := &n.med.ref.decide[hash[0]&15]
	mu.Lock()
	return mu.Unlock
}

// refusedIncoming reports whether we refused in's lock on hash; if so it re-sends the
// refusal (a repeat of the LockedTransfer means the payer may have missed it).
func (n *Node) refusedIncoming(in *liveChannel, hash [32]byte) bool {
	k := sentKey{in.id, hash}
	n.med.ref.mu.Lock()
	r, ok := n.med.ref.in[k]
	var durable bool
	var rr refusal
	if ok {
		durable, rr = r.durable, r.refusal
	}
	n.med.ref.mu.Unlock()
	if durable {
		n.sendRefusal(in, hash, rr)
	}
	return ok
}

// refuseIncoming refuses in's pending lock on hash (see refuseLocked).
func (n *Node) refuseIncoming(in *liveChannel, hash [32]byte, r refusal) {
	defer n.lockDecision(hash)()
	n.refuseLocked(in, hash, r, false)
}

// refuseLocked gives up in's pending lock on hash and tells its payer, unless the lock
// may still pay us: we forwarded it (an outgoing lock on the hash is pending anywhere) or,
// for a mediator (target false), we know the secret and must claim it. The refusal is in
// memory at once (forward checks it under the same decision lock) and durable before the
// state is marked and LockRefused is sent. Callers hold lockDecision(hash).
func (n *Node) refuseLocked(in *liveChannel, hash [32]byte, r refusal, target bool) {
	if n.refusedIncoming(in, hash) {
		return
	}
	if !target {
		if _, known := n.secret(hash); known {
			n.log.Info("not refusing a lock whose secret we know", "channel", in.id)
			return
		}
	}
	if n.forwardedLock(hash) {
		n.log.Warn("not refusing a lock we forwarded", "channel", in.id)
		return
	}
	n.markRefused(in, hash, r)
}

// refuseUnforwarded refuses in's lock on hash, one we forwarded nothing for, though the
// hash has an outgoing lock or a known secret (those belong to another incoming lock).
func (n *Node) refuseUnforwarded(in *liveChannel, hash [32]byte, r refusal) {
	if n.refusedIncoming(in, hash) || n.forwardedFor(in.id, hash) {
		return
	}
	n.markRefused(in, hash, r)
}

// markRefused durably refuses in's pending lock on hash and tells the payer.
func (n *Node) markRefused(in *liveChannel, hash [32]byte, r refusal) {
	them := in.us.Other()
	in.mu.Lock()
	_, pending := in.st.PendingLock(them, hash)
	in.mu.Unlock()
	if !pending {
		return
	}
	k := sentKey{in.id, hash}
	rec := &inRefusal{refusal: r}
	n.med.ref.mu.Lock()
	n.med.ref.in[k] = rec
	n.med.ref.mu.Unlock()
	fill := func(b *store.Batch) error { return b.PutMeta(refusalNamespace, refusalKey(k), r.encode()) }
	err := n.durable.enqueue(fill, afterCommit{kind: afterRun, then: func() {
		n.med.ref.mu.Lock()
		rec.durable = true
		n.med.ref.mu.Unlock()
		in.mu.Lock()
		merr := in.st.MarkLockRefused(them, hash)
		in.mu.Unlock()
		if merr != nil {
			return // resolved meanwhile
		}
		n.log.Info("refused a lock", "channel", in.id, "reason", r.reason, "failedChannel", r.failedChannel, "failedNode", r.failedNode)
		n.sendRefusal(in, hash, r)
	}})
	if err != nil {
		n.log.Warn("lock refusal not stored; the lock is left to expire", "channel", in.id, "err", err)
	}
}

// forwardedLock reports whether any channel has a pending lock of ours on hash.
func (n *Node) forwardedLock(hash [32]byte) bool {
	if n.cancelAwaitingEndorsement(hash) {
		// Cancelled but not endorsed: the partner can still claim it with our older proof
		// (ADR 0032), so for refusals and second locks it is still out.
		return true
	}
	return n.pendingLockOn(hash, true, nil) != nil
}

// sendRefusal sends LockRefused for in's lock on hash, at most every resendAfter.
func (n *Node) sendRefusal(in *liveChannel, hash [32]byte, r refusal) {
	k := sentKey{in.id, hash}
	n.med.ref.mu.Lock()
	last, sent := n.med.ref.sent[k]
	due := !sent || time.Since(last) >= resendAfter
	if due {
		n.med.ref.sent[k] = time.Now()
	}
	n.med.ref.mu.Unlock()
	if !due {
		return
	}
	msg := &p2p.LockRefused{Channel: in.id, SecretHash: hash, Reason: uint16(r.reason), FailedChannel: r.failedChannel, FailedNode: r.failedNode}
	if err := n.transport.Send(n.ctx, in.peer, msg); err != nil {
		n.log.Debug("lock refusal not sent; resent later", "channel", in.id, "err", err)
	}
}

// dropRefusal deletes our refusal of the partner's lock that u removes, in the batch that
// stores the removing proof (so a later lock on the same hash is decided afresh).
func (n *Node) dropRefusal(b *store.Batch, id channel.ID, u channel.LockUpdate) error {
	if u.Change == channel.LockAdd {
		return nil
	}
	n.med.ref.mu.Lock()
	empty := len(n.med.ref.in) == 0
	n.med.ref.mu.Unlock()
	if empty {
		return nil
	}
	h := u.SecretHash
	if u.Change == channel.LockUnlock {
		h = channel.SecretHash(u.Secret)
	}
	k := sentKey{id, h}
	n.med.ref.mu.Lock()
	_, ok := n.med.ref.in[k]
	delete(n.med.ref.in, k)
	delete(n.med.ref.sent, k)
	n.med.ref.mu.Unlock()
	if !ok {
		return nil
	}
	if u.Change != channel.LockUnlock {
		// Our incoming lock on h is gone unpaid: how our outgoing locks on h ended is
		// history, and a new lock on h (the initiator's retry) is forwarded afresh.
		n.med.mu.Lock()
		for rk, res := range n.med.resolved {
			if rk.hash == h && !res.unlocked {
				delete(n.med.resolved, rk)
			}
		}
		n.med.mu.Unlock()
	}
	return b.DeleteMeta(refusalNamespace, refusalKey(k))
}

// removalOf is the update a LockExpired from the partner stands for: a cancel of a lock
// we refused, else an expiry (which the old rule checks against the expiration).
func (n *Node) removalOf(from common.Address, m *p2p.LockExpired) channel.LockUpdate {
	if lc := n.peerChannel(from, m.Proof.Channel); lc != nil {
		lc.mu.Lock()
		refused := lc.st.LockRefused(lc.us.Other(), m.SecretHash)
		lc.mu.Unlock()
		if refused {
			return channel.CancelLock(m.SecretHash)
		}
	}
	return channel.ExpireLock(m.SecretHash)
}

// acceptAsTarget runs when a lock for us as the target is durable: it refuses a lock
// for another target, for no invoice of ours, or one the invoice would not release the
// secret for (underpaid, too late); otherwise the mediation loop reveals.
func (n *Node) acceptAsTarget(in *liveChannel, m *p2p.LockedTransfer) {
	hash := m.Lock.SecretHash
	if n.refusedIncoming(in, hash) {
		return // refused before: a repeat naming us now must not take the invoice
	}
	if t, ok := n.invoiceTakerOf(hash); ok && t == (invoiceTaker{ch: in.id, expiration: m.Lock.Expiration}) {
		n.med.wakeFor(hash) // the lock that took the invoice: revealed for, whatever a repeat names
		return
	}
	self := n.signer.Address()
	r := refusal{failedNode: self}
	switch asked, mine := n.invoiceAmount(hash); {
	case m.Target != self:
		r.reason = mediate.ReasonBadRoute
	case !mine:
		r.reason = mediate.ReasonUnknownInvoice
	default:
		ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
		now, err := n.chainNow(ctx)
		cancel()
		if err != nil {
			n.med.wake()
			return
		}
		if err := n.med.cfg.TargetReveals(m.Lock, asked, now); err == nil {
			refuse, reason := n.takeForReveal(in.id, m.Lock) // the loop reveals once taken (invoice_take.go)
			if !refuse {
				return
			}
			r.reason = reason
		} else if r.reason = mediate.RefusalReason(err); r.reason == mediate.ReasonExpiry {
			r.reason = mediate.ReasonTooLate
		}
	}
	n.med.mu.Lock()
	_, revealed := n.med.sent[sentKey{in.id, hash}]
	n.med.mu.Unlock()
	if revealed {
		return // the payer has the secret already: it unlocks
	}
	defer n.lockDecision(hash)()
	n.refuseLocked(in, hash, r, true)
}

// lockRefusedByUs reports whether we refused the partner's lock on hash in channel id:
// the mediation loop never reveals a secret for it.
func (n *Node) lockRefusedByUs(id channel.ID, hash [32]byte) bool {
	n.med.ref.mu.Lock()
	defer n.med.ref.mu.Unlock()
	_, ok := n.med.ref.in[sentKey{id, hash}]
	return ok
}

// loadRefusals restores the refusals of locks still pending after a restart: the marks
// in the channel states (so the payer's cancel is accepted) and the maps. Records of
// locks no longer pending are deleted.
func (n *Node) loadRefusals() error {
	ml, ok := n.store.(metaLister)
	if !ok {
		return nil
	}
	var stale [][2]string
	for _, ns := range []string{refusalNamespace, refusedNamespace} {
		entries, err := ml.ListMeta(ns)
		if err != nil {
			return fmt.Errorf("load lock refusals: %w", err)
		}
		for _, e := range entries {
			k, kok := parseRefusalKey(e.Key)
			r, rok := decodeRefusal(e.Value)
			lc := n.channel(k.ch)
			if !kok || !rok || lc == nil {
				stale = append(stale, [2]string{ns, e.Key})
				continue
			}
			payer := lc.us
			if ns == refusalNamespace {
				payer = lc.us.Other()
			}
			lc.mu.Lock()
			merr := lc.st.MarkLockRefused(payer, k.hash)
			lc.mu.Unlock()
			n.med.ref.mu.Lock()
			switch {
			case ns == refusalNamespace && merr == nil:
				n.med.ref.in[k] = &inRefusal{refusal: r, durable: true}
			case ns == refusalNamespace:
				stale = append(stale, [2]string{ns, e.Key})
			default:
				// Pending or not: the cancel and the refusal upstream resume in the loop.
				n.med.ref.out[k] = &outRefusal{refusal: r, at: time.Now()}
			}
			n.med.ref.mu.Unlock()
		}
	}
	if len(stale) == 0 {
		return nil
	}
	return n.durable.enqueue(func(b *store.Batch) error {
		for _, s := range stale {
			if err := b.DeleteMeta(s[0], s[1]); err != nil {
				return err
			}
		}
		return nil
	}, afterCommit{})
}
