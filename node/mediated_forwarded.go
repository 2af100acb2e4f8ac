package node

import (
	"context"
	"fmt"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/store"
)

// Forward records: which incoming lock a mediator forwarded. A LockedTransfer's route
// (hops, target, amount) is not signed and a hash may arrive on several incoming locks
// (a repeat with other hops, a second payer on the same invoice hash), so "some lock on
// this hash went out" does not say which incoming lock it was for. The record is written
// in the batch of the outgoing lock itself, so after any crash it exists exactly when the
// outgoing lock does; it is dropped when the incoming lock is removed off chain. From it:
//   - an incoming lock is forwarded at most once, whatever its repeats carry;
//   - any other incoming lock on a hash already forwarded (or whose secret is known) is
//     refused at once, so its payer cancels it: nothing was forwarded for it;
//   - the secret is revealed upstream, and claimed on chain, only for the incoming lock
//     the outgoing one was forwarded for.
const (
	forwardNamespace = "lockforward"
	// forwardMarker: set once the records were derived for locks forwarded before they
	// existed (upgrade from a node without them).
	forwardMarker = "v1"
)

// Keys are refusalKey(sentKey{in channel, hash}), as the refusal records (parseRefusalKey reads both).

// forwardedFor reports whether we forwarded the incoming lock on hash in channel in.
func (n *Node) forwardedFor(in channel.ID, hash [32]byte) bool {
	n.med.mu.Lock()
	defer n.med.mu.Unlock()
	_, ok := n.med.forwarded[sentKey{in, hash}]
	return ok
}

// forwardedOver reports whether the incoming lock on hash in channel in went out over
// channel out: only its refusal follows out's cancel (another incoming lock on the hash
// is not ours to refuse on that account). A record derived for an older datadir names no
// channel and matches any.
func (n *Node) forwardedOver(in channel.ID, hash [32]byte, out channel.ID) bool {
	n.med.mu.Lock()
	defer n.med.mu.Unlock()
	o, ok := n.med.forwarded[sentKey{in, hash}]
	return ok && (o == out || o == channel.ID{})
}

// noteForward records, in memory now and in b with the outgoing lock, that the incoming
// lock on hash in channel in went out on channel out.
func (n *Node) noteForward(in, out channel.ID, hash [32]byte) func(*store.Batch) error {
	k := sentKey{in, hash}
	n.med.mu.Lock()
	n.med.forwarded[k] = out
	n.med.mu.Unlock()
	return func(b *store.Batch) error { return b.PutMeta(forwardNamespace, refusalKey(k), out[:]) }
}

// forgetForward undoes noteForward when the outgoing lock was not sent.
func (n *Node) forgetForward(in channel.ID, hash [32]byte) {
	n.med.mu.Lock()
	delete(n.med.forwarded, sentKey{in, hash})
	n.med.mu.Unlock()
}

// dropForward deletes, in the batch that removes the partner's lock u names from channel
// id, the record of its forward.
func (n *Node) dropForward(b *store.Batch, id channel.ID, u channel.LockUpdate) error {
	if u.Change == channel.LockAdd {
		return nil
	}
	h := u.SecretHash
	if u.Change == channel.LockUnlock {
		h = channel.SecretHash(u.Secret)
	}
	k := sentKey{id, h}
	n.med.mu.Lock()
	_, ok := n.med.forwarded[k]
	delete(n.med.forwarded, k)
	n.med.mu.Unlock()
	if !ok {
		return nil
	}
	return b.DeleteMeta(forwardNamespace, refusalKey(k))
}

// loadForwards restores the forward records. A node that ran without them derives them
// once: an incoming pending lock whose hash has an outgoing pending lock, or a known
// secret, was forwarded (it was the only rule then).
func (n *Node) loadForwards() error {
	ml, ok := n.store.(metaLister)
	if !ok {
		return nil
	}
	entries, err := ml.ListMeta(forwardNamespace)
	if err != nil {
		return fmt.Errorf("load forward records: %w", err)
	}
	marked := false
	n.med.mu.Lock()
	for _, e := range entries {
		if e.Key == forwardMarker {
			marked = true
			continue
		}
		k, kok := parseRefusalKey(e.Key)
		var out channel.ID
		if !kok || len(e.Value) != len(out) {
			continue
		}
		copy(out[:], e.Value)
		n.med.forwarded[k] = out
	}
	n.med.mu.Unlock()
	if marked {
		return nil
	}
	var derived []sentKey
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		in := lc.st.Locks(lc.us.Other())
		lc.mu.Unlock()
		for _, l := range in {
			_, known := n.secret(l.SecretHash)
			if _, mine := n.invoiceAmount(l.SecretHash); !mine && (known || n.forwardedLock(l.SecretHash)) {
				derived = append(derived, sentKey{lc.id, l.SecretHash})
			}
		}
		return true
	})
	n.med.mu.Lock()
	for _, k := range derived {
		n.med.forwarded[k] = channel.ID{}
	}
	n.med.mu.Unlock()
	return n.durable.enqueue(func(b *store.Batch) error {
		for _, k := range derived {
			if err := b.PutMeta(forwardNamespace, refusalKey(k), make([]byte, len(channel.ID{}))); err != nil {
				return err
			}
		}
		return b.PutMeta(forwardNamespace, forwardMarker, []byte{1})
	}, afterCommit{})
}

// sameLock reports whether payer's pending lock on l's hash is exactly l: a repeated
// LockedTransfer is acted on only for the lock its (repeated) proof added.
func sameLock(st *channel.State, payer channel.Party, l channel.Lock) bool {
	p, ok := st.PendingLock(payer, l.SecretHash)
	return ok && p.Expiration == l.Expiration && p.Amount != nil && l.Amount != nil && p.Amount.Cmp(l.Amount) == 0
}

// expiryAllowed refuses the partner's expiry, at chain time now, of a lock that pays us
// (one we forwarded for, or our own invoice's) whose secret was registered on chain in
// time: the contract pays it to us whatever the partner signs, so giving it up off chain
// would only lose the claim (ADR 0027). Before the expiration the state rule refuses the
// expiry anyway (the caller asks again with a fresher chain time). After it, the registry
// is read once per hash: a registration in time is in a block at or before the
// expiration, so an answer of "none" read after it stays true (a partner's repeated
// expiries cost no more chain reads).
func (n *Node) expiryAllowed(lc *liveChannel, payer channel.Party, hash [32]byte, now uint64) error {
	lc.mu.Lock()
	l, pending := lc.st.PendingLock(payer, hash)
	lc.mu.Unlock()
	if !pending || now <= l.Expiration {
		return nil // the state rule answers
	}
	if n.claims.notRegistered(hash) {
		return nil
	}
	_, known := n.secret(hash)
	if !known && !n.forwardedFor(lc.id, hash) {
		return nil
	}
	ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
	defer cancel()
	if err := n.refreshRegistration(ctx, hash); err != nil {
		return fmt.Errorf("lock %x: cannot read its secret's registration: %w", hash[:4], err)
	}
	at := n.claims.registeredAt(hash)
	if mediate.RegisteredInTime(at, l.Expiration) {
		return fmt.Errorf("lock %x expiring at %d: its secret was registered on chain at %d: %w", hash[:4], l.Expiration, at, channel.ErrLockNotExpired)
	}
	if at == 0 {
		n.claims.markNotRegistered(hash)
	}
	return nil
}
