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
}
