package channel

import (
	"errors"
	"math/big"
	"testing"
)

func TestComputeSettlementMatchesContractFormula(t *testing.T) {
	n := big.NewInt
	cases := []struct {
		name                       string
		depA, depB, wA, wB, tA, tB *big.Int
		wantA, wantB               int64
	}{
		{"no payments", n(100), n(50), n(0), n(0), n(0), n(0), 100, 50},
		{"payments both ways", n(100), n(50), n(0), n(0), n(30), n(10), 80, 70},
		{"withdrawals", n(100), n(50), n(20), n(5), n(30), n(10), 60, 65},
		{"A overpaid: clamped to zero", n(10), n(50), n(0), n(0), n(30), n(0), 0, 60},
		{"B overpaid: A clamped to total", n(10), n(50), n(0), n(0), n(0), n(90), 60, 0},
		{"nil inputs count as zero", n(7), nil, nil, nil, nil, nil, 7, 0},
		{"withdrawals beyond deposits: total clamped to zero", n(1), n(1), n(5), n(0), n(0), n(0), 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := ComputeSettlement(tc.depA, tc.depB, tc.wA, tc.wB, tc.tA, tc.tB)
			if a.Cmp(n(tc.wantA)) != 0 || b.Cmp(n(tc.wantB)) != 0 {
				t.Fatalf("settlement = %s/%s, want %d/%d", a, b, tc.wantA, tc.wantB)
			}
		})
	}
}

func TestComputeSettlementDoesNotModifyInputs(t *testing.T) {
	depA, depB, tA := big.NewInt(10), big.NewInt(5), big.NewInt(30)
	ComputeSettlement(depA, depB, nil, nil, tA, nil)
	if depA.Int64() != 10 || depB.Int64() != 5 || tA.Int64() != 30 {
		t.Fatalf("inputs changed: %s %s %s", depA, depB, tA)
	}
}

func TestCooperativeSettlementFreezesTheChannel(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 50)
	f.pay(t, s, PartyA, 30)
	f.pay(t, s, PartyB, 10)
	st, err := s.ProposeSettlement()
	if err != nil {
		t.Fatal(err)
	}
	if st.BalanceA.Int64() != 80 || st.BalanceB.Int64() != 70 || st.Channel != f.params.ID {
		t.Fatalf("proposal %s/%s, want 80/70", st.BalanceA, st.BalanceB)
	}
	final := s.FinalSettlement()
	if final.BalanceA.Cmp(st.BalanceA) != 0 || final.BalanceB.Cmp(st.BalanceB) != 0 {
		t.Fatalf("unilateral settlement %s/%s differs from cooperative %s/%s", final.BalanceA, final.BalanceB, st.BalanceA, st.BalanceB)
	}
	var sigs [2]Signature
	for _, p := range []Party{PartyA, PartyB} {
		if sigs[p], err = s.SignSettlement(st, f.signers[p]); err != nil {
			t.Fatalf("party %s signs: %v", p, err)
		}
		if err := s.VerifySettlement(st, p, sigs[p]); err != nil {
			t.Fatalf("verify party %s: %v", p, err)
		}
	}
	if err := s.VerifySettlement(st, PartyA, sigs[PartyB]); !errors.Is(err, ErrWrongSigner) {
		t.Fatalf("B's signature as A's: %v, want ErrWrongSigner", err)
	}
	if _, ok := s.SignedSettlement(); ok {
		t.Fatal("signing alone recorded a settlement")
	}
	if err := s.CommitSettlement(st); err != nil {
		t.Fatal(err)
	}
	got, ok := s.SignedSettlement()
	if !ok || got.BalanceA.Cmp(st.BalanceA) != 0 {
		t.Fatal("committed settlement not reported")
	}

	// Once signed, nothing new may be agreed.
	if _, err := s.PreparePayment(PartyA, big.NewInt(1), f.signers[PartyA]); !errors.Is(err, ErrSettlementSigned) {
		t.Errorf("payment after settlement: %v", err)
	}
	w := Withdrawal{Channel: f.params.ID, Participant: f.params.Participants[PartyA], TotalWithdrawn: big.NewInt(1), Expiry: 10}
	if err := s.ValidateWithdrawal(w, 0); !errors.Is(err, ErrSettlementSigned) {
		t.Errorf("withdrawal after settlement: %v", err)
	}
	if err := s.ValidateDeposit(PartyA, big.NewInt(1)); !errors.Is(err, ErrSettlementSigned) {
		t.Errorf("deposit after settlement: %v", err)
	}
	// Re-proposing the same balances stays possible (e.g. to re-send after a lost message).
	if err := s.ValidateSettlement(st); err != nil {
		t.Errorf("re-validate the signed settlement: %v", err)
	}
}

