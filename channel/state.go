package channel

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// Side is one participant's direction of a channel: what it put in, what it took out on
// chain, and the latest balance proof it signed (what it has paid its partner).
type Side struct {
	Deposit   *big.Int
	Withdrawn *big.Int
	// Sent is the latest proof signed by this participant. Nonce 0 means none yet; its
	// Transferred is then zero. Its Locked and LocksRoot commit to Locks (nil and zero
	// when there is none).
	Sent SignedProof
	// Locks are the hashlocked amounts this participant has promised and not yet unlocked
	// or expired, in creation order (see locks.go).
	Locks []Lock
}

// State is the off-chain view of one channel, shared by both ends: each node keeps one
// and feeds it chain events and proofs. Rules validate before they change anything, so a
// method that returns an error has left the State as it was.
//
// A State has one owner at a time; no method is safe for concurrent use.
type State struct {
	params     Params
	hasher     *Hasher
	status     Status
	sides      [2]Side
	pending    []Withdrawal // signed but not yet executed: reservations against the withdrawer
	settlement *Settlement  // the cooperative settlement this node signed, if any
	// refused marks pending locks their receiver refused, per payer (lock_refusal.go).
	refused [2]map[[32]byte]struct{}
	// lockGen counts the changes of each direction's pending set; lockCache holds what
	// was hashed for it (locks_root.go). Neither is copied by Clone or Snapshot.
	lockGen   [2]uint64
	lockCache [2]lockCache

	// scratch keeps the balance checks on the payment path allocation-free.
	scratch [2]big.Int
}

// NewState starts an Open channel with zero deposits; feed it ApplyDeposit for the opening
// deposit and later top-ups.
func NewState(p Params) (*State, error) {
	if err := validateParams(p); err != nil {
		return nil, err
	}
	h, err := NewHasher(p.Domain)
	if err != nil {
		return nil, fmt.Errorf("channel %s: %w", p.ID, err)
	}
	s := &State{params: copyParams(p), hasher: h, status: StatusOpen}
	for i := range s.sides {
		s.sides[i] = Side{
			Deposit:   new(big.Int),
			Withdrawn: new(big.Int),
			Sent:      SignedProof{BalanceProof: BalanceProof{Channel: p.ID, Transferred: new(big.Int)}},
		}
	}
	return s, nil
}

func validateParams(p Params) error {
	if p.Domain.ChainID == nil || p.Domain.ChainID.Sign() <= 0 || p.Domain.ChainID.BitLen() > 256 {
		return fmt.Errorf("channel %s: chain id %v: %w", p.ID, p.Domain.ChainID, ErrInvalidParams)
	}
	a, b := p.Participants[PartyA], p.Participants[PartyB]
	if a == (common.Address{}) || b == (common.Address{}) || a == b {
		return fmt.Errorf("channel %s: participants %s, %s: %w", p.ID, a, b, ErrInvalidParams)
	}
	return nil
}

func copyParams(p Params) Params {
	p.Domain.ChainID = new(big.Int).Set(p.Domain.ChainID)
	return p
}

func copyInt(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(x)
}

func copySide(s Side) Side {
	s.Deposit = copyInt(s.Deposit)
	s.Withdrawn = copyInt(s.Withdrawn)
	s.Sent.Transferred = copyInt(s.Sent.Transferred)
	s.Sent.Locked = copyLocked(s.Sent.Locked)
	s.Locks = copyLocks(s.Locks)
	return s
}

func copyWithdrawal(w Withdrawal) Withdrawal {
	w.TotalWithdrawn = copyInt(w.TotalWithdrawn)
	return w
}

func copySettlement(st Settlement) Settlement {
	st.BalanceA = copyInt(st.BalanceA)
	st.BalanceB = copyInt(st.BalanceB)
	return st
}

// Clone returns an independent deep copy, e.g. a snapshot to read outside the owner.
func (s *State) Clone() *State {
	c := &State{
		params:  copyParams(s.params),
		hasher:  &Hasher{sep: s.hasher.sep, k: newKeccak()},
		status:  s.status,
		refused: copyRefusals(s.refused),
	}
	for i := range s.sides {
		c.sides[i] = copySide(s.sides[i])
	}
	if len(s.pending) > 0 {
		c.pending = make([]Withdrawal, len(s.pending))
		for i, w := range s.pending {
			c.pending[i] = copyWithdrawal(w)
		}
	}
	if s.settlement != nil {
		st := copySettlement(*s.settlement)
		c.settlement = &st
	}
	return c
}

// Params returns a copy of the channel's parameters.
func (s *State) Params() Params { return copyParams(s.params) }

// ID is the channel id.
func (s *State) ID() ID { return s.params.ID }

// Hasher is the channel's digest hasher (domain separator cached). It shares the
// State's owner: do not use it concurrently with the State.
func (s *State) Hasher() *Hasher { return s.hasher }

// Status is the on-chain status last applied with ApplyStatus.
func (s *State) Status() Status { return s.status }

