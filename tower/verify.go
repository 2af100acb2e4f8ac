package tower

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/tower/wire"
)

// refusal is a registration the tower turned down, with its stable code.
type refusal struct {
	code   wire.Code
	reason string
}

func refuse(code wire.Code, format string, args ...any) *refusal {
	return &refusal{code: code, reason: fmt.Sprintf(format, args...)}
}

// register verifies r, sent by the client whose libp2p key is from, and stores it when it
// raises the channel's nonce. Nothing is stored unless every check passes:
//   - the payer's signature recovers to one participant and the endorsement to the other
//     (the receiver), by the contract's signature rules;
//   - the client (its authenticated libp2p key) IS that receiver or that payer, so a client
//     can only register proofs of channels it is party to: the receiver's best proof of
//     its partner's payments, or a payer's own proof its partner endorsed (ADR 0032,
//     0037: defended over an older proof of the payer's that the partner closes with);
//   - the channel exists on chain and is not settled (read once; participants are
//     immutable, so later registrations of the channel compare against the stored pair);
//   - the nonce is higher than the one held for the same direction (a lower or equal one
//     is stale, harmless). Each direction of a channel is kept apart: both participants
//     may use the same tower.
func (t *Tower) register(ctx context.Context, from common.Address, r *wire.Register) wire.Receipt {
	rc := wire.Receipt{Channel: r.Channel, Nonce: r.Nonce, Code: wire.CodeAccepted}
	if f := t.verifyAndStore(ctx, from, r); f != nil {
		rc.Code, rc.Reason = f.code, truncate(f.reason, wire.MaxReasonSize)
	}
	t.metrics.registrations.WithLabelValues(rc.Code.String()).Inc()
	return rc
}

func (t *Tower) verifyAndStore(ctx context.Context, from common.Address, r *wire.Register) *refusal {
	if r.Nonce == 0 {
		return refuse(wire.CodeInvalid, "nonce 0 is not a proof")
	}
	if r.Transferred.Cmp(channel.MaxAmount()) > 0 {
		return refuse(wire.CodeInvalid, "transferred %s exceeds uint128", r.Transferred)
	}
	// The contract's _checkLocks: the held-back field is 96 bits and no root means nothing
	// locked. A proof it would revert on defends nothing, so it is refused here.
	if r.Locked != nil && r.Locked.Cmp(channel.MaxLocked()) > 0 {
		return refuse(wire.CodeInvalid, "locked %s exceeds 2^96-1", r.Locked)
	}
	if r.Locked != nil && r.Locked.Sign() != 0 && r.LocksRoot == ([32]byte{}) {
		return refuse(wire.CodeInvalid, "locked %s with no locks root", r.Locked)
	}
	proof := r.Proof()
	h, err := channel.NewHasher(t.domain)
	if err != nil {
		return refuse(wire.CodeUnavailable, "domain: %v", err)
	}
	digest, err := h.BalanceProofDigest(proof.BalanceProof)
	if err != nil {
		return refuse(wire.CodeInvalid, "proof: %v", err)
	}
	payer, err := h.Recover(digest, r.Sig)
	if err != nil {
		return refuse(wire.CodeBadSignature, "proof signature: %v", err)
	}
	edigest, err := h.EndorsementDigest(proof.BalanceProof)
	if err != nil {
		return refuse(wire.CodeInvalid, "endorsement: %v", err)
	}
	endorser, err := h.Recover(edigest, r.Endorsement)
	if err != nil {
		return refuse(wire.CodeBadEndorsement, "endorsement signature: %v", err)
	}
	if endorser != from && payer != from {
		return refuse(wire.CodeNotReceiver, "signed by %s and endorsed by %s, sent by %s: a client registers only proofs of its own channels", payer, endorser, from)
	}
	if payer == endorser {
		return refuse(wire.CodeBadEndorsement, "payer %s endorses its own proof", payer)
	}

	mu := t.lockFor(r.Channel)
	mu.Lock()
	defer mu.Unlock()
	known, err := t.store.sides(r.Channel)
	if err != nil {
		t.log.Error("tower store read failed", "channel", r.Channel, "err", err)
		return refuse(wire.CodeUnavailable, "store unavailable")
	}
	rec := record{Nonce: r.Nonce, Transferred: r.Transferred, Sig: r.Sig, Endorsement: r.Endorsement, Locked: r.Locked, LocksRoot: r.LocksRoot}
	closing := false
	var settleAfter uint64
	if len(known) > 0 {
		rec.A, rec.B = known[0].A, known[0].B
	} else {
		cctx, cancel := context.WithTimeout(ctx, t.cfg.ChainTimeout)
		view, err := t.chain.Channel(cctx, r.Channel)
		cancel()
		if err != nil {
			t.metrics.chainErrors.Inc()
			return refuse(wire.CodeUnavailable, "chain unavailable")
		}
		switch view.Status {
		case channel.StatusNone:
			return refuse(wire.CodeUnknownChannel, "channel %s does not exist on chain", r.Channel)
		case channel.StatusSettled:
			return refuse(wire.CodeNotDisputable, "channel %s is settled", r.Channel)
		case channel.StatusClosing:
			closing, settleAfter = true, view.SettleAfter
		}
		rec.A, rec.B = view.A, view.B
	}
	switch {
	case payer == rec.A && endorser == rec.B:
		rec.PayerIsA = true
	case payer == rec.B && endorser == rec.A:
	case endorser != rec.A && endorser != rec.B:
		return refuse(wire.CodeNotReceiver, "%s is not a participant of %s", endorser, r.Channel)
	default:
		return refuse(wire.CodeBadSignature, "proof signed by %s, not the partner of %s in %s", payer, endorser, r.Channel)
	}
	old, have, err := t.store.get(r.Channel, payerOf(&rec))
	if err != nil {
		t.log.Error("tower store read failed", "channel", r.Channel, "err", err)
		return refuse(wire.CodeUnavailable, "store unavailable")
	}
	if have && old.Nonce >= r.Nonce {
		return refuse(wire.CodeStale, "tower holds nonce %d", old.Nonce)
	}
	if !have && t.guarded.Load() >= int64(t.cfg.MaxChannels) {
		return refuse(wire.CodeFull, "tower holds %d proofs, its limit", t.cfg.MaxChannels)
	}
	if err := t.store.put(r.Channel, &rec); err != nil {
		t.log.Error("tower store write failed", "channel", r.Channel, "err", err)
		return refuse(wire.CodeUnavailable, "store unavailable")
	}
	if !have {
		t.metrics.proofs.Set(float64(t.guarded.Add(1)))
	}
	if closing {
		// The close happened before the tower guarded the channel, so the follower will
		// not see it again: defend from here.
		if err := t.store.markClosing(r.Channel, settleAfter); err != nil {
			t.log.Error("tower store write failed", "channel", r.Channel, "err", err)
		}
		t.wakeFollower()
	} else if len(known) > 0 {
		t.wakeIfClosing(r.Channel)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
