package node

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/store"
)

// drive follows a broadcast op until it is mined, for whoever waits on w.
func (r *opRunner) drive(id store.OpID, w *opWait, rec store.OpRecord, call ChainCall) {
	defer r.finish(id, w)
	w.rcpt, w.err = r.follow(r.n.ctx, rec, call)
	if w.err != nil && r.n.ctx.Err() == nil {
		r.n.log.Warn("on-chain operation failed", "kind", call.Kind, "channel", logChannel(call.Channel), "err", w.err)
	}
}

// followFirstPoll is how soon a fresh transaction is first looked for: an automining dev
// chain answers within milliseconds. Polls then back off to the node's PollInterval.
const followFirstPoll = 5 * time.Millisecond

// follow watches rec's transaction until one of its versions is mined:
//   - its nonce taken by another transaction of our account (the key used outside the
//     node), as the block where our nonce passed it shows (nonceTaken, ADR 0042): the
//     call is signed again with a fresh nonce, stored, then broadcast;
//   - not mined within TxReplaceAfter: it is replaced, same nonce, higher fee;
//   - otherwise it is re-broadcast every PollInterval (a pool may have dropped it).
//
// It returns when mined, when the call can no longer succeed (its re-signing reverts at
// estimation), or when ctx ends (the record stays, and is resumed after a restart).
func (r *opRunner) follow(ctx context.Context, rec store.OpRecord, call ChainCall) (Receipt, error) {
	cfg := &r.n.cfg
	signedAt, sentAt := time.Now(), time.Now()
	var told string // the last verdict on a suspected "nonce taken", logged once
	interval := followFirstPoll
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return Receipt{}, fmt.Errorf("%s channel %s: transaction %s submitted and not mined yet: %w: %w", call.Kind, call.Channel, rec.TxHash, ErrTxPending, ctx.Err())
		case <-timer.C:
		}
		interval = min(interval*2, cfg.PollInterval)
		timer.Reset(interval)

		tx := SignedTx{Hash: rec.TxHash, Raw: rec.RawTx}
		st, err := r.n.chain.Track(ctx, tx, rec.Replaced)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				r.n.log.Warn("cannot check a submitted transaction; retrying", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", rec.TxHash, "err", err)
			}
		case st.Mined:
			return r.mined(ctx, &rec, call, st)
		case st.NonceTaken && !r.nonceTaken(ctx, rec, call, &told):
			// Ours is mined and its receipt not served yet, or nothing is proven: wait.
		case st.NonceTaken:
			told = ""
			r.n.log.Warn("another transaction of our account used this transaction's nonce; signing it again", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", rec.TxHash)
			done, err := r.resign(ctx, &rec, call)
			if done || err != nil {
				return Receipt{}, err
			}
			signedAt, sentAt = time.Now(), time.Now()
		case time.Since(signedAt) >= cfg.TxReplaceAfter:
			if err := r.replace(ctx, &rec, call); err != nil {
				r.n.log.Error("transaction not mined and not replaced", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", rec.TxHash, "pending_for", time.Since(signedAt).Round(time.Second), "err", err)
				// Try again after another period: the chain's fees move.
			}
			signedAt, sentAt = time.Now(), time.Now()
		case time.Since(sentAt) >= cfg.PollInterval:
			sentAt = time.Now()
			if err := r.n.chain.Broadcast(ctx, tx); err != nil && ctx.Err() == nil {
				r.n.log.Debug("re-broadcast refused", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", rec.TxHash, "err", err)
			}
		}
	}
}

