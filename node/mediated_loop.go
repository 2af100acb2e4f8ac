package node

import (
	"context"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// mediationTick bounds how long a pending lock waits for the loop when nothing wakes it.
const mediationTick = 250 * time.Millisecond

// runMediation drives every pending lock of every channel to its end: unlock what we owe
// once we know the secret, expire what we owe once chain time passed its expiration
// unpaid, reveal a known secret to the payer of a lock that pays us. A wake for one
// secret hash (an incoming lock, a learnt secret) looks at the locks on that hash only;
// new heads, wake() and the tick look at every lock of every channel.
func (n *Node) runMediation(ctx context.Context) {
	t := time.NewTicker(mediationTick)
	defer t.Stop()
	for tick := 0; ; tick++ {
		all := false
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			all = true
		case <-n.med.kick:
		}
		if tick%1000 == 0 {
			n.med.forget(time.Hour)
		}
		now := n.med.now.Load()
		if now == 0 {
			continue // kept: the next wake or tick finds them
		}
		dirty, everything := n.med.takeDirty()
		if all || everything {
			n.chans.Range(func(_, v any) bool {
				n.mediateLocks(v.(*liveChannel), now, nil)
				return ctx.Err() == nil
			})
			continue
		}
		if len(dirty) > 0 {
			n.mediateDirty(ctx, now, dirty)
		}
	}
}

// mediateDirty decides the locks on the woken hashes: only the channels the lock index
// names for them, instead of every channel of the node. What mediateLocks does for a
// channel without a lock on any of those hashes (its refusals) still runs for every
// channel while any refusal is pending.
func (n *Node) mediateDirty(ctx context.Context, now uint64, dirty map[[32]byte]struct{}) {
	var chans []*liveChannel
	for h := range dirty {
		chans = n.med.locks.channels(chans, h)
	}
	for _, lc := range chans {
		n.mediateLocks(lc, now, dirty)
		if ctx.Err() != nil {
			return
		}
	}
	if n.med.ref.idle() {
		return
	}
	n.chans.Range(func(_, v any) bool {
		if lc := v.(*liveChannel); !containsChannel(chans, lc) {
			n.mediateRefusals(lc, now)
		}
		return ctx.Err() == nil
	})
}

// takeDirty hands the loop the hashes woken since it last ran, and whether it must look
// at every lock.
func (m *mediation) takeDirty() (map[[32]byte]struct{}, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	all := m.all
	m.all = false
	if len(m.dirty) == 0 {
		return nil, all
	}
	d := m.dirty
	m.dirty = make(map[[32]byte]struct{}, len(d))
	return d, all
}

func (n *Node) mediateChannel(lc *liveChannel, now uint64) { n.mediateLocks(lc, now, nil) }

// mediateLocks decides the channel's pending locks on the hashes in only (nil: all).
func (n *Node) mediateLocks(lc *liveChannel, now uint64, only map[[32]byte]struct{}) {
	if only == nil {
		n.claimLocks(lc, now)     // on-chain claims and unlocks (mediated_claim.go): time-driven, so full passes
		n.watchCancelled(lc, now) // secrets of cancels the partner has not endorsed (ADR 0032)
	}
	lc.mu.Lock()
	open := lc.st.Status() == channel.StatusOpen
	var out, in []channel.Lock
	if only == nil {
		out, in = lc.st.Locks(lc.us), lc.st.Locks(lc.us.Other())
	} else {
		// Only the woken hashes: a lookup each instead of copying every lock of every
		// channel (a hub ranges over all its channels for each wake).
		for h := range only {
			if l, ok := lc.st.PendingLock(lc.us, h); ok {
				out = append(out, l)
			}
			if l, ok := lc.st.PendingLock(lc.us.Other(), h); ok {
				in = append(in, l)
			}
		}
	}
	lc.mu.Unlock()
	if !open {
		return // a closing channel's locks are decided on chain
	}
	n.mediateRefusals(lc, now)
	for _, l := range out {
		secret, known := n.unlockSecret(l.SecretHash)
		switch n.med.cfg.Outgoing(l, known, now) {
		case mediate.SendUnlock:
			rec := &store.PaymentRecord{Amount: l.Amount, Time: time.Now()}
			if _, err := n.sendLockUpdate(lc, channel.Unlock(secret), now, &p2p.Unlock{Secret: secret}, rec); err != nil {
				n.log.Info("unlock not sent", "channel", lc.id, "err", err)
			} else {
				n.log.Info("unlocked", "channel", lc.id, "amount", l.Amount)
			}
		case mediate.SendExpire:
			if _, err := n.sendLockUpdate(lc, channel.ExpireLock(l.SecretHash), now, &p2p.LockExpired{SecretHash: l.SecretHash}, nil); err != nil {
				n.log.Info("lock expiry not sent", "channel", lc.id, "err", err)
			} else {
				n.log.Info("lock expired", "channel", lc.id, "amount", l.Amount, "expiration", l.Expiration)
				n.lockHeldToExpiry(lc, l, false)
			}
		}
	}
	for _, l := range in {
		if n.med.revealedWithin(sentKey{lc.id, l.SecretHash}, resendAfter) {
			// Revealed a moment ago, after every check below passed: nothing to decide
			// or send until the resend is due (a full pass would read the invoice of
			// every pending lock a target holds, several times a second).
			continue
		}
		secret, known := n.secret(l.SecretHash)
		if !known || n.lockRefusedByUs(lc.id, l.SecretHash) {
			continue // no secret, or we gave the lock up: never reveal for it
		}
		if asked, mine := n.invoiceAmount(l.SecretHash); mine {
			if !n.targetReveals(lc, l, asked, now) {
				continue // underpaid, too late, expired or another lock's: refused (invoice_take.go)
			}
		} else if !n.forwardedFor(lc.id, l.SecretHash) || mediate.Incoming(l, known, now) != mediate.SendReveal {
			continue // a mediator is paid only for the lock it forwarded for
		}
		key := sentKey{lc.id, l.SecretHash}
		n.med.mu.Lock()
		last, sent := n.med.sent[key]
		due := !sent || time.Since(last) >= resendAfter
		if due {
			n.med.sent[key] = time.Now()
		}
		n.med.mu.Unlock()
		if !due {
			continue
		}
		if err := n.transport.Send(n.ctx, lc.peer, &p2p.SecretReveal{Secret: secret}); err != nil {
			n.log.Debug("secret reveal not sent", "channel", lc.id, "err", err)
		}
	}
}

// revealedWithin reports whether the lock key was revealed less than d ago.
func (m *mediation) revealedWithin(key sentKey, d time.Duration) bool {
	m.mu.Lock()
	last, sent := m.sent[key]
	m.mu.Unlock()
	return sent && time.Since(last) < d
}
