package tower

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// runFollower follows the chain until ctx ends: every PollInterval, or at once when a
// registration for a closing channel arrives.
func (t *Tower) runFollower(ctx context.Context) {
	tick := time.NewTicker(t.cfg.PollInterval)
	defer tick.Stop()
	for {
		if err := t.poll(ctx); err != nil && ctx.Err() == nil {
			t.metrics.chainErrors.Inc()
			t.log.Warn("tower chain follower", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-t.wake:
		}
	}
}

func (t *Tower) wakeFollower() {
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// wakeIfClosing wakes the follower when a newer proof arrives for a close in progress.
func (t *Tower) wakeIfClosing(id channel.ID) {
	if ok, err := t.store.db.Has(key(prefixClosing, id), nil); err == nil && ok {
		t.wakeFollower()
	}
}

// poll reads the closes and settlements of guarded channels since the cursor (and RescanBlocks before
// it), marks them durably before the cursor moves past them, then works on every close
// still to defend. A close that happened while the tower was down is found here too.
func (t *Tower) poll(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, t.cfg.ChainTimeout)
	head, err := t.chain.Head(cctx)
	cancel()
	if err != nil {
		return fmt.Errorf("read head: %w", err)
	}
	next := t.next
	from := next - min(next, t.cfg.RescanBlocks)
	if from <= head.Number && t.guarded.Load() > 0 {
		var ids []channel.ID
		if t.guarded.Load() <= int64(t.cfg.TopicFilterMax) {
			if err := t.store.ids(func(id channel.ID) error { ids = append(ids, id); return nil }); err != nil {
				return err
			}
		}
		cctx, cancel := context.WithTimeout(ctx, t.cfg.ChainTimeout)
		evs, err := t.chain.EndEvents(cctx, from, head.Number, ids)
		cancel()
		if err != nil {
			return fmt.Errorf("read closes of blocks %d..%d: %w", from, head.Number, err)
		}
		for _, ev := range evs {
			switch ev := ev.(type) {
			case contracts.ChannelClosed:
				err = t.noteClose(&ev)
			case contracts.ChannelSettled:
				err = t.noteSettled(ev.ID)
			}
			if err != nil {
				return err
			}
		}
	}
	if head.Number+1 > next {
		if err := t.store.putCursor(head.Number); err != nil {
			return err
		}
		t.next = head.Number + 1
	}
	t.metrics.synced.Set(float64(head.Number))
	return t.defendAll(ctx, head)
}

// noteClose marks a close of a guarded channel for defense; others are ignored.
func (t *Tower) noteClose(ev *contracts.ChannelClosed) error {
	ok, err := t.store.has(ev.ID)
	if err != nil {
		return fmt.Errorf("look up %s: %w", ev.ID, err)
	}
	if !ok {
		return nil
	}
	t.log.Info("guarded channel closed", "channel", ev.ID, "closer", ev.Closer, "block", ev.Block, "settleAfter", ev.SettleAfter)
	return t.store.markClosing(ev.ID, ev.SettleAfter)
}

// noteSettled forgets a guarded channel that paid out (cooperatively, or after a
// challenge the tower already dealt with), so storage follows live channels.
func (t *Tower) noteSettled(id channel.ID) error {
	ok, err := t.store.has(id)
	if err != nil || !ok {
		return err
	}
	t.log.Debug("guarded channel settled; forgetting it", "channel", id)
	return t.done(id)
}

// defendAll decides, for every close still marked, from the chain's view and by the
// contract's own rule (a proof is recorded only with a higher nonce than the payer's on
// chain, until settleAfter), whether to submit the stored proof.
func (t *Tower) defendAll(ctx context.Context, head contracts.Head) error {
	ids, err := t.store.closing()
	if err != nil {
		return err
	}
	t.metrics.closing.Set(float64(len(ids)))
	for _, id := range ids {
		if ctx.Err() != nil {
			return nil
		}
		if err := t.defendOne(ctx, id, head); err != nil {
			t.log.Warn("defense check failed; retrying next poll", "channel", id, "err", err)
		}
	}
	return nil
}

func (t *Tower) defendOne(ctx context.Context, id channel.ID, head contracts.Head) error {
	if t.inflight(id) {
		return nil
	}
	recs, err := t.store.sides(id)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return t.store.unmarkClosing(id)
	}
	cctx, cancel := context.WithTimeout(ctx, t.cfg.ChainTimeout)
	view, err := t.chain.Channel(cctx, id)
	cancel()
	if err != nil {
		return err
	}
	if view.Status != channel.StatusClosing {
		// Settled (or, after a reorg took the close away, open again: the follower will
		// see a new close when it comes).
		if view.Status == channel.StatusSettled {
			return t.done(id)
		}
		t.mu.Lock()
		delete(t.defended, id)
		t.mu.Unlock()
		return t.store.unmarkClosing(id)
	}
	var needed []record
	for _, rec := range recs {
		onChain := view.NonceB
		if rec.PayerIsA {
			onChain = view.NonceA
		}
		if onChain < rec.Nonce {
			needed = append(needed, rec)
		} else {
			t.metrics.defenses.WithLabelValues(defenseUnneeded).Inc()
		}
	}
	switch {
	case len(needed) == 0:
		// Kept until the defense is final: a reorg that takes it away must find the
		// proof still here (TestFollowerDefendsAgainAfterAReorgRemovesItsDefense).
		if !t.defendedFinal(id, head.Number) {
			return nil
		}
		return t.done(id)
	case head.Time > view.SettleAfter:
		for _, rec := range needed {
			t.metrics.defenses.WithLabelValues(defenseMissed).Inc()
			t.log.Error("challenge period over before the tower could defend", "channel", id, "settleAfter", view.SettleAfter,
				"chainTime", head.Time, "ourNonce", rec.Nonce, "payerIsA", rec.PayerIsA)
		}
		return t.done(id)
	}
	t.mu.Lock()
	delete(t.defended, id) // a reorg removed a defense seen before
	t.mu.Unlock()
	for _, rec := range needed {
		t.log.Info("defending close with the receiver's newer proof", "channel", id, "ourNonce", rec.Nonce,
			"payerIsA", rec.PayerIsA, "secondsLeft", view.SettleAfter-head.Time)
	}
	t.submit(id, needed)
	return nil
}