// Side returns a deep copy of participant p's direction.
func (s *State) Side(p Party) Side { return copySide(s.sides[p&1]) }

// Nonce is the nonce of the latest proof signed by p (0 if none).
func (s *State) Nonce(p Party) uint64 { return s.sides[p&1].Sent.Nonce }

// Latest returns a deep copy of the latest proof signed by p; ok is false if there is none.
func (s *State) Latest(p Party) (proof SignedProof, ok bool) {
	sent := s.sides[p&1].Sent
	sent.Transferred = copyInt(sent.Transferred)
	sent.Locked = copyLocked(sent.Locked)
	return sent, sent.Nonce > 0
}

// PartyOf returns which end addr is.
func (s *State) PartyOf(addr common.Address) (Party, error) {
	switch addr {
	case s.params.Participants[PartyA]:
		return PartyA, nil
	case s.params.Participants[PartyB]:
		return PartyB, nil
	}
	return 0, fmt.Errorf("channel %s: address %s: %w", s.params.ID, addr, ErrNotParticipant)
}

// Balance is what p owns off-chain right now: deposit - withdrawn - sent + received.
// It can only be negative if the chain executed something this State never agreed to.
// Amounts p has locked are still in it (undecided); Spendable leaves them out.
func (s *State) Balance(p Party) *big.Int {
	me, other := &s.sides[p&1], &s.sides[(p&1)^1]
	b := new(big.Int).Sub(me.Deposit, me.Withdrawn)
	b.Sub(b, me.Sent.Transferred)
	return b.Add(b, other.Sent.Transferred)
}

// Reserved is what p's pending (signed, unexecuted, not yet expired) withdrawals can
// still take out: the largest pending total minus what is already withdrawn.
func (s *State) Reserved(p Party) *big.Int {
	floor := s.withdrawalFloor(p)
	return new(big.Int).Sub(floor, s.sides[p&1].Withdrawn)
}

// Spendable is Balance minus Reserved minus Locked: what p may still pay or lock,
// deposit - withdrawn - transferred - locked + received less pending withdrawals.
func (s *State) Spendable(p Party) *big.Int {
	b := s.Balance(p)
	b.Sub(b, s.Reserved(p))
	if l := s.sides[p&1].Sent.Locked; l != nil {
		b.Sub(b, l)
	}
	return b
}

// Total is the money the contract holds for the channel: deposits minus withdrawals.
func (s *State) Total() *big.Int {
	t := new(big.Int).Add(s.sides[0].Deposit, s.sides[1].Deposit)
	t.Sub(t, s.sides[0].Withdrawn)
	return t.Sub(t, s.sides[1].Withdrawn)
}

// withdrawalFloor is max(withdrawn_p, largest pending total of p): the withdrawn amount
// the chain may reach without this State agreeing to anything more. Not a copy.
func (s *State) withdrawalFloor(p Party) *big.Int {
	floor := s.sides[p&1].Withdrawn
	addr := s.params.Participants[p&1]
	for i := range s.pending {
		if s.pending[i].Participant == addr && s.pending[i].TotalWithdrawn.Cmp(floor) > 0 {
			floor = s.pending[i].TotalWithdrawn
		}
	}
	return floor
}

// covers reports whether p can have paid sent in total, have locked more, and still
// afford every pending withdrawal: deposit + received >= max(withdrawn, pending) + sent +
// locked (locked may be nil for none). Amounts locked towards p are not received: they
// count only once unlocked. It uses scratch space, so it allocates nothing once warmed up.
func (s *State) covers(p Party, sent, locked *big.Int) bool {
	me, other := &s.sides[p&1], &s.sides[(p&1)^1]
	have := s.scratch[0].Add(me.Deposit, other.Sent.Transferred)
	need := s.scratch[1].Add(s.withdrawalFloor(p), sent)
	if locked != nil {
		need.Add(need, locked)
	}
	return have.Cmp(need) >= 0
}

// usable reports why no new payment, withdrawal or settlement may be agreed, or nil.
func (s *State) usable() error {
	if s.status != StatusOpen {
		return fmt.Errorf("channel %s is %s: %w", s.params.ID, s.status, ErrChannelNotOpen)
	}
	if s.settlement != nil {
		return fmt.Errorf("channel %s: %w", s.params.ID, ErrSettlementSigned)
	}
	return nil
}

func checkParty(p Party) error {
	if p != PartyA && p != PartyB {
		return fmt.Errorf("party %d: %w", p, ErrNotParticipant)
	}
	return nil
}

// checkAmount enforces the contract's uint128 storage bound on any amount a rule accepts.
func checkAmount(what string, x *big.Int) error {
	if x == nil || x.Sign() < 0 {
		return fmt.Errorf("%s %v: %w", what, x, ErrInvalidAmount)
	}
	if x.Cmp(maxAmount) > 0 {
		return fmt.Errorf("%s %v: %w", what, x, ErrAmountTooLarge)
	}
	return nil
}
