//go:build !race

package channel

import (
	"math/big"
	"testing"
)

// The race detector changes allocation counts, so these budgets are checked without it.

func TestPaymentPathAllocationBudget(t *testing.T) {
	f := newFixture(t)
	h, err := NewHasher(f.params.Domain)
	if err != nil {
		t.Fatal(err)
	}
	bp := BalanceProof{Channel: f.params.ID, Nonce: 1, Transferred: big.NewInt(99)}
	payer := f.state(t, 0, 0)
	payee := f.state(t, 0, 0)
	for _, s := range []*State{payer, payee} {
		if err := s.ApplyDeposit(PartyA, MaxAmount()); err != nil {
			t.Fatal(err)
		}
	}
	// Amounts above 2^64 wei (about 18.4 ETH) take two machine words; measure there, not
	// only with toy amounts.
	amount := new(big.Int).Lsh(big.NewInt(1), 70)
	// AllocsPerRun calls each function runs+1 times; the payee consumes proofs in order.
	const runs = 50
	var incoming []SignedProof
	for range runs + 1 {
		p, err := payer.PreparePayment(PartyA, amount, f.signers[PartyA])
		if err != nil {
			t.Fatal(err)
		}
		if err := payer.CommitProof(PartyA, p); err != nil {
			t.Fatal(err)
		}
		incoming = append(incoming, p)
	}
	next := 0
	cases := []struct {
		name   string
		budget float64
		run    func()
	}{
		{"digest", 0, func() { _, _ = h.BalanceProofDigest(bp) }},
		// go-ethereum's Sign allocates 6 objects of its own; we add the new amount.
		{"prepare and commit", 7, func() {
			p, err := payer.PreparePayment(PartyA, amount, f.signers[PartyA])
			if err != nil {
				t.Fatal(err)
			}
			if err := payer.CommitProof(PartyA, p); err != nil {
				t.Fatal(err)
			}
		}},
		// Ecrecover returns a freshly allocated public key; nothing else allocates.
		{"apply incoming", 1, func() {
			if _, err := payee.ApplyIncoming(PartyA, incoming[next]); err != nil {
				t.Fatal(err)
			}
			next++
		}},
		{"re-ack a repeat", 0, func() { _, _ = payee.ValidateIncoming(PartyA, incoming[runs]) }},
	}
	for _, tc := range cases {
		if got := testing.AllocsPerRun(runs, tc.run); got > tc.budget {
			t.Errorf("%s: %.1f allocs per run, budget %.0f", tc.name, got, tc.budget)
		}
	}
}
