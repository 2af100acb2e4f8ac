package node

import (
	"context"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// The sweep of expired unpaid invoices (ADR 0035): an open invoice (no lock took it)
// whose expiry passed is deleted with its secret, its amount, the wire request's record
// and the target's routed record, at start and every SweepInterval, invoiceSweepBatch
// at a time. An invoice is kept while any channel has a pending lock on its hash (a lock
// we refused and its payer has not cancelled yet) or its secret was revealed; a taken
// invoice is never swept: its secret is kept like every revealed one (on-chain claims,
// ADR 0027). Invoices from before ADR 0035 have no open record and are kept.

// runInvoiceSweep sweeps until ctx ends.
func (n *Node) runInvoiceSweep(ctx context.Context) {
	t := time.NewTicker(n.book().cfg.SweepInterval)
	defer t.Stop()
	for {
		for n.sweepInvoices(ctx, time.Now()) == invoiceSweepBatch && ctx.Err() == nil {
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepInvoices deletes up to invoiceSweepBatch open invoices expired at now that no
// pending lock needs; it returns how many it looked at.
func (n *Node) sweepInvoices(ctx context.Context, now time.Time) int {
	b := n.book()
	due := b.expiredAt(uint64(now.Unix()), invoiceSweepBatch)
	if len(due) == 0 {
		return 0
	}
	needed := n.hashesInUse(due)
	var gone [][32]byte
	var routed []store.RoutedRecord
	rs, hasRouted := n.store.(routedStorage)
	for _, h := range due {
		if _, ok := needed[h]; ok {
			continue
		}
		gone = append(gone, h)
		if !hasRouted {
			continue
		}
		rec, found, err := rs.GetRouted(derivedRoutedID("target", h, channel.ID{}))
		if err == nil && found && rec.Role == store.RoleTarget && rec.SecretHash == h && !rec.State.Final() {
			routed = append(routed, rec)
		}
	}
	if len(gone) == 0 {
		return len(due)
	}
	l := n.routedLog()
	l.mu.Lock()
	for _, rec := range routed {
		delete(l.live, routedKey{rec.SecretHash, rec.Role})
	}
	l.mu.Unlock()
	fill := func(bt *store.Batch) error {
		for _, h := range gone {
			bt.DeleteSecret(h)
			for _, ns := range []string{invoiceNamespace, invoiceReqNamespace, invoiceOpenNamespace} {
				if err := bt.DeleteMeta(ns, hashKey(h)); err != nil {
					return err
				}
			}
		}
		for i := range routed {
			bt.DeleteRouted(&routed[i])
			if err := bt.DeleteMeta(routedLiveNamespace, routedHashKey(routedKey{routed[i].SecretHash, routed[i].Role})); err != nil {
				return err
			}
		}
		return nil
	}
	done := make(chan error, 1)
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSignal, done: done}); err != nil {
		n.log.Warn("expired invoices not deleted", "err", err)
		return len(due)
	}
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		return len(due) // the next run finds what did not land
	}
	if err != nil {
		n.log.Warn("expired invoices not deleted", "err", err)
		return len(due)
	}
	// Only now leave the book: until the deletion is durable an expired open invoice
	// refuses every lock (takeInvoice), never mistaken for one from before ADR 0035.
	b.mu.Lock()
	for _, h := range gone {
		b.remove(h)
	}
	b.mu.Unlock()
	n.med.mu.Lock()
	for _, h := range gone {
		delete(n.med.secrets, h)
	}
	n.med.mu.Unlock()
	n.log.Info("expired unpaid invoices deleted", "count", len(gone), "kept", len(due)-len(gone))
	return len(due)
}

// expiredAt returns up to max open invoices whose expiry is at or before now.
func (b *invoiceBook) expiredAt(now uint64, max int) [][32]byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out [][32]byte
	for h, o := range b.open {
		if o.expiry <= now {
			out = append(out, h)
			if len(out) == max {
				break
			}
		}
	}
	return out
}

// hashesInUse are those of hashes a pending lock on any channel (either direction, any
// status) guards, or whose secret we revealed or hold for an unlock.
func (n *Node) hashesInUse(hashes [][32]byte) map[[32]byte]struct{} {
	used := map[[32]byte]struct{}{}
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		lc.mu.Lock()
		for _, h := range hashes {
			if lc.st == nil {
				break
			}
			_, out := lc.st.PendingLock(lc.us, h)
			_, in := lc.st.PendingLock(lc.us.Other(), h)
			if out || in {
				used[h] = struct{}{}
			}
		}
		lc.mu.Unlock()
		return true
	})
	want := make(map[[32]byte]struct{}, len(hashes))
	for _, h := range hashes {
		want[h] = struct{}{}
	}
	n.med.mu.Lock()
	for k := range n.med.sent {
		if _, ok := want[k.hash]; ok {
			used[k.hash] = struct{}{}
		}
	}
	for h := range n.med.held {
		if _, ok := want[h]; ok {
			used[h] = struct{}{}
		}
	}
	n.med.mu.Unlock()
	return used
}