// defendedFinal notes that the chain shows id's close defended at head, and reports
// whether it has shown so for FinalityBlocks blocks. A restarted tower waits again.
func (t *Tower) defendedFinal(id channel.ID, head uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	first, ok := t.defended[id]
	if !ok {
		t.defended[id] = head
		first = head
	}
	return head >= first+t.cfg.FinalityBlocks
}

// done forgets a channel whose close needs nothing more from the tower (after a close
// nothing can lower a receiver's proof on chain, so the records have served their purpose)
// or that settled.
func (t *Tower) done(id channel.ID) error {
	mu := t.lockFor(id)
	mu.Lock()
	defer mu.Unlock()
	n, err := t.store.forget(id)
	if err != nil {
		return err
	}
	t.mu.Lock()
	delete(t.defended, id)
	t.mu.Unlock()
	if n > 0 {
		t.metrics.proofs.Set(float64(t.guarded.Add(int64(-n))))
	}
	return nil
}

// submitOne sends one updateProofFor and waits for its receipt; false when it failed.
func (t *Tower) submitOne(id channel.ID, rec record) bool {
	t.metrics.defenses.WithLabelValues(defenseSubmitted).Inc()
	ctx, cancel := context.WithTimeout(t.ctx, t.cfg.DefenseTimeout)
	defer cancel()
	receipt, err := t.chain.UpdateProofFor(ctx, rec.proof(id), rec.Endorsement)
	if err != nil {
		if t.ctx.Err() != nil {
			return false
		}
		t.metrics.defenses.WithLabelValues(defenseFailed).Inc()
		if errors.Is(err, contracts.ErrStaleNonce) {
			t.log.Info("defense not needed: the chain holds this proof or a newer one", "channel", id)
		} else {
			t.log.Error("defense failed; retrying at the next poll", "channel", id, "nonce", rec.Nonce, "err", err)
		}
		return false
	}
	t.metrics.defenses.WithLabelValues(defenseSucceeded).Inc()
	t.log.Info("close defended", "channel", id, "nonce", rec.Nonce, "payerIsA", rec.PayerIsA, "tx", receipt.TxHash, "block", receipt.BlockNumber)
	return true
}

func (t *Tower) inflight(id channel.ID) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.defending[id]
	return ok
}

// submit sends updateProofFor in the background; the next poll re-checks the chain, so a
// failed or lost attempt is retried until the chain holds the proof or the period ends.
func (t *Tower) submit(id channel.ID, recs []record) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.defending[id] = struct{}{}
	t.wg.Add(1)
	t.mu.Unlock()
	go func() {
		defer t.wg.Done()
		defer func() {
			t.mu.Lock()
			delete(t.defending, id)
			t.mu.Unlock()
		}()
		for _, rec := range recs {
			if !t.submitOne(id, rec) {
				return
			}
		}
		t.wakeFollower()
	}()
}
