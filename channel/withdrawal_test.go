package channel

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestWithdrawalMustBeAffordableLiveAndIncreasing(t *testing.T) {
	f := newFixture(t)
	a := f.params.Participants[PartyA]
	w := func(who common.Address, total int64, expiry uint64) Withdrawal {
		return Withdrawal{Channel: f.params.ID, Participant: who, TotalWithdrawn: big.NewInt(total), Expiry: expiry}
	}
	// base: A deposited 100 and B 50; A paid 30, B paid 10; A already withdrew 5.
	base := func(t *testing.T) *State {
		s := f.state(t, 100, 50)
		f.pay(t, s, PartyA, 30)
		f.pay(t, s, PartyB, 10)
		if err := s.ApplyWithdrawn(PartyA, big.NewInt(5)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		name  string
		setup func(*testing.T, *State)
		w     Withdrawal
		now   uint64
		want  error
	}{
		{"everything A owns", nil, w(a, 5+75, 100), 50, nil},
		{"live at its expiry second", nil, w(a, 10, 100), 100, nil},
		{"B's own money", nil, w(f.params.Participants[PartyB], 70, 100), 50, nil},
		{"one more than A owns", nil, w(a, 5+76, 100), 50, ErrOverdraft},
		{"above what a larger pending withdrawal leaves", func(t *testing.T, s *State) { reserve(t, s, a, 60, 1000) }, w(a, 81, 100), 50, ErrOverdraft},
		{"below a larger pending withdrawal", func(t *testing.T, s *State) { reserve(t, s, a, 60, 1000) }, w(a, 40, 100), 50, nil},
		{"expired", nil, w(a, 10, 100), 101, ErrWithdrawalExpired},
		{"total equal to withdrawn", nil, w(a, 5, 100), 50, ErrWithdrawalNotAbove},
		{"total below withdrawn", nil, w(a, 4, 100), 50, ErrWithdrawalNotAbove},
		{"nil total", nil, Withdrawal{Channel: f.params.ID, Participant: a, Expiry: 100}, 50, ErrInvalidAmount},
		{"negative total", nil, w(a, -1, 100), 50, ErrInvalidAmount},
		{"total above uint128", nil, Withdrawal{Channel: f.params.ID, Participant: a, TotalWithdrawn: new(big.Int).Lsh(big.NewInt(1), 128), Expiry: 100}, 50, ErrAmountTooLarge},
		{"stranger", nil, w(common.Address{9}, 10, 100), 50, ErrNotParticipant},
		{"another channel", nil, Withdrawal{Channel: ID{9}, Participant: a, TotalWithdrawn: big.NewInt(10), Expiry: 100}, 50, ErrWrongChannel},
		{"channel closing", func(t *testing.T, s *State) { mustStatus(t, s, StatusClosing) }, w(a, 10, 100), 50, ErrChannelNotOpen},
		{"settlement signed", func(t *testing.T, s *State) { commitSettlement(t, s) }, w(a, 10, 100), 50, ErrSettlementSigned},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := base(t)
			if tc.setup != nil {
				tc.setup(t, s)
			}
			before := s.Clone()
			if err := s.ValidateWithdrawal(tc.w, tc.now); !errors.Is(err, tc.want) {
				t.Fatalf("ValidateWithdrawal = %v, want %v", err, tc.want)
			}
			err := s.ReserveWithdrawal(tc.w, tc.now)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ReserveWithdrawal = %v, want %v", err, tc.want)
			}
			if err != nil {
				if d := stateDiff(before, s); d != "" {
					t.Fatalf("rejected withdrawal changed %s", d)
				}
			}
		})
	}
}