func TestSettlementMustMatchCurrentBalances(t *testing.T) {
	f := newFixture(t)
	n := big.NewInt
	cases := []struct {
		name  string
		setup func(*testing.T, *State)
		st    Settlement
		want  error
	}{
		{"balances of an older state", nil, Settlement{Channel: f.params.ID, BalanceA: n(100), BalanceB: n(50)}, ErrBalanceMismatch},
		{"right sum, wrong split", nil, Settlement{Channel: f.params.ID, BalanceA: n(91), BalanceB: n(59)}, ErrBalanceMismatch},
		{"wrong sum", nil, Settlement{Channel: f.params.ID, BalanceA: n(90), BalanceB: n(61)}, ErrBalanceMismatch},
		{"another channel", nil, Settlement{Channel: ID{7}, BalanceA: n(90), BalanceB: n(60)}, ErrWrongChannel},
		{"nil balance", nil, Settlement{Channel: f.params.ID, BalanceA: n(90)}, ErrInvalidAmount},
		{"negative balance", nil, Settlement{Channel: f.params.ID, BalanceA: n(-1), BalanceB: n(151)}, ErrInvalidAmount},
		{"balance above uint128", nil, Settlement{Channel: f.params.ID, BalanceA: n(90), BalanceB: new(big.Int).Lsh(n(1), 128)}, ErrAmountTooLarge},
		{"channel closing", func(t *testing.T, s *State) { mustStatus(t, s, StatusClosing) },
			Settlement{Channel: f.params.ID, BalanceA: n(90), BalanceB: n(60)}, ErrChannelNotOpen},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := f.state(t, 100, 50)
			f.pay(t, s, PartyA, 10)
			if tc.setup != nil {
				tc.setup(t, s)
			}
			before := s.Clone()
			if _, err := s.SignSettlement(tc.st, f.signers[PartyA]); !errors.Is(err, tc.want) {
				t.Fatalf("SignSettlement = %v, want %v", err, tc.want)
			}
			if err := s.CommitSettlement(tc.st); !errors.Is(err, tc.want) {
				t.Fatalf("CommitSettlement = %v, want %v", err, tc.want)
			}
			if d := stateDiff(before, s); d != "" {
				t.Fatalf("rejected settlement changed %s", d)
			}
		})
	}
	s := f.state(t, 100, 50)
	st, _ := s.ProposeSettlement()
	if _, err := s.SignSettlement(st, testSigner(t, 9)); !errors.Is(err, ErrWrongSigner) {
		t.Fatalf("stranger signs settlement: %v, want ErrWrongSigner", err)
	}
}

func TestProposeSettlementRequiresOpenChannel(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 1, 1)
	mustStatus(t, s, StatusSettled)
	if _, err := s.ProposeSettlement(); !errors.Is(err, ErrChannelNotOpen) {
		t.Fatalf("ProposeSettlement on a settled channel: %v", err)
	}
}

func TestSettlementIsReplacedAfterALateChainDeposit(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 50)
	commitSettlement(t, s)
	// Someone tops up B on chain: the signed settlement no longer sums to the total, so
	// the contract would refuse it. Both sides must be able to agree on a new one.
	if err := s.ApplyDeposit(PartyB, big.NewInt(70)); err != nil {
		t.Fatal(err)
	}
	old, _ := s.SignedSettlement()
	if err := s.ValidateSettlement(old); !errors.Is(err, ErrBalanceMismatch) {
		t.Fatalf("stale settlement: %v, want ErrBalanceMismatch", err)
	}
	st, err := s.ProposeSettlement()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CommitSettlement(st); err != nil {
		t.Fatal(err)
	}
	got, _ := s.SignedSettlement()
	if got.BalanceB.Int64() != 70 {
		t.Fatalf("replacement settlement B = %s, want 70", got.BalanceB)
	}
}
