package demo

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"
)

// TestRoutedVerifyFailsOnAOneWeiError plays the routed scene, verifies it, then moves one
// wei in the tally of one channel and one wei in a merchant's receipts and verifies again:
// the routed checks must compare real numbers, and only the ones touched may fail.
func TestRoutedVerifyFailsOnAOneWeiError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cfg := Config{Seed: 3, Progress: func(s string) { t.Log(s) }, BaseDir: t.TempDir()}
	rr := newRoutedRun(cfg, &Report{}, time.Now())
	c, err := rr.startCluster(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := rr.play(ctx); err != nil {
		t.Fatalf("play: %v", err)
	}
	if err := rr.verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if failed := rr.rep.Failed(); len(failed) != 0 || len(rr.rep.Checks) < 30 {
		t.Fatalf("honest routed run: %d checks, failed %+v", len(rr.rep.Checks), failed)
	}

	rr.rep, rr.out = &Report{}, &RoutedReport{}
	shop := rr.paid[rr.chans[rShop]][rr.address(rHub)]
	shop.Add(shop, big.NewInt(1))
	rr.spent[rCafe].Add(rr.spent[rCafe], big.NewInt(1))
	if err := rr.verify(ctx); err != nil {
		t.Fatalf("verify: %v", err)
	}
	var names []string
	for _, f := range rr.rep.Failed() {
		names = append(names, f.Name)
	}
	got := strings.Join(names, "; ")
	for _, want := range []string{"routed: hub<->shop: hub's payout", "routed: hub<->shop: shop's payout", "routed: cafe's gain on chain equals the tally"} {
		if !strings.Contains(got, want) {
			t.Errorf("a one-wei error did not fail %q; failed: %s", want, got)
		}
	}
	for _, untouched := range []string{"carol", "dave", "erin", "hub<->cafe", "ETH balance"} {
		if strings.Contains(got, untouched) {
			t.Errorf("an untouched check failed (%s): %s", untouched, got)
		}
	}
}
