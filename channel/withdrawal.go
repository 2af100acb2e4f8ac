package channel

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// A withdrawal both parties signed may execute on chain at any time until its expiry, so
// from the moment this node signs one it is a reservation against the withdrawer: the
// largest pending total counts as already withdrawn until the chain reports it
// (ApplyWithdrawn) or it expires (ExpireWithdrawals). Withdrawal totals are cumulative,
// so at most one pending withdrawal per participant can execute, and the largest bounds
// what leaves the channel.

// ValidateWithdrawal checks w against the State: open, no settlement signed, this channel,
// a participant, a total above what is already withdrawn and within uint128, not expired
// at now (live while now <= expiry, as the contract checks), and affordable on top of the
// withdrawer's payments and other reservations.
func (s *State) ValidateWithdrawal(w Withdrawal, now uint64) error {
	if err := s.usable(); err != nil {
		return err
	}
	if w.Channel != s.params.ID {
		return fmt.Errorf("withdrawal for channel %s, want %s: %w", w.Channel, s.params.ID, ErrWrongChannel)
	}
	p, err := s.PartyOf(w.Participant)
	if err != nil {
		return err
	}
	if err := checkAmount("withdrawal total", w.TotalWithdrawn); err != nil {
		return fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	side := &s.sides[p]
	if w.TotalWithdrawn.Cmp(side.Withdrawn) <= 0 {
		return fmt.Errorf("channel %s: withdrawal total %s, already withdrawn %s: %w",
			s.params.ID, w.TotalWithdrawn, side.Withdrawn, ErrWithdrawalNotAbove)
	}
	if now > w.Expiry {
		return fmt.Errorf("channel %s: withdrawal expiry %d before now %d: %w", s.params.ID, w.Expiry, now, ErrWithdrawalExpired)
	}
	floor := s.withdrawalFloor(p)
	if w.TotalWithdrawn.Cmp(floor) > 0 {
		floor = w.TotalWithdrawn
	}
	have := new(big.Int).Add(side.Deposit, s.sides[p.Other()].Sent.Transferred)
	need := new(big.Int).Add(floor, side.Sent.Transferred)
	if side.Sent.Locked != nil {
		need.Add(need, side.Sent.Locked) // locked amounts may still go to the partner
	}
	if have.Cmp(need) < 0 {
		return fmt.Errorf("channel %s: withdrawal total %s overdraws party %s: %w", s.params.ID, w.TotalWithdrawn, p, ErrOverdraft)
	}
	return nil
}

// SignWithdrawal validates w and signs it with signer, which must be a participant. It
// does not change the State: persist, then ReserveWithdrawal before sending the signature.
func (s *State) SignWithdrawal(w Withdrawal, now uint64, signer Signer) (Signature, error) {
	if err := s.ValidateWithdrawal(w, now); err != nil {
		return Signature{}, err
	}
	if err := s.checkSigner(signer); err != nil {
		return Signature{}, err
	}
	digest, err := s.hasher.WithdrawalDigest(w)
	if err != nil {
		return Signature{}, fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	sig, err := signer.SignDigest(digest)
	if err != nil {
		return Signature{}, fmt.Errorf("channel %s: sign withdrawal: %v: %w", s.params.ID, err, ErrInternal)
	}
	return sig, nil
}

// VerifyWithdrawal checks that sig is party p's signature over w.
func (s *State) VerifyWithdrawal(w Withdrawal, p Party, sig Signature) error {
	if err := checkParty(p); err != nil {
		return err
	}
	digest, err := s.hasher.WithdrawalDigest(w)
	if err != nil {
		return fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	return s.checkSignedBy(digest, sig, p, "withdrawal")
}

// ReserveWithdrawal validates w and records it as pending. Reserving the same withdrawal
// twice is a no-op.
func (s *State) ReserveWithdrawal(w Withdrawal, now uint64) error {
	if err := s.ValidateWithdrawal(w, now); err != nil {
		return err
	}
	for i := range s.pending {
		if sameWithdrawal(&s.pending[i], &w) {
			return nil
		}
	}
	s.pending = append(s.pending, copyWithdrawal(w))
	return nil
}

// ExpireWithdrawals drops reservations whose expiry is before now and returns how many.
// Pass the chain's time, or local time minus a safety margin: a reservation dropped while
// the chain can still execute it lets the withdrawer overdraw.
func (s *State) ExpireWithdrawals(now uint64) int {
	return s.dropPending(func(w *Withdrawal) bool { return now > w.Expiry })
}

// Pending returns deep copies of the signed, unexecuted withdrawals.
func (s *State) Pending() []Withdrawal {
	out := make([]Withdrawal, len(s.pending))
	for i, w := range s.pending {
		out[i] = copyWithdrawal(w)
	}
	return out
}

func (s *State) dropPending(drop func(*Withdrawal) bool) int {
	before := len(s.pending)
	s.pending = slices.DeleteFunc(s.pending, func(w Withdrawal) bool { return drop(&w) })
	if len(s.pending) == 0 {
		s.pending = nil
	}
	return before - len(s.pending)
}

func sameWithdrawal(a, b *Withdrawal) bool {
	return a.Channel == b.Channel && a.Participant == b.Participant && a.Expiry == b.Expiry &&
		a.TotalWithdrawn.Cmp(b.TotalWithdrawn) == 0
}

func (s *State) checkSigner(signer Signer) error {
	if signer == nil {
		return fmt.Errorf("channel %s: no signer: %w", s.params.ID, ErrWrongSigner)
	}
	if _, err := s.PartyOf(signer.Address()); err != nil {
		return fmt.Errorf("signer: %v: %w", err, ErrWrongSigner)
	}
	return nil
}

func (s *State) checkSignedBy(digest common.Hash, sig Signature, p Party, what string) error {
	signer, err := s.hasher.Recover(digest, sig)
	if err != nil {
		return fmt.Errorf("channel %s: %s: %w", s.params.ID, what, err)
	}
	if signer != s.params.Participants[p] {
		return fmt.Errorf("channel %s: %s signed by %s, want party %s %s: %w",
			s.params.ID, what, signer, p, s.params.Participants[p], ErrWrongSigner)
	}
	return nil
}
