package channel

import (
	"fmt"
	"math/big"
)

// ComputeSettlement is the contract's settle() formula (DESIGN §4): balA = depositA -
// withdrawnA - transferredA + transferredB clamped into [0, total], total = deposits -
// withdrawals, balB = total - balA. transferredX is what X paid its partner according to
// the best proof X signed. Nil inputs count as zero.
func ComputeSettlement(depositA, depositB, withdrawnA, withdrawnB, transferredA, transferredB *big.Int) (balA, balB *big.Int) {
	z := func(x *big.Int) *big.Int {
		if x == nil {
			return new(big.Int)
		}
		return x
	}
	total := new(big.Int).Add(z(depositA), z(depositB))
	total.Sub(total, z(withdrawnA))
	total.Sub(total, z(withdrawnB))
	if total.Sign() < 0 {
		// Unreachable on a real contract (withdrawals never exceed deposits); clamp so the
		// result stays well-formed for any input.
		total.SetInt64(0)
	}
	balA = new(big.Int).Sub(z(depositA), z(withdrawnA))
	balA.Sub(balA, z(transferredA))
	balA.Add(balA, z(transferredB))
	switch {
	case balA.Sign() < 0:
		balA.SetInt64(0)
	case balA.Cmp(total) > 0:
		balA.Set(total)
	}
	return balA, total.Sub(total, balA)
}

// FinalSettlement is what settle() would pay if both latest proofs held by this State
// were on chain.
func (s *State) FinalSettlement() Settlement {
	a, b := &s.sides[PartyA], &s.sides[PartyB]
	balA, balB := ComputeSettlement(a.Deposit, b.Deposit, a.Withdrawn, b.Withdrawn, a.Sent.Transferred, b.Sent.Transferred)
	return Settlement{Channel: s.params.ID, BalanceA: balA, BalanceB: balB}
}

// ProposeSettlement returns the cooperative settlement matching the current off-chain
// balances. A settlement may be proposed again after one was signed (e.g. when a later
// deposit made the first one unexecutable).
func (s *State) ProposeSettlement() (Settlement, error) {
	if s.status != StatusOpen {
		return Settlement{}, fmt.Errorf("channel %s is %s: %w", s.params.ID, s.status, ErrChannelNotOpen)
	}
	if err := s.noPendingLocks(); err != nil {
		return Settlement{}, err
	}
	st := Settlement{Channel: s.params.ID, BalanceA: s.Balance(PartyA), BalanceB: s.Balance(PartyB)}
	if st.BalanceA.Sign() < 0 || st.BalanceB.Sign() < 0 {
		return Settlement{}, fmt.Errorf("channel %s: negative balance A %s B %s: %w", s.params.ID, st.BalanceA, st.BalanceB, ErrOverdraft)
	}
	return st, nil
}

// ValidateSettlement checks that st is a cooperative close of this open channel at
// exactly the current off-chain balances (which also makes their sum the contract total).
func (s *State) ValidateSettlement(st Settlement) error {
	if s.status != StatusOpen {
		return fmt.Errorf("channel %s is %s: %w", s.params.ID, s.status, ErrChannelNotOpen)
	}
	if st.Channel != s.params.ID {
		return fmt.Errorf("settlement for channel %s, want %s: %w", st.Channel, s.params.ID, ErrWrongChannel)
	}
	if err := s.noPendingLocks(); err != nil {
		return err
	}
	if err := checkAmount("settlement balance A", st.BalanceA); err != nil {
		return fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	if err := checkAmount("settlement balance B", st.BalanceB); err != nil {
		return fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	balA, balB := s.Balance(PartyA), s.Balance(PartyB)
	if st.BalanceA.Cmp(balA) != 0 || st.BalanceB.Cmp(balB) != 0 {
		return fmt.Errorf("channel %s: settlement A %s B %s, balances A %s B %s: %w",
			s.params.ID, st.BalanceA, st.BalanceB, balA, balB, ErrBalanceMismatch)
	}
	return nil
}

// SignSettlement validates st and signs it with signer, a participant. It does not change
// the State: persist, then CommitSettlement before sending the signature.
func (s *State) SignSettlement(st Settlement, signer Signer) (Signature, error) {
	if err := s.ValidateSettlement(st); err != nil {
		return Signature{}, err
	}
	if err := s.checkSigner(signer); err != nil {
		return Signature{}, err
	}
	digest, err := s.hasher.SettlementDigest(st)
	if err != nil {
		return Signature{}, fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	sig, err := signer.SignDigest(digest)
	if err != nil {
		return Signature{}, fmt.Errorf("channel %s: sign settlement: %v: %w", s.params.ID, err, ErrInternal)
	}
	return sig, nil
}

// VerifySettlement checks that sig is party p's signature over st.
func (s *State) VerifySettlement(st Settlement, p Party, sig Signature) error {
	if err := checkParty(p); err != nil {
		return err
	}
	digest, err := s.hasher.SettlementDigest(st)
	if err != nil {
		return fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	return s.checkSignedBy(digest, sig, p, "settlement")
}

// CommitSettlement records that this node signed st. From then on the State refuses new
// payments, withdrawals and deposits (repeats of latest proofs are still re-acked).
func (s *State) CommitSettlement(st Settlement) error {
	if err := s.ValidateSettlement(st); err != nil {
		return err
	}
	c := copySettlement(st)
	s.settlement = &c
	return nil
}

// SignedSettlement returns the settlement this node signed, if any.
func (s *State) SignedSettlement() (Settlement, bool) {
	if s.settlement == nil {
		return Settlement{}, false
	}
	return copySettlement(*s.settlement), true
}
