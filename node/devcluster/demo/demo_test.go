package demo

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/devcluster"
)

// TestVerifyFailsWhenTheLedgerDisagreesWithTheChain plays the scenario, verifies it, then
// shifts the books by one wei and verifies again: the checks must compare real numbers.
// Then it pretends the hub's attack had succeeded, or had not been tried: the dispute
// checks must fail.
func TestVerifyFailsWhenTheLedgerDisagreesWithTheChain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	c, err := devcluster.New(ctx, devcluster.Options{Nodes: 3, BaseDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := &run{cfg: Config{Payments: 200, Seed: 3, Workers: 2, Progress: func(s string) { t.Log(s) }}, c: c, rep: &Report{}, start: time.Now()}
	if err := r.play(ctx); err != nil {
		t.Fatalf("play: %v", err)
	}
	if err := r.verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if failed := r.rep.Failed(); len(failed) != 0 {
		t.Fatalf("honest run failed checks: %+v", failed)
	}

	r.rep = &Report{}
	r.books.paid[r.eth][0].Add(r.books.paid[r.eth][0], big.NewInt(1))
	if err := r.verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
	var names []string
	for _, f := range r.rep.Failed() {
		names = append(names, f.Name)
	}
	got := strings.Join(names, "; ")
	for _, want := range []string{"hub<->alice: hub's payout", "hub<->alice: alice's payout", "defense put the hub's whole payments on chain"} {
		if !strings.Contains(got, want) {
			t.Errorf("a one-wei ledger error did not fail %q; failed: %s", want, got)
		}
	}
	if strings.Contains(got, "hub<->bob") {
		t.Errorf("the untouched channel failed too: %s", got)
	}
	r.books.paid[r.eth][0].Sub(r.books.paid[r.eth][0], big.NewInt(1))

	d := r.rep.Dispute
	if len(d.Attempts) != attemptsMade || d.ForgedNonce != forgedNonce || d.ForgedTransferred != "0" || d.CheaterPaidBeforeDefense != "0" {
		t.Fatalf("dispute report: %+v", d)
	}
	for _, a := range d.Attempts {
		if a.Refused != "WrongSigner" || a.Tx != "" {
			t.Errorf("attempt %q: refused %q, tx %q; want WrongSigner and no transaction", a.What, a.Refused, a.Tx)
		}
	}
	honest := r.attack
	for _, tc := range []struct {
		name   string
		tamper func(a *attack)
		want   []string
	}{
		{"the endorsed forged proof was accepted", func(a *attack) { a.attempts[1].Refused = "" },
			[]string{"contract refused the hub's updateProofFor of the forged proof, endorsed by the hub itself"}},
		{"the stale proof was refused for the wrong reason", func(a *attack) { a.attempts[2].Refused = "StaleNonce" },
			[]string{"contract refused the hub's updateProof of the hub's own stale genuine proof"}},
		{"a refused call was mined anyway", func(a *attack) { a.attempts[0].Tx = "0x01" },
			[]string{"contract refused the hub's updateProof of the forged proof from the hub's account"}},
		{"the chain recorded a hub payment before the defense", func(a *attack) { a.hubPaid = big.NewInt(1) },
			[]string{"the chain recorded none of the hub's payments until alice's watcher defended"}},
		{"the attack was not made", func(a *attack) { a.attempts = nil },
			[]string{"the hub's attempts to erase its payments were made"}},
	} {
		r.attack = honest
		r.attack.attempts = append([]Attempt(nil), honest.attempts...)
		tc.tamper(&r.attack)
		r.rep = &Report{}
		if err := r.verify(ctx); err != nil {
			t.Fatalf("%s: verify: %v", tc.name, err)
		}
		var failed []string
		for _, f := range r.rep.Failed() {
			failed = append(failed, f.Name)
		}
		if len(failed) != len(tc.want) || strings.Join(failed, "; ") != strings.Join(tc.want, "; ") {
			t.Errorf("%s: failed checks %q, want exactly %q", tc.name, failed, tc.want)
		}
	}
}