// nonceTaken checks Track's suspicion against the chain (ADR 0042): true only when the
// block where our account's nonce passed rec's holds a transaction of ours with that
// nonce that is none of rec's versions. Ours there means mined, its receipt not served
// yet (a load-balanced RPC whose receipt backend lags its state backend; Anvil storing
// receipts after it releases state): signing again would execute the call twice. A
// backend that cannot serve that evidence decides nothing; the next poll asks again.
func (r *opRunner) nonceTaken(ctx context.Context, rec store.OpRecord, call ChainCall, told *string) bool {
	use, err := r.n.chain.NonceUse(ctx, SignedTx{Hash: rec.TxHash, Raw: rec.RawTx})
	say := func(verdict string, args ...any) {
		if *told == verdict || ctx.Err() != nil {
			return
		}
		*told = verdict
		r.n.log.Warn(verdict, append([]any{"kind", call.Kind, "channel", logChannel(call.Channel), "tx", rec.TxHash}, args...)...)
	}
	switch {
	case err != nil && addsFunds(call.Kind):
		say("our nonce passed this transaction's and no receipt is served, but the chain does not show which transaction used the nonce; not signing again until it does", "err", err)
		return false
	case err != nil:
		// A call the contract cannot execute twice (a second close, proof update,
		// settle, withdrawal or unlock reverts, and a second secret registration
		// changes nothing): signing it again is safe without the evidence, and a
		// defense must not wait for a block the RPC no longer serves (ADR 0042).
		r.n.log.Warn("our nonce passed this transaction's and the chain does not show which transaction used it; signing this call again, which cannot execute twice", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", rec.TxHash, "err", err)
		return true
	case use.TxHash == rec.TxHash || slices.Contains(rec.Replaced, use.TxHash):
		say("transaction mined but its receipt not served yet; waiting for it", "mined_tx", use.TxHash, "block", use.Block)
		return false
	}
	r.n.log.Info("nonce used by another transaction of our account", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", rec.TxHash, "other_tx", use.TxHash, "block", use.Block)
	return true
}

// addsFunds reports the calls that move funds in each time they execute (open, deposit):
// signed again while the first one was mined, they would execute twice.
func addsFunds(k CallKind) bool { return k == CallOpen || k == CallDeposit }

// mined records the op as mined and reports its outcome. A reverted transaction whose
// goal the chain shows met anyway (our proof or a better one is already on chain, the
// channel already settled) is a success.
func (r *opRunner) mined(ctx context.Context, rec *store.OpRecord, call ChainCall, st TxStatus) (Receipt, error) {
	rec.State, rec.Updated = store.OpMined, time.Now()
	if err := r.put(context.WithoutCancel(ctx), rec); err != nil {
		// The chain has decided; the caller gets that. The record stays "submitted", and
		// a restart finds the mined version and records it then.
		r.n.log.Error("mined transaction not recorded", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", st.Receipt.TxHash, "err", err)
	}
	return r.outcome(ctx, call, st)
}

func (r *opRunner) outcome(ctx context.Context, call ChainCall, st TxStatus) (Receipt, error) {
	if st.Err == nil {
		return st.Receipt, nil
	}
	if r.goalMet(ctx, call) {
		r.n.log.Info("transaction reverted, but the chain already shows its effect", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", st.Receipt.TxHash, "err", st.Err)
		return st.Receipt, nil
	}
	return st.Receipt, fmt.Errorf("%s channel %s: %w", call.Kind, call.Channel, st.Err)
}

// minedResult answers for an op recorded as mined (a retry with its idempotency key, a
// repeated decision). If no version of its transaction is in the chain any more (a
// reorg), the op is followed again.
func (r *opRunner) minedResult(ctx context.Context, rec store.OpRecord, call ChainCall) (Receipt, error) {
	st, err := r.n.chain.Track(ctx, SignedTx{Hash: rec.TxHash, Raw: rec.RawTx}, rec.Replaced)
	if err != nil {
		return Receipt{}, fmt.Errorf("%s channel %s: %w", call.Kind, call.Channel, err)
	}
	if !st.Mined {
		rec.State = store.OpSubmitted
		if err := r.put(ctx, &rec); err != nil {
			return Receipt{}, err
		}
		return r.follow(ctx, rec, call)
	}
	return r.outcome(ctx, call, st)
}

// resign signs call again with a fresh nonce. If that fails at estimation because the
// call now reverts, the op ends: done (nil error) when the chain shows the goal met,
// otherwise with the revert, and its record is deleted: its transaction can never be
// mined. Other failures (the chain unreachable) are retried by the caller's loop.
func (r *opRunner) resign(ctx context.Context, rec *store.OpRecord, call ChainCall) (done bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n.metrics.txResigned.Inc()
	tx, err := r.n.chain.Resign(ctx, call)
	if err != nil {
		if _, reverts := errors.AsType[*contracts.RevertError](err); !reverts {
			r.n.log.Warn("cannot sign the transaction again yet", "kind", call.Kind, "channel", logChannel(call.Channel), "err", err)
			return false, nil
		}
		r.forget(ctx, *rec)
		if r.goalMet(ctx, call) {
			return true, nil
		}
		return true, fmt.Errorf("%s channel %s: nonce of %s used elsewhere, and the call now reverts: %w", call.Kind, call.Channel, rec.TxHash, err)
	}
	r.countAttempt(call)
	old := *rec
	rec.TxHash, rec.RawTx, rec.Replaced, rec.Updated = tx.Hash, tx.Raw, nil, time.Now()
	if err := r.put(ctx, rec); err != nil {
		*rec = old
		r.n.chain.ResyncNonce()
		r.n.log.Warn("re-signed transaction not stored; retrying", "kind", call.Kind, "channel", logChannel(call.Channel), "err", err)
		return false, nil
	}
	r.n.log.Info("transaction signed again", "kind", call.Kind, "channel", logChannel(call.Channel), "old_tx", old.TxHash, "tx", tx.Hash)
	if err := r.n.chain.Broadcast(ctx, tx); err != nil {
		r.n.log.Warn("broadcast of the re-signed transaction failed; retrying", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", tx.Hash, "err", err)
	}
	return false, nil
}

// replace signs the pending transaction again with the same nonce and a higher fee; the
// replaced hash is kept, since either version may be the one mined.
func (r *opRunner) replace(ctx context.Context, rec *store.OpRecord, call ChainCall) error {
	if len(rec.Replaced) >= store.MaxOpReplaced {
		return fmt.Errorf("replaced %d times already", len(rec.Replaced))
	}
	tx, err := r.n.chain.Replace(ctx, SignedTx{Hash: rec.TxHash, Raw: rec.RawTx})
	if err != nil {
		return err
	}
	r.countAttempt(call)
	r.n.metrics.txReplaced.Inc()
	old := *rec
	rec.Replaced = append(append([]common.Hash(nil), rec.Replaced...), rec.TxHash)
	rec.TxHash, rec.RawTx, rec.Updated = tx.Hash, tx.Raw, time.Now()
	if err := r.put(ctx, rec); err != nil {
		*rec = old
		return err
	}
	r.n.log.Warn("transaction not mined in time; replaced with a higher fee", "kind", call.Kind, "channel", logChannel(call.Channel), "old_tx", old.TxHash, "tx", tx.Hash)
	if err := r.n.chain.Broadcast(ctx, tx); err != nil {
		r.n.log.Warn("broadcast of the replacement failed; the earlier version may still be mined", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", tx.Hash, "err", err)
	}
	return nil
}

// goalMet reads the chain to decide whether what call was for has happened anyway. It
// never trusts an error message: a revert is a success only when the state shows it.
func (r *opRunner) goalMet(ctx context.Context, call ChainCall) bool {
	if met, isClaim := r.claimGoalMet(ctx, call); isClaim {
		return met
	}
	if addsFunds(call.Kind) {
		return false // each one adds funds; nothing else stands in for it
	}
	v, err := r.n.chain.Channel(ctx, call.Channel)
	if err != nil {
		r.n.log.Warn("cannot read the channel to judge a failed transaction", "kind", call.Kind, "channel", logChannel(call.Channel), "err", err)
		return false
	}
	me := r.n.signer.Address()
	switch call.Kind {
	case CallSettle, CallCloseCooperative:
		return v.Status == channel.StatusSettled
	case CallClose:
		// The partner closed first: the challenge runs, and the watcher defends it.
		return v.Status == channel.StatusClosing || v.Status == channel.StatusSettled
	case CallUpdateProof:
		// Only we (the proof's receiver) can raise the on-chain nonce of the partner's
		// proofs, so a nonce at or above ours means our proof, or a later one of ours, is there.
		them, ok := otherParty(v, me)
		return ok && v.Nonce[them] >= call.Proof.Nonce
	case CallUpdateProofFor:
		// Our own proof (ADR 0032): the chain holds it or a later one of ours.
		us, ok := partyOf(v, me)
		return ok && v.Nonce[us] >= call.Proof.Nonce
	case CallWithdraw:
		p, ok := partyOf(v, call.Withdrawal.Participant)
		return ok && v.Withdrawn[p] != nil && call.Withdrawal.TotalWithdrawn != nil && v.Withdrawn[p].Cmp(call.Withdrawal.TotalWithdrawn) >= 0
	}
	return false
}

func partyOf(v OnChainChannel, addr common.Address) (channel.Party, bool) {
	switch addr {
	case v.Participants[0]:
		return channel.PartyA, true
	case v.Participants[1]:
		return channel.PartyB, true
	}
	return 0, false
}

func otherParty(v OnChainChannel, me common.Address) (channel.Party, bool) {
	p, ok := partyOf(v, me)
	return p.Other(), ok
}

// countAttempt counts every transaction signed for a defense.
func (r *opRunner) countAttempt(call ChainCall) {
	if call.Kind == CallUpdateProof || call.Kind == CallUpdateProofFor {
		r.n.metrics.defenseAttempts.Inc()
	}
}
