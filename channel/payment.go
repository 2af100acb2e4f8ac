package channel

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// Outcome tells the payee what an acceptable incoming proof means.
type Outcome uint8

const (
	// OutcomeNew is a proof that advances the payer's direction: persist, commit, ack.
	OutcomeNew Outcome = 1
	// OutcomeRepeat is an exact repeat of the latest proof (the payer lost our ack):
	// re-ack it, count nothing.
	OutcomeRepeat Outcome = 2
)

func (o Outcome) String() string {
	switch o {
	case OutcomeNew:
		return "new"
	case OutcomeRepeat:
		return "repeat"
	default:
		return "invalid"
	}
}

// PreparePayment builds and signs payer's next proof, paying amount more than its latest
// one. It does not change the State: persist the proof, then CommitProof it.
func (s *State) PreparePayment(payer Party, amount *big.Int, signer Signer) (SignedProof, error) {
	if err := checkParty(payer); err != nil {
		return SignedProof{}, err
	}
	if signer == nil || signer.Address() != s.params.Participants[payer] {
		return SignedProof{}, fmt.Errorf("channel %s: signer is not party %s: %w", s.params.ID, payer, ErrWrongSigner)
	}
	if err := s.usable(); err != nil {
		return SignedProof{}, err
	}
	if amount == nil || amount.Sign() <= 0 {
		return SignedProof{}, fmt.Errorf("channel %s: payment amount %v: %w", s.params.ID, amount, ErrInvalidAmount)
	}
	last := &s.sides[payer].Sent
	if last.Nonce == math.MaxUint64 {
		return SignedProof{}, fmt.Errorf("channel %s: party %s: %w", s.params.ID, payer, ErrNonceExhausted)
	}
	if amount.Cmp(maxAmount) > 0 {
		return SignedProof{}, fmt.Errorf("channel %s: payment amount %s: %w", s.params.ID, amount, ErrAmountTooLarge)
	}
	// A valid amount the balance cannot cover is an overdraft, whatever the payer paid
	// before: 2^128-1 after earlier payments used to be "too large" (invalid params)
	// while the payee calls the same proof an overdraft (issue 21, finding 2).
	transferred := newAmount().Add(last.Transferred, amount)
	if !s.covers(payer, transferred, last.Locked) {
		return SignedProof{}, fmt.Errorf("channel %s: party %s pays %s with %s spendable: %w",
			s.params.ID, payer, amount, s.Spendable(payer), ErrOverdraft)
	}
	if transferred.Cmp(maxAmount) > 0 {
		return SignedProof{}, fmt.Errorf("channel %s: cumulative transferred %s: %w", s.params.ID, transferred, ErrAmountTooLarge)
	}
	// Pending locks ride along unchanged; without any, Locked stays nil (no allocation).
	proof := SignedProof{BalanceProof: BalanceProof{Channel: s.params.ID, Nonce: last.Nonce + 1, Transferred: transferred,
		Locked: copyLocked(last.Locked), LocksRoot: last.LocksRoot}}
	digest, err := s.hasher.BalanceProofDigest(proof.BalanceProof)
	if err != nil {
		return SignedProof{}, fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	if proof.Sig, err = signer.SignDigest(digest); err != nil {
		return SignedProof{}, fmt.Errorf("channel %s: sign proof %d: %v: %w", s.params.ID, proof.Nonce, err, ErrInternal)
	}
	return proof, nil
}

// ValidateIncoming checks a proof received from payer without changing the State: the
// channel, bounds, nonce == latest + 1, a rising cumulative amount, the payer's balance
// including its pending withdrawals, and finally the signature. An exact repeat of the
// latest proof is OutcomeRepeat (accepted even after close, so lost acks can be re-sent).
//
// A proof signed for another chain or contract recovers to an unrelated address and is
// reported as ErrWrongSigner: the digest alone cannot tell which domain was used.
func (s *State) ValidateIncoming(payer Party, p SignedProof) (Outcome, error) {
	return s.validate(payer, p, false)
}

// ValidateSync is ValidateIncoming for the latest proof a payer re-sends on reconnect:
// because proofs are cumulative, it may skip nonces the payee never received.
func (s *State) ValidateSync(payer Party, p SignedProof) (Outcome, error) {
	return s.validate(payer, p, true)
}

// ApplyIncoming validates p (ValidateIncoming) and, if it is new, commits it.
func (s *State) ApplyIncoming(payer Party, p SignedProof) (Outcome, error) {
	o, err := s.validate(payer, p, false)
	if err != nil || o == OutcomeRepeat {
		return o, err
	}
	s.commit(payer, &p)
	return OutcomeNew, nil
}

// CommitProof records a proof that PreparePayment produced or ValidateIncoming/ValidateSync
// accepted, typically after the node persisted it. It re-checks everything except the
// signature (cheap, and the State may have moved since validation); a repeat of the
// latest proof is a no-op. Nonces only need to rise here, so a synced proof commits too.
func (s *State) CommitProof(payer Party, p SignedProof) error {
	o, err := s.check(payer, &p, true)
	if err != nil || o == OutcomeRepeat {
		return err
	}
	s.commit(payer, &p)
	return nil
}

func (s *State) validate(payer Party, p SignedProof, allowGap bool) (Outcome, error) {
	o, err := s.check(payer, &p, allowGap)
	if err != nil || o == OutcomeRepeat {
		return o, err
	}
	if err := s.verifySignature(payer, &p); err != nil {
		return 0, err
	}
	return OutcomeNew, nil
}

// verifySignature checks that payer signed p for this channel's domain.
func (s *State) verifySignature(payer Party, p *SignedProof) error {
	digest, err := s.hasher.BalanceProofDigest(p.BalanceProof)
	if err != nil {
		return fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	signer, err := s.hasher.Recover(digest, p.Sig)
	if err != nil {
		return fmt.Errorf("channel %s: proof %d: %w", s.params.ID, p.Nonce, err)
	}
	if signer != s.params.Participants[payer] {
		// A proof signed for another chain or contract lands here too: its digest differs,
		// so it recovers to an unrelated address.
		return fmt.Errorf("channel %s: proof %d recovers to %s, want party %s %s (other key or other domain): %w",
			s.params.ID, p.Nonce, signer, payer, s.params.Participants[payer], ErrWrongSigner)
	}
	return nil
}

// check is every rule of a direct payment but the signature.
func (s *State) check(payer Party, p *SignedProof, allowGap bool) (Outcome, error) {
	o, err := s.checkHeader(payer, p, allowGap)
	if err != nil || o == OutcomeRepeat {
		return o, err
	}
	last := &s.sides[payer].Sent
	// A direct payment leaves the pending locks alone. Over a sync gap the same root
	// means the same lock set, so the payee still knows every lock it commits to.
	if !sameAmount(p.Locked, last.Locked) || p.LocksRoot != last.LocksRoot {
		return 0, fmt.Errorf("channel %s: proof %d locked %v root %x, pending locked %v root %x: %w",
			s.params.ID, p.Nonce, p.Locked, p.LocksRoot, last.Locked, last.LocksRoot, ErrLocksMismatch)
	}
	if p.Transferred.Cmp(last.Transferred) <= 0 {
		return 0, fmt.Errorf("channel %s: proof %d transferred %s, latest %s: %w",
			s.params.ID, p.Nonce, p.Transferred, last.Transferred, ErrNotIncreasing)
	}
	if !s.covers(payer, p.Transferred, last.Locked) {
		return 0, fmt.Errorf("channel %s: proof %d transferred %s overdraws party %s: %w",
			s.params.ID, p.Nonce, p.Transferred, payer, ErrOverdraft)
	}
	return OutcomeNew, nil
}

// checkHeader is what every incoming proof must pass, direct or lock-aware: party,
// channel, amount bounds, an open channel and a fresh nonce; an exact repeat of the
// latest proof is OutcomeRepeat.
func (s *State) checkHeader(payer Party, p *SignedProof, allowGap bool) (Outcome, error) {
	if err := checkParty(payer); err != nil {
		return 0, err
	}
	if p.Channel != s.params.ID {
		return 0, fmt.Errorf("proof for channel %s, want %s: %w", p.Channel, s.params.ID, ErrWrongChannel)
	}
	if err := checkAmount("proof transferred", p.Transferred); err != nil {
		return 0, fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	if p.Locked != nil {
		if err := checkAmount("proof locked", p.Locked); err != nil {
			return 0, fmt.Errorf("channel %s: %w", s.params.ID, err)
		}
	}
	last := &s.sides[payer].Sent
	if p.Nonce == last.Nonce && last.Nonce > 0 && p.Sig == last.Sig && p.Transferred.Cmp(last.Transferred) == 0 &&
		sameAmount(p.Locked, last.Locked) && p.LocksRoot == last.LocksRoot {
		return OutcomeRepeat, nil
	}
	if err := s.usable(); err != nil {
		return 0, err
	}
	switch {
	case p.Nonce <= last.Nonce:
		return 0, fmt.Errorf("channel %s: proof nonce %d, latest %d: %w", s.params.ID, p.Nonce, last.Nonce, ErrStaleNonce)
	case !allowGap && p.Nonce != last.Nonce+1:
		return 0, fmt.Errorf("channel %s: proof nonce %d, want %d: %w", s.params.ID, p.Nonce, last.Nonce+1, ErrNonceGap)
	}
	return OutcomeNew, nil
}

// commit copies p into state-owned storage so the caller's big.Int can be reused.
func (s *State) commit(payer Party, p *SignedProof) {
	last := &s.sides[payer].Sent
	last.Nonce = p.Nonce
	last.Transferred.Set(p.Transferred)
	last.Sig = p.Sig
}

// amountCell is a big.Int with inline room for a uint128 sum, so a new amount costs one
// allocation instead of two (the Int and its words) on the payer's path. nat.add asks
// for one word more than its larger operand, hence the extra word.
type amountCell struct {
	v big.Int
	w [128/bits.UintSize + 1]big.Word
}

func newAmount() *big.Int {
	c := new(amountCell)
	return c.v.SetBits(c.w[:0])
}
