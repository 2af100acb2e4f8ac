package node

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Taking an invoice (ADR 0035): the first lock the payee accepts for an invoice takes it,
// durably before the secret leaves; only that lock (its channel and expiration) is
// revealed for or claimed on chain with the secret, also after the invoice's expiry.

// invoiceTakerOf is the lock that took the invoice on hash, if one did (its record may
// not be durable yet: see durableTakerOf).
func (n *Node) invoiceTakerOf(hash [32]byte) (invoiceTaker, bool) {
	b := n.book()
	b.mu.Lock()
	t, ok := b.taking[hash]
	b.mu.Unlock()
	if ok {
		return t, true
	}
	return n.durableTakerOf(hash)
}

// durableTakerOf is the lock that took the invoice on hash as the store has it: the
// secret is revealed for no lock before its record is durable.
func (n *Node) durableTakerOf(hash [32]byte) (invoiceTaker, bool) {
	raw, found, err := n.store.GetMeta(invoiceTakenNamespace, hashKey(hash))
	if err != nil || !found {
		return invoiceTaker{}, false
	}
	return decodeTaker(raw)
}

// takeInvoice decides whether the payee's invoice on hash may be revealed for lock l on
// channel ch (its amount and time margin are checked by the caller): yes for the lock
// that took it; errInvoicePaid for any other once one took it; errInvoiceExpired for a
// new lock after the invoice's expiry; otherwise l takes it and then runs once that is
// durable (the secret must not leave before). done reports that l held it already (then
// is not run). An invoice from before ADR 0035 (no lifecycle record) is taken the same
// way, without an expiry. Callers hold lockDecision(hash).
func (n *Node) takeInvoice(ch channel.ID, l channel.Lock, then func()) (done bool, err error) {
	hash := l.SecretHash
	done, fill, err := n.claimInvoice(ch, l)
	if done || err != nil {
		return done, err
	}
	b := n.book()
	err = n.durable.enqueue(fill, afterCommit{kind: afterRun, then: func() {
		b.mu.Lock()
		delete(b.taking, hash)
		b.mu.Unlock()
		if then != nil {
			then()
		}
	}})
	if err != nil {
		return false, fmt.Errorf("invoice %x: record the lock that takes it: %w", hash, err)
	}
	return false, nil
}

// claimInvoice is takeInvoice's decision: done for the lock that took it already, an
// error for another lock or an expired invoice, otherwise l takes it (in memory: no
// reveal for it until the record fill puts is durable and takenDurable ran). Callers
// hold lockDecision(hash).
func (n *Node) claimInvoice(ch channel.ID, l channel.Lock) (done bool, fill func(*store.Batch) error, err error) {
	hash := l.SecretHash
	me := invoiceTaker{ch: ch, expiration: l.Expiration}
	if t, ok := n.invoiceTakerOf(hash); ok {
		if t != me {
			return false, nil, fmt.Errorf("invoice %x: taken by the lock on channel %s: %w", hash, t.ch, errInvoicePaid)
		}
		return true, nil, nil
	}
	b := n.book()
	b.mu.Lock()
	o, open := b.open[hash]
	if open && uint64(time.Now().Unix()) >= o.expiry {
		b.mu.Unlock()
		return false, nil, fmt.Errorf("invoice %x expired at %d: %w", hash, o.expiry, errInvoiceExpired)
	}
	b.provePayer(hash) // ADR 0043: its payer paid us
	b.remove(hash)
	b.taking[hash] = me
	b.mu.Unlock()
	return false, func(bt *store.Batch) error {
		if err := bt.DeleteMeta(invoiceOpenNamespace, hashKey(hash)); err != nil {
			return err
		}
		return bt.PutMeta(invoiceTakenNamespace, hashKey(hash), encodeTaker(me))
	}, nil
}

// takenDurable is told that the taken record of hash is durable: the reveal may follow.
func (n *Node) takenDurable(hash [32]byte) {
	b := n.book()
	b.mu.Lock()
	delete(b.taking, hash)
	b.mu.Unlock()
}

