package channel

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestNewStateRejectsInvalidParams(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name   string
		change func(*Params)
	}{
		{"nil chain id", func(p *Params) { p.Domain.ChainID = nil }},
		{"zero chain id", func(p *Params) { p.Domain.ChainID = big.NewInt(0) }},
		{"participant A zero", func(p *Params) { p.Participants[PartyA] = common.Address{} }},
		{"participant B zero", func(p *Params) { p.Participants[PartyB] = common.Address{} }},
		{"same participant twice", func(p *Params) { p.Participants[PartyB] = p.Participants[PartyA] }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := f.params
			p.Domain.ChainID = new(big.Int).Set(p.Domain.ChainID)
			tc.change(&p)
			if _, err := NewState(p); !errors.Is(err, ErrInvalidParams) {
				t.Fatalf("NewState = %v, want ErrInvalidParams", err)
			}
		})
	}
}

func TestStateDoesNotAliasCallerParams(t *testing.T) {
	f := newFixture(t)
	p := f.params
	p.Domain.ChainID = big.NewInt(31337)
	s, err := NewState(p)
	if err != nil {
		t.Fatal(err)
	}
	p.Domain.ChainID.SetInt64(1)
	if s.Params().Domain.ChainID.Int64() != 31337 {
		t.Fatal("state shares the caller's chain id")
	}
	s.Params().Domain.ChainID.SetInt64(2)
	if s.Params().Domain.ChainID.Int64() != 31337 {
		t.Fatal("Params() exposes the state's chain id")
	}
}

func TestCloneIsIndependent(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 50)
	f.pay(t, s, PartyA, 10)
	reserve(t, s, f.params.Participants[PartyB], 20, 100)
	c := s.Clone()
	f.pay(t, c, PartyA, 5)
	reserve(t, c, f.params.Participants[PartyA], 30, 100)
	if err := c.ApplyDeposit(PartyB, big.NewInt(70)); err != nil {
		t.Fatal(err)
	}
	commitSettlement(t, c)
	if s.Nonce(PartyA) != 1 || s.Balance(PartyA).Int64() != 90 || len(s.Pending()) != 1 || s.Balance(PartyB).Int64() != 60 {
		t.Fatal("changing the clone changed the original")
	}
	if _, ok := s.SignedSettlement(); ok {
		t.Fatal("clone's settlement leaked into the original")
	}
	// Both keep working on their own hasher.
	f.pay(t, s, PartyA, 1)
}

func TestSnapshotRestoreRoundTrip(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 50)
	f.pay(t, s, PartyA, 10)
	f.pay(t, s, PartyB, 3)
	if err := s.ApplyWithdrawn(PartyB, big.NewInt(2)); err != nil {
		t.Fatal(err)
	}
	reserve(t, s, f.params.Participants[PartyA], 40, 100)
	commitSettlement(t, s)
	mustStatus(t, s, StatusClosing)
	r, err := Restore(s.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if d := stateDiff(s, r); d != "" {
		t.Fatalf("restored state differs in %s", d)
	}
	if r.Hasher().Separator() != s.Hasher().Separator() {
		t.Fatal("restored domain separator differs")
	}
}

func TestRestoreAcceptsZeroValueSides(t *testing.T) {
	f := newFixture(t)
	r, err := Restore(Snapshot{Params: f.params, Status: StatusOpen, Sides: [2]Side{
		{Deposit: big.NewInt(5), Withdrawn: big.NewInt(0)},
		{Deposit: big.NewInt(0), Withdrawn: big.NewInt(0)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	f.pay(t, r, PartyA, 5)
}

func TestRestoreRejectsCorruptSnapshots(t *testing.T) {
	f := newFixture(t)
	good := func() Snapshot {
		s := f.state(t, 100, 50)
		f.pay(t, s, PartyA, 10)
		reserve(t, s, f.params.Participants[PartyA], 20, 100)
		commitSettlement(t, s)
		return s.Snapshot()
	}
	cases := []struct {
		name   string
		change func(*Snapshot)
		want   error
	}{
		{"no chain id", func(sn *Snapshot) { sn.Params.Domain.ChainID = nil }, ErrInvalidParams},
		{"status none", func(sn *Snapshot) { sn.Status = StatusNone }, ErrInvalidParams},
		{"status out of range", func(sn *Snapshot) { sn.Status = 9 }, ErrInvalidParams},
		{"nil deposit", func(sn *Snapshot) { sn.Sides[PartyA].Deposit = nil }, ErrInvalidAmount},
		{"negative withdrawn", func(sn *Snapshot) { sn.Sides[PartyB].Withdrawn = big.NewInt(-1) }, ErrInvalidAmount},
		{"proof above uint128", func(sn *Snapshot) { sn.Sides[PartyA].Sent.Transferred = new(big.Int).Lsh(big.NewInt(1), 128) }, ErrAmountTooLarge},
		{"proof of another channel", func(sn *Snapshot) { sn.Sides[PartyA].Sent.Channel = ID{1} }, ErrWrongChannel},
		{"withdrawal of another channel", func(sn *Snapshot) { sn.Pending[0].Channel = ID{1} }, ErrWrongChannel},
		{"withdrawal of a stranger", func(sn *Snapshot) { sn.Pending[0].Participant = common.Address{1} }, ErrNotParticipant},
		{"withdrawal without total", func(sn *Snapshot) { sn.Pending[0].TotalWithdrawn = nil }, ErrInvalidAmount},
		{"settlement of another channel", func(sn *Snapshot) { sn.Settlement.Channel = ID{1} }, ErrWrongChannel},
		{"settlement without balance", func(sn *Snapshot) { sn.Settlement.BalanceB = nil }, ErrInvalidAmount},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sn := good()
			tc.change(&sn)
			if _, err := Restore(sn); !errors.Is(err, tc.want) {
				t.Fatalf("Restore = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestPartyOfMapsAddressesToEnds(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 0, 0)
	for _, p := range []Party{PartyA, PartyB} {
		if got, err := s.PartyOf(f.params.Participants[p]); err != nil || got != p {
			t.Errorf("PartyOf(%s) = %s, %v", f.params.Participants[p], got, err)
		}
	}
	if _, err := s.PartyOf(common.Address{1}); !errors.Is(err, ErrNotParticipant) {
		t.Errorf("PartyOf(stranger) = %v, want ErrNotParticipant", err)
	}
}
