package node

import (
	"context"
	"errors"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Incoming mediated-transfer messages. A lock proof is checked against our copy of the
// payer's locks at our chain time, made durable with the new lock set, and only then
// acknowledged; what follows (forwarding, revealing) runs after the Ack.

func (n *Node) onLockedTransfer(from common.Address, m *p2p.LockedTransfer, in *inboundMsg) {
	then := func(lc *liveChannel) { n.afterLockedTransfer(lc, m, 0) }
	var pipelined func(*liveChannel, uint64)
	if len(m.Hops) > 0 {
		// A mediator forwards a new lock at once, without waiting for its write: the
		// forward's own write queues behind it, and its LockedTransfer leaves only once
		// both are durable (dep). A target acts only once the lock is durable.
		pipelined = func(lc *liveChannel, dep uint64) { n.afterLockedTransfer(lc, m, dep) }
		n.acceptLockUpdateWith(from, m.Proof, channel.AddLock(m.Lock), nil, in, then, pipelined, nil)
		return
	}
	// A lock to us: its invoice is taken in the lock's own write when it may be
	// (takeWithLock), under the hash's decision lock, which is taken before lc.mu.
	defer n.lockDecision(m.Lock.SecretHash)()
	n.acceptLockUpdateWith(from, m.Proof, channel.AddLock(m.Lock), nil, in, then, nil, m)
}

func (n *Node) onUnlock(from common.Address, m *p2p.Unlock, in *inboundMsg) {
	n.acceptLockUpdate(from, m.Proof, channel.Unlock(m.Secret), &m.Secret, in, func(*liveChannel) {
		n.med.wakeFor(channel.SecretHash(m.Secret))
	}, nil)
}

func (n *Node) onLockExpired(from common.Address, m *p2p.LockExpired, in *inboundMsg) {
	u := n.removalOf(from, m)
	n.acceptLockUpdate(from, m.Proof, u, nil, in, n.lockRemovalFollowUp(from, m, u), nil) // ADR 0032
}

// acceptLockUpdate validates and applies a lock proof from the partner; then runs after
// the proof is durable and acknowledged (also for an exact repeat, so an action lost in
// a crash is retried; every action is idempotent). For a new proof, pipelined (if not
// nil) runs instead of then, at once, with the durable queue's group of the proof's
// write: what it sends must wait for that group (afterCommit.dep). in is the message as
// the inbound queue holds it: a signature its workers recovered to the partner is not
// recovered again (nil: recover here).
func (n *Node) acceptLockUpdate(from common.Address, proof channel.SignedProof, u channel.LockUpdate, secret *[32]byte, in *inboundMsg, then func(*liveChannel), pipelined func(*liveChannel, uint64)) {
	n.acceptLockUpdateWith(from, proof, u, secret, in, then, pipelined, nil)
}

// acceptLockUpdateWith is acceptLockUpdate; take (not nil) is a new lock addressed to
// this node, whose invoice it takes in the lock's write if it may (takeWithLock; callers
// hold lockDecision of its hash).
func (n *Node) acceptLockUpdateWith(from common.Address, proof channel.SignedProof, u channel.LockUpdate, secret *[32]byte, in *inboundMsg, then func(*liveChannel), pipelined func(*liveChannel, uint64), take *p2p.LockedTransfer) {
	lc := n.peerChannel(from, proof.Channel)
	if lc == nil {
		n.refuse(from, proof.Channel, proof.Nonce, channel.ErrUnknownChannel, true)
		return
	}
	if err := lc.policyRefusal(); err != nil {
		n.reject(lc.peer, lc.id, proof.Nonce, err)
		return
	}
	now, err := n.lockTime()
	if err != nil {
		n.refuse(from, lc.id, proof.Nonce, err, false)
		return
	}
	them := lc.us.Other()
	recovered := in.recovered(lc.peer)
	var run func()
	if then != nil {
		run = func() { then(lc) }
	}
	if u.Change == channel.LockExpire {
		if err := n.expiryAllowed(lc, them, u.SecretHash, now); err != nil {
			n.refuse(lc.peer, lc.id, proof.Nonce, err, false) // an honest payer may not have looked
			return
		}
	}
	lc.mu.Lock()
	o, err := applyLockUpdate(lc, u, proof, now, recovered)
	if errors.Is(err, channel.ErrLockNotExpired) {
		// The payer may have seen a newer head than our watcher: read the chain once.
		lc.mu.Unlock()
		if fresh, ferr := n.freshChainNow(); ferr == nil && fresh > now {
			now = fresh
		}
		if u.Change == channel.LockExpire {
			if err := n.expiryAllowed(lc, them, u.SecretHash, now); err != nil {
				n.refuse(lc.peer, lc.id, proof.Nonce, err, false)
				return
			}
		}
		lc.mu.Lock()
		o, err = applyLockUpdate(lc, u, proof, now, recovered)
	}
	if err != nil {
		lc.mu.Unlock()
		n.reject(lc.peer, lc.id, proof.Nonce, err)
		return
	}
	if o == channel.OutcomeNew {
		n.med.locks.apply(lc, them, u)
	}
	if o == channel.OutcomeRepeat {
		if u.Change == channel.LockAdd && !sameLock(lc.st, them, u.Lock) {
			// The signed proof is a repeat but the message names another lock (its
			// fields are not what the proof commits to): acknowledge, act on nothing.
			run = nil
		}
		qerr := n.durable.enqueue(nil, afterCommit{kind: afterSendAck, ch: lc, nonce: proof.Nonce, then: run})
		lc.mu.Unlock()
		if qerr != nil {
			n.log.Debug("ack not queued", "channel", lc.id, "err", qerr)
		}
		return
	}
	locks := store.LockChange{Nonce: proof.Nonce, Root: proof.LocksRoot, Count: lc.st.LockCount(them), Update: u}
	var rec *store.PaymentRecord
	if u.Change == channel.LockUnlock {
		amount := new(big.Int).Sub(proof.Transferred, lc.received)
		lc.received.Set(proof.Transferred)
		lc.payments++
		rec = &store.PaymentRecord{
			ID: derivedPaymentID(lc.id, proof.Nonce), Channel: lc.id, Direction: store.Incoming, Nonce: proof.Nonce,
			Amount: amount, Transferred: proof.Transferred, Time: time.Now(), Sig: proof.Sig,
		}
	}
	var taken func(*store.Batch) error
	if take != nil {
		if taken = n.takeWithLock(lc.id, take, now); taken != nil {
			// acceptAsTarget's checks passed: once the record is on disk the loop decides
			// the reveal (targetReveals), as it does after takeInvoice.
			hash := take.Lock.SecretHash
			run = func() {
				n.takenDurable(hash)
				n.med.wakeFor(hash)
			}
		}
	}
	fill := func(b *store.Batch) error {
		if taken != nil {
			if err := taken(b); err != nil {
				return err
			}
		}
		if err := b.PutProof(them, &proof); err != nil {
			return err
		}
		if err := b.PutLockChange(lc.id, them, locks); err != nil {
			return err
		}
		if err := n.dropRefusal(b, lc.id, u); err != nil {
			return err
		}
		if err := n.dropForward(b, lc.id, u); err != nil {
			return err
		}
		if secret != nil {
			b.PutSecret(*secret)
		}
		if rec != nil {
			return b.PutPayment(rec)
		}
		return nil
	}
	if pipelined != nil {
		run = nil
	}
	seq, qerr := n.durable.enqueueSeq(fill, afterCommit{kind: afterSendAck, ch: lc, nonce: proof.Nonce, then: run})
	lc.mu.Unlock()
	if qerr != nil {
		n.log.Warn("incoming lock proof not stored", "channel", lc.id, "nonce", proof.Nonce, "err", qerr)
		return
	}
	if pipelined != nil {
		n.goTracked(func() { pipelined(lc, seq) })
	}
	n.routedLockChange(lc.id, u, false)
	n.towerProofReceived(lc)
}

// applyLockUpdate checks the partner's lock proof and, if it is new, commits it, in one
// pass over the pending locks (one locks root). A proof whose signature the inbound
// workers recovered to the partner is checked by every rule but the signature; any
// other (a repeat, a nonce out of order, no recovery) goes through the full check.
// Nothing changes on an error. Callers hold lc.mu.
func applyLockUpdate(lc *liveChannel, u channel.LockUpdate, proof channel.SignedProof, now uint64, recovered bool) (channel.Outcome, error) {
	them := lc.us.Other()
	if recovered && proof.Nonce == lc.st.Nonce(them)+1 {
		return channel.OutcomeNew, lc.st.CommitLockUpdate(them, u, proof, now)
	}
	return lc.st.ApplyLockUpdate(them, u, proof, now)
}

// lockTime is chainNow without a context per message: the watcher's latest head, read
// from the chain only before the first one.
func (n *Node) lockTime() (uint64, error) {
	if t := n.med.now.Load(); t != 0 {
		return t, nil
	}
	ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
	defer cancel()
	return n.chainNow(ctx)
}

// afterLockedTransfer runs once an incoming lock is durable, or for a mediator once its
// write is queued in group dep: the target's payer gets the secret through the mediation
// loop; a mediator forwards.
func (n *Node) afterLockedTransfer(in *liveChannel, m *p2p.LockedTransfer, dep uint64) {
	if n.forwardedFor(in.id, m.Lock.SecretHash) {
		// A repeat of a lock we forwarded: its route is not signed, so whatever target or
		// hops it names now, it is neither ours to take nor to refuse (ADR 0036).
		return
	}
	if len(m.Hops) == 0 {
		n.acceptAsTarget(in, m) // reveals from the loop (TargetReveals), or refuses
		return
	}
	n.forwardAfter(in, m, dep)
}

// forward sends the lock on to the next hop if the incoming lock is safe; otherwise it
// refuses the incoming lock (mediated_cancel.go) so its payer cancels it at once.
func (n *Node) forward(in *liveChannel, m *p2p.LockedTransfer) { n.forwardAfter(in, m, 0) }

// forwardAfter is forward for an incoming lock whose write is in durable queue group dep
// (0: durable already): the outgoing LockedTransfer leaves only once that group is
// written too.
func (n *Node) forwardAfter(in *liveChannel, m *p2p.LockedTransfer, dep uint64) {
	hash := m.Lock.SecretHash
	defer n.lockDecision(hash)()
	if n.refusedIncoming(in, hash) {
		return // refused before: never forwarded, also not for a repeat
	}
	self := n.signer.Address()
	next := n.openChannelWith(m.Hops[0])
	if next == nil || next == in {
		n.log.Info("cannot forward: no open channel with the next hop", "next", m.Hops[0], "channel", in.id)
		n.refuseLocked(in, hash, refusal{reason: mediate.ReasonNoChannel, failedNode: self}, false)
		return
	}
	if n.forwardedFor(in.id, hash) {
		return // forwarded before: a repeat of this incoming lock, whatever hops it names
	}
	if _, known := n.secret(hash); known || n.forwardedLock(hash) {
		// Another incoming lock on a hash we forward, or were paid, for already: nothing
		// goes out for it, so it must not pay us; its payer gets it back at once.
		n.log.Info("refusing a second lock on a hash already forwarded", "channel", in.id)
		n.refuseUnforwarded(in, hash, refusal{reason: mediate.ReasonOther, failedNode: self})
		return
	}
	now, err := n.lockTime()
	if err != nil {
		n.log.Warn("cannot forward", "channel", in.id, "err", err)
		n.refuseLocked(in, hash, refusal{reason: mediate.ReasonOther, failedNode: self}, false)
		return
	}
	out, hop, rest, err := n.med.cfg.Forward(m.Lock, m.Amount, m.Hops, now)
	if err != nil || hop != next.peer {
		n.log.Info("not forwarding an unsafe lock", "channel", in.id, "err", err)
		reason := mediate.ReasonBadRoute
		if err != nil {
			reason = mediate.RefusalReason(err)
		}
		n.refuseLocked(in, hash, refusal{reason: reason, failedNode: self}, false)
		return
	}
	if !n.transport.Connected(next.peer) {
		n.log.Info("cannot forward: the next hop is not connected", "next", next.peer, "channel", in.id)
		n.refuseLocked(in, hash, refusal{reason: mediate.ReasonPeerUnreachable, failedChannel: next.id, failedNode: self}, false)
		return
	}
	undo, err := n.forwardAllowed(in, next, out)
	if err != nil {
		n.log.Info("not forwarding over a forwarding limit", "from", in.id, "to", next.id, "err", err)
		// The route past this hop cannot carry it now: the payer retries another.
		n.refuseLocked(in, hash, refusal{reason: mediate.ReasonCapacity, failedChannel: next.id, failedNode: self}, false)
		return
	}
	msg := &p2p.LockedTransfer{Lock: out, PaymentID: m.PaymentID, Target: m.Target, Amount: m.Amount, Hops: rest}
	record := n.noteForward(in.id, next.id, hash)
	if _, err := n.sendLockUpdateAfter(next, channel.AddLock(out), now, msg, nil, dep, record); err != nil {
		n.forgetForward(in.id, hash)
		undo()
		n.log.Info("forward refused", "from", in.id, "to", next.id, "err", err)
		n.refuseLocked(in, hash, refusal{reason: mediate.RefusalReason(err), failedChannel: next.id, failedNode: self}, false)
		return
	}
	n.routedForwarded(in.id, next.id, m.PaymentID, m.Target, m.Amount, m.Lock.Amount, out.Amount, m.Lock.SecretHash)
	n.log.Info("forwarded locked transfer", "from", in.id, "to", next.id, "amount", out.Amount, "fee", new(big.Int).Sub(m.Lock.Amount, out.Amount), "expiration", out.Expiration)
}

// onSecretReveal learns a secret from the partner we owe a lock to. An initiator
// (nothing pays it on the hash) only holds it for its unlock, which stores it. A mediator
// whose owed lock is open and unexpired knows it at once (ADR 0034): the mediation loop
// unlocks to the partner, in a batch that stores the secret before the unlock is sent,
// and reveals it upstream. The secret must be durable only once the node has paid with
// it, which is that unlock; if the node crashes first, the partner is still owed the lock
// and reveals again (or registers the secret on chain, where the node learns it). Any
// other node (a lock that expired, or whose channel is not open) stores the secret before
// anything acts on it.
func (n *Node) onSecretReveal(from common.Address, m *p2p.SecretReveal) {
	h := channel.SecretHash(m.Secret)
	var (
		owedLock channel.Lock
		open     bool
	)
	lc := n.pendingLockOn(h, true, func(lc *liveChannel, l channel.Lock) bool {
		if lc.peer != from {
			return false
		}
		owedLock, open = l, lc.st.Status() == channel.StatusOpen
		return true
	})
	if lc == nil {
		return // a stale or unsolicited reveal: nothing to do
	}
	if _, known := n.secret(h); known {
		n.med.wakeFor(h)
		return
	}
	if n.holdSecret(h, m.Secret) {
		return
	}
	secret := m.Secret
	learnt := func() {
		n.med.mu.Lock()
		n.med.secrets[h] = secret
		n.med.mu.Unlock()
		n.med.wakeFor(h)
	}
	if now := n.med.now.Load(); open && now != 0 && now <= owedLock.Expiration && n.med.cfg.Outgoing(owedLock, true, now) == mediate.SendUnlock {
		learnt() // the loop's unlock stores it
		return
	}
	err := n.durable.enqueue(func(b *store.Batch) error { b.PutSecret(secret); return nil },
		afterCommit{kind: afterRun, then: learnt})
	if err != nil {
		n.log.Debug("secret not stored", "err", err)
	}
}