// takeWithLock is the payee's take in the incoming lock's own write (ADR 0034
// amendment): for a new lock addressed to us on our invoice that TargetReveals accepts
// at now, l takes the invoice and fill puts the taken record into the lock's batch, so
// the record is durable with the lock, before its Ack and before any reveal, without a
// write of its own; the caller runs takenDurable(hash) once that batch is durable. nil
// when the lock does not qualify: acceptAsTarget then decides (and refuses) as before.
// Callers hold lockDecision(hash) and lc.mu.
func (n *Node) takeWithLock(ch channel.ID, m *p2p.LockedTransfer, now uint64) (fill func(*store.Batch) error) {
	if m.Target != n.signer.Address() {
		return nil
	}
	asked, mine := n.invoiceAmount(m.Lock.SecretHash)
	if !mine || n.med.cfg.TargetReveals(m.Lock, asked, now) != nil {
		return nil
	}
	done, fill, err := n.claimInvoice(ch, m.Lock)
	if done || err != nil {
		return nil
	}
	return fill
}

// targetReveals is the mediation loop's check before it reveals the secret of our own
// invoice to the payer of l on channel ch: the amount and time margin (TargetReveals)
// and that l is the lock that took the invoice. A lock nobody decided on yet (a restart
// came between its Ack and acceptAsTarget) takes the invoice here if it may; the reveal
// follows on the wake-up once that is durable.
func (n *Node) targetReveals(lc *liveChannel, l channel.Lock, asked *big.Int, now uint64) bool {
	if err := n.med.cfg.TargetReveals(l, asked, now); err != nil {
		return false // underpaid or too late: refused (acceptAsTarget), the payer cancels it
	}
	if t, ok := n.durableTakerOf(l.SecretHash); ok {
		return t == invoiceTaker{ch: lc.id, expiration: l.Expiration}
	}
	hash := l.SecretHash
	b := n.book()
	b.mu.Lock()
	_, taking := b.taking[hash]
	b.mu.Unlock()
	if taking {
		return false // its record is being written; the loop is woken once it is durable
	}
	n.goTracked(func() {
		defer n.lockDecision(hash)()
		_, err := n.takeInvoice(lc.id, l, func() { n.med.wakeFor(hash) })
		if reason := invoiceRefusalReason(err); reason != mediate.ReasonOther {
			n.log.Info("refusing a lock on our invoice", "channel", lc.id, "err", err)
			n.refuseLocked(lc, hash, refusal{reason: reason, failedNode: n.signer.Address()}, true)
		}
	})
	return false
}

// takeForReveal is acceptAsTarget's step once l passed TargetReveals: l takes the invoice
// and the loop is woken to reveal once that is durable; or refuse with the reason (the
// invoice expired, or another lock took it). A storage error refuses nothing: the loop
// tries again.
func (n *Node) takeForReveal(ch channel.ID, l channel.Lock) (refuse bool, reason mediate.Reason) {
	hash := l.SecretHash
	defer n.lockDecision(hash)()
	done, err := n.takeInvoice(ch, l, func() { n.med.wakeFor(hash) })
	if done {
		n.med.wakeFor(hash)
	}
	if reason = invoiceRefusalReason(err); reason == mediate.ReasonOther {
		if err != nil {
			n.log.Warn("invoice not taken", "channel", ch, "err", err)
		}
		return false, reason
	}
	return true, reason
}

// invoiceRefusalReason is the LockRefused reason for an error of takeInvoice.
func invoiceRefusalReason(err error) mediate.Reason {
	switch {
	case errors.Is(err, errInvoiceExpired):
		return mediate.ReasonInvoiceExpired
	case errors.Is(err, errInvoicePaid):
		return mediate.ReasonInvoicePaid
	}
	// nil or a storage error: nothing to refuse for
	return mediate.ReasonOther
}

// targetMayClaim reports whether the payee may claim l on channel ch on chain with its
// invoice's secret: not when another lock took the invoice, nor when l came after the
// expiry of an invoice no lock took (refused). An invoice from before ADR 0035 has no
// record: claimed as before.
func (n *Node) targetMayClaim(ch channel.ID, l channel.Lock) bool {
	if t, ok := n.invoiceTakerOf(l.SecretHash); ok {
		return t == invoiceTaker{ch: ch, expiration: l.Expiration}
	}
	b := n.book()
	b.mu.Lock()
	defer b.mu.Unlock()
	o, open := b.open[l.SecretHash]
	return !open || uint64(time.Now().Unix()) < o.expiry
}
