package channel

import (
	"errors"
	"math/big"
	"testing"
)

func TestApplyStatusOnlyMovesForward(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name     string
		from, to Status
		want     error
	}{
		{"open to closing", StatusOpen, StatusClosing, nil},
		{"closing to settled", StatusClosing, StatusSettled, nil},
		{"open to settled (cooperative)", StatusOpen, StatusSettled, nil},
		{"same status replayed", StatusClosing, StatusClosing, nil},
		{"closing back to open", StatusClosing, StatusOpen, ErrStatusRegression},
		{"settled back to closing", StatusSettled, StatusClosing, ErrStatusRegression},
		{"to none", StatusOpen, StatusNone, ErrStatusRegression},
		{"unknown status", StatusOpen, Status(4), ErrInvalidParams},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := f.state(t, 1, 1)
			mustStatus(t, s, tc.from)
			err := s.ApplyStatus(tc.to)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ApplyStatus(%s) = %v, want %v", tc.to, err, tc.want)
			}
			want := tc.to
			if err != nil {
				want = tc.from
			}
			if s.Status() != want {
				t.Fatalf("status %s, want %s", s.Status(), want)
			}
		})
	}
}

func TestChainTotalsNeverDecrease(t *testing.T) {
	f := newFixture(t)
	n := big.NewInt
	cases := []struct {
		name  string
		apply func(*State) error
		want  error
	}{
		{"deposit rises", func(s *State) error { return s.ApplyDeposit(PartyA, n(150)) }, nil},
		{"deposit event replayed", func(s *State) error { return s.ApplyDeposit(PartyA, n(100)) }, nil},
		{"deposit falls", func(s *State) error { return s.ApplyDeposit(PartyA, n(99)) }, ErrChainRegression},
		{"deposit nil", func(s *State) error { return s.ApplyDeposit(PartyA, nil) }, ErrInvalidAmount},
		{"deposit above uint128", func(s *State) error { return s.ApplyDeposit(PartyA, new(big.Int).Lsh(n(1), 128)) }, ErrAmountTooLarge},
		{"deposit for unknown party", func(s *State) error { return s.ApplyDeposit(Party(2), n(1)) }, ErrNotParticipant},
		{"withdrawn rises", func(s *State) error { return s.ApplyWithdrawn(PartyB, n(10)) }, nil},
		{"withdrawn falls", func(s *State) error {
			if err := s.ApplyWithdrawn(PartyB, n(10)); err != nil {
				return err
			}
			return s.ApplyWithdrawn(PartyB, n(9))
		}, ErrChainRegression},
		{"withdrawn negative", func(s *State) error { return s.ApplyWithdrawn(PartyB, n(-1)) }, ErrInvalidAmount},
		{"withdrawn for unknown party", func(s *State) error { return s.ApplyWithdrawn(Party(3), n(1)) }, ErrNotParticipant},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := f.state(t, 100, 50)
			if err := tc.apply(s); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDepositsAreRecordedEvenAfterSettlementSigned(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 50)
	commitSettlement(t, s)
	if err := s.ApplyDeposit(PartyB, big.NewInt(80)); err != nil {
		t.Fatalf("chain deposit after settlement: %v", err)
	}
	if got := s.Balance(PartyB); got.Cmp(big.NewInt(80)) != 0 {
		t.Fatalf("balance B = %s, want 80", got)
	}
}

func TestDepositRequiresAnOpenUnsettledChannelAndUint128Total(t *testing.T) {
	f := newFixture(t)
	n := big.NewInt
	cases := []struct {
		name   string
		setup  func(*testing.T, *State)
		party  Party
		amount *big.Int
		want   error
	}{
		{"top up", nil, PartyB, n(10), nil},
		{"zero", nil, PartyB, n(0), ErrInvalidAmount},
		{"nil", nil, PartyB, nil, ErrInvalidAmount},
		{"total above uint128", nil, PartyA, MaxAmount(), ErrAmountTooLarge},
		{"unknown party", nil, Party(5), n(1), ErrNotParticipant},
		{"closing", func(t *testing.T, s *State) { mustStatus(t, s, StatusClosing) }, PartyA, n(1), ErrChannelNotOpen},
		{"settlement signed", func(t *testing.T, s *State) { commitSettlement(t, s) }, PartyA, n(1), ErrSettlementSigned},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := f.state(t, 100, 50)
			if tc.setup != nil {
				tc.setup(t, s)
			}
			if err := s.ValidateDeposit(tc.party, tc.amount); !errors.Is(err, tc.want) {
				t.Fatalf("ValidateDeposit = %v, want %v", err, tc.want)
			}
		})
	}
}
