package channel

import (
	"fmt"
	"math/big"
)

// The chain is the source of truth for status, deposits and withdrawals: these methods
// record what the contract's events say, in absolute totals (as the events carry them),
// so replaying an event after a restart is harmless.

// ApplyStatus records the contract's status. Status only moves forward.
func (s *State) ApplyStatus(st Status) error {
	if st > StatusSettled {
		return fmt.Errorf("channel %s: status %d: %w", s.params.ID, st, ErrInvalidParams)
	}
	if st < s.status {
		return fmt.Errorf("channel %s: status %s after %s: %w", s.params.ID, st, s.status, ErrStatusRegression)
	}
	s.status = st
	return nil
}

// ApplyDeposit records p's total deposit from a ChannelOpened or Deposited event. It is
// recorded even after a settlement was signed: the chain does not ask.
func (s *State) ApplyDeposit(p Party, totalDeposit *big.Int) error {
	side, err := s.chainSide(p, "total deposit", totalDeposit)
	if err != nil {
		return err
	}
	if totalDeposit.Cmp(side.Deposit) < 0 {
		return fmt.Errorf("channel %s: party %s deposit %s after %s: %w", s.params.ID, p, totalDeposit, side.Deposit, ErrChainRegression)
	}
	side.Deposit.Set(totalDeposit)
	return nil
}

// RollbackDeposit lowers p's total deposit to what the chain holds after a
// reorganisation removed a deposit the node had counted (the only way a deposit goes
// down). Payments are then checked against the lower balance; proofs already made
// stand, and settlement clamps what they claim to the channel's total.
func (s *State) RollbackDeposit(p Party, totalDeposit *big.Int) error {
	side, err := s.chainSide(p, "total deposit", totalDeposit)
	if err != nil {
		return err
	}
	if totalDeposit.Cmp(side.Deposit) > 0 {
		return fmt.Errorf("channel %s: party %s rollback of deposit %s to %s: %w", s.params.ID, p, side.Deposit, totalDeposit, ErrInvalidAmount)
	}
	side.Deposit.Set(totalDeposit)
	return nil
}

// ApplyWithdrawn records p's total withdrawn from a Withdrawn event and releases the
// reservations it used up (any pending total at or below it can no longer execute).
func (s *State) ApplyWithdrawn(p Party, totalWithdrawn *big.Int) error {
	side, err := s.chainSide(p, "total withdrawn", totalWithdrawn)
	if err != nil {
		return err
	}
	if totalWithdrawn.Cmp(side.Withdrawn) < 0 {
		return fmt.Errorf("channel %s: party %s withdrawn %s after %s: %w", s.params.ID, p, totalWithdrawn, side.Withdrawn, ErrChainRegression)
	}
	side.Withdrawn.Set(totalWithdrawn)
	addr := s.params.Participants[p]
	s.dropPending(func(w *Withdrawal) bool {
		return w.Participant == addr && w.TotalWithdrawn.Cmp(totalWithdrawn) <= 0
	})
	return nil
}

// ValidateDeposit checks that this node may top up p by amount: the channel is open, no
// settlement is signed, and the deposit stays within the contract's uint128 bound.
func (s *State) ValidateDeposit(p Party, amount *big.Int) error {
	if err := checkParty(p); err != nil {
		return err
	}
	if err := s.usable(); err != nil {
		return err
	}
	if amount == nil || amount.Sign() <= 0 {
		return fmt.Errorf("channel %s: deposit amount %v: %w", s.params.ID, amount, ErrInvalidAmount)
	}
	total := new(big.Int).Add(s.sides[p].Deposit, amount)
	if total.Cmp(maxAmount) > 0 {
		return fmt.Errorf("channel %s: party %s total deposit %s: %w", s.params.ID, p, total, ErrAmountTooLarge)
	}
	return nil
}

func (s *State) chainSide(p Party, what string, v *big.Int) (*Side, error) {
	if err := checkParty(p); err != nil {
		return nil, err
	}
	if err := checkAmount(what, v); err != nil {
		return nil, fmt.Errorf("channel %s: party %s: %w", s.params.ID, p, err)
	}
	return &s.sides[p], nil
}