func TestSignedWithdrawalVerifiesForBothParties(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 0)
	w := Withdrawal{Channel: f.params.ID, Participant: f.params.Participants[PartyA], TotalWithdrawn: big.NewInt(40), Expiry: 500}
	before := s.Clone()
	var sigs [2]Signature
	for _, p := range []Party{PartyA, PartyB} {
		sig, err := s.SignWithdrawal(w, 100, f.signers[p])
		if err != nil {
			t.Fatalf("party %s signs: %v", p, err)
		}
		sigs[p] = sig
		if err := s.VerifyWithdrawal(w, p, sig); err != nil {
			t.Fatalf("verify party %s signature: %v", p, err)
		}
	}
	if d := stateDiff(before, s); d != "" {
		t.Fatalf("signing changed %s", d)
	}
	if err := s.VerifyWithdrawal(w, PartyB, sigs[PartyA]); !errors.Is(err, ErrWrongSigner) {
		t.Fatalf("A's signature checked as B's: %v, want ErrWrongSigner", err)
	}
	other := w
	other.Expiry++
	if err := s.VerifyWithdrawal(other, PartyA, sigs[PartyA]); !errors.Is(err, ErrWrongSigner) {
		t.Fatalf("signature over another expiry: %v, want ErrWrongSigner", err)
	}
	if _, err := s.SignWithdrawal(w, 100, testSigner(t, 9)); !errors.Is(err, ErrWrongSigner) {
		t.Fatalf("stranger signs: %v, want ErrWrongSigner", err)
	}
	if _, err := s.SignWithdrawal(w, 501, f.signers[PartyA]); !errors.Is(err, ErrWithdrawalExpired) {
		t.Fatalf("sign expired withdrawal: %v, want ErrWithdrawalExpired", err)
	}
}

func TestReservationLifecycle(t *testing.T) {
	f := newFixture(t)
	a := f.params.Participants[PartyA]
	s := f.state(t, 100, 0)
	reserve(t, s, a, 30, 200)
	reserve(t, s, a, 30, 200) // same withdrawal again: no second reservation
	reserve(t, s, a, 50, 100)
	if n := len(s.Pending()); n != 2 {
		t.Fatalf("pending = %d, want 2", n)
	}
	check := func(step string, reserved, spendable int64) {
		t.Helper()
		if got := s.Reserved(PartyA); got.Cmp(big.NewInt(reserved)) != 0 {
			t.Errorf("%s: reserved %s, want %d", step, got, reserved)
		}
		if got := s.Spendable(PartyA); got.Cmp(big.NewInt(spendable)) != 0 {
			t.Errorf("%s: spendable %s, want %d", step, got, spendable)
		}
	}
	check("two pending", 50, 50)
	if n := s.ExpireWithdrawals(100); n != 0 {
		t.Fatalf("expired %d at the expiry second, want 0", n)
	}
	if n := s.ExpireWithdrawals(101); n != 1 {
		t.Fatalf("expired %d after expiry, want 1", n)
	}
	check("larger one expired", 30, 70)
	if err := s.ApplyWithdrawn(PartyA, big.NewInt(30)); err != nil {
		t.Fatal(err)
	}
	check("executed on chain", 0, 70)
	if n := len(s.Pending()); n != 0 {
		t.Fatalf("pending after execution = %d, want 0", n)
	}
	if got := s.Balance(PartyA); got.Cmp(big.NewInt(70)) != 0 {
		t.Fatalf("balance after withdrawal = %s, want 70", got)
	}
}

func TestApplyWithdrawnKeepsLargerReservations(t *testing.T) {
	f := newFixture(t)
	a := f.params.Participants[PartyA]
	s := f.state(t, 100, 0)
	reserve(t, s, a, 20, 200)
	reserve(t, s, a, 60, 200)
	if err := s.ApplyWithdrawn(PartyA, big.NewInt(20)); err != nil {
		t.Fatal(err)
	}
	if got := s.Reserved(PartyA); got.Cmp(big.NewInt(40)) != 0 {
		t.Fatalf("reserved after the smaller one executed = %s, want 40", got)
	}
}

func TestReservationOnlyBindsTheWithdrawer(t *testing.T) {
	f := newFixture(t)
	s := f.state(t, 100, 100)
	reserve(t, s, f.params.Participants[PartyB], 100, 200)
	if _, err := s.PreparePayment(PartyB, big.NewInt(1), f.signers[PartyB]); !errors.Is(err, ErrOverdraft) {
		t.Fatalf("B pays with everything reserved: %v, want ErrOverdraft", err)
	}
	f.pay(t, s, PartyA, 100)
	// What B receives is not reserved: B may pay it on.
	f.pay(t, s, PartyB, 100)
}
