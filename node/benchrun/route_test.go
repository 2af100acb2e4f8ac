package benchrun

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/routing"
)

// Several funded wallets pay several merchants through the hub; every wei adds up.
func TestRunRouteWalletsPayMerchants(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := RunRoute(ctx, RouteOptions{
		Payments: 90, Concurrency: 12, Wallets: 3, Merchants: 2, Fees: routing.FeePolicy{PPM: 10_000},
		ECDSATime: 20 * time.Millisecond, BaseDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	// 1000 wei each at 1%: 10 wei per payment.
	if r.Payments != 90 || r.Wallets != 3 || r.Merchants != 2 || r.FeesEarned != "900" || r.PayeeReceived != "90000" || r.PayerSpent != "90900" {
		t.Fatalf("result %+v", r)
	}
	if r.SignaturesPerPayment < 4 || r.Ratio <= 0 {
		t.Fatalf("signatures %v per payment, ratio %v", r.SignaturesPerPayment, r.Ratio)
	}
	// Every node stores what it signs or accepts: each role fsyncs.
	if r.WalletFsyncs == 0 || r.HubFsyncs == 0 || r.MerchantFsyncs == 0 || r.FsyncsPerPayment <= 0 {
		t.Fatalf("fsyncs: wallets %d, hub %d, merchants %d", r.WalletFsyncs, r.HubFsyncs, r.MerchantFsyncs)
	}
}

// A hub that kept a wei more than its fee (or a payee paid short) fails the run.
func TestRouteResultRefusesBalancesThatDoNotAddUp(t *testing.T) {
	o, err := (&RouteOptions{Payments: 10, Fees: routing.FeePolicy{Flat: big.NewInt(5)}}).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	b := func(w, h, m int64) routeBalances {
		return routeBalances{wallets: big.NewInt(w), hub: big.NewInt(h), merchants: big.NewInt(m)}
	}
	lat := make([]time.Duration, 10)
	before := b(100_000, 50_000, 0)
	if _, err := newRouteResult(o, lat, time.Second, 1000, 40, time.Second, before, b(100_000-10_050, 50_050, 10_000)); err != nil {
		t.Fatalf("exact balances: %v", err)
	}
	for name, after := range map[string]routeBalances{
		"hub kept one wei more": b(100_000-10_051, 50_051, 10_000),
		"merchant paid short":   b(100_000-10_050, 50_051, 9_999),
		"wei created":           b(100_000-10_050, 50_050, 10_001),
	} {
		if _, err := newRouteResult(o, lat, time.Second, 1000, 40, time.Second, before, after); !errors.Is(err, ErrFeesDoNotAddUp) {
			t.Errorf("%s: %v, want ErrFeesDoNotAddUp", name, err)
		}
	}
}
