package channel

import "fmt"

// Snapshot is a State as plain data, for the store to persist and restore. All fields
// are deep copies; changing them does not affect the State.
type Snapshot struct {
	Params     Params
	Status     Status
	Sides      [2]Side
	Pending    []Withdrawal // signed, unexecuted withdrawals (reservations)
	Settlement *Settlement  // the cooperative settlement this node signed, nil if none
}

// Snapshot returns the State as plain data.
func (s *State) Snapshot() Snapshot {
	sn := Snapshot{Params: copyParams(s.params), Status: s.status, Pending: s.Pending()}
	for i := range s.sides {
		sn.Sides[i] = copySide(s.sides[i])
	}
	if s.settlement != nil {
		st := copySettlement(*s.settlement)
		sn.Settlement = &st
	}
	return sn
}

// Restore rebuilds a State from a snapshot, checking the bounds and identities every rule
// relies on (signatures are not re-verified: the snapshot comes from our own store).
func Restore(sn Snapshot) (*State, error) {
	s, err := NewState(sn.Params)
	if err != nil {
		return nil, err
	}
	if sn.Status == StatusNone || sn.Status > StatusSettled {
		return nil, fmt.Errorf("restore channel %s: status %d: %w", sn.Params.ID, sn.Status, ErrInvalidParams)
	}
	s.status = sn.Status
	for _, p := range [...]Party{PartyA, PartyB} {
		in := sn.Sides[p]
		if err := checkAmount("deposit", in.Deposit); err != nil {
			return nil, fmt.Errorf("restore channel %s party %s: %w", sn.Params.ID, p, err)
		}
		if err := checkAmount("withdrawn", in.Withdrawn); err != nil {
			return nil, fmt.Errorf("restore channel %s party %s: %w", sn.Params.ID, p, err)
		}
		sent := in.Sent
		if sent.Transferred == nil && sent.Nonce == 0 {
			sent.Transferred = s.sides[p].Sent.Transferred
			sent.Channel = sn.Params.ID
		}
		if err := checkAmount("transferred", sent.Transferred); err != nil {
			return nil, fmt.Errorf("restore channel %s party %s: %w", sn.Params.ID, p, err)
		}
		if sent.Channel != sn.Params.ID {
			return nil, fmt.Errorf("restore channel %s party %s: proof for %s: %w", sn.Params.ID, p, sent.Channel, ErrWrongChannel)
		}
		if sent.Locked != nil {
			if err := checkAmount("locked", sent.Locked); err != nil {
				return nil, fmt.Errorf("restore channel %s party %s: %w", sn.Params.ID, p, err)
			}
		}
		if err := checkLockSet(in.Locks, sent.Locked, sent.LocksRoot); err != nil {
			return nil, fmt.Errorf("restore channel %s party %s: %w", sn.Params.ID, p, err)
		}
		s.sides[p] = copySide(Side{Deposit: in.Deposit, Withdrawn: in.Withdrawn, Sent: sent, Locks: in.Locks})
	}
	for _, w := range sn.Pending {
		if w.Channel != sn.Params.ID {
			return nil, fmt.Errorf("restore channel %s: withdrawal for %s: %w", sn.Params.ID, w.Channel, ErrWrongChannel)
		}
		if _, err := s.PartyOf(w.Participant); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		if err := checkAmount("pending withdrawal total", w.TotalWithdrawn); err != nil {
			return nil, fmt.Errorf("restore channel %s: %w", sn.Params.ID, err)
		}
		s.pending = append(s.pending, copyWithdrawal(w))
	}
	if sn.Settlement != nil {
		st := *sn.Settlement
		if st.Channel != sn.Params.ID {
			return nil, fmt.Errorf("restore channel %s: settlement for %s: %w", sn.Params.ID, st.Channel, ErrWrongChannel)
		}
		if err := checkAmount("settlement balance A", st.BalanceA); err != nil {
			return nil, fmt.Errorf("restore channel %s: %w", sn.Params.ID, err)
		}
		if err := checkAmount("settlement balance B", st.BalanceB); err != nil {
			return nil, fmt.Errorf("restore channel %s: %w", sn.Params.ID, err)
		}
		c := copySettlement(st)
		s.settlement = &c
	}
	return s, nil
}
