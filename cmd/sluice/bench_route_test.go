package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/benchrun"
)

// TestBenchRouteFiguresAddUp runs `sluice bench --route --json` (not timed) and checks
// the figures against each other: every wei of the hub's fee, the signatures counted, the
// routed limit and the ratio derived from them; the human output prints the same result.
func TestBenchRouteFiguresAddUp(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	const payments = 150
	code := run(ctx, []string{"sluice", "bench", "--route", "--payments", "150", "--concurrency", "12", "--fee-base", "2", "--fee-ppm", "1000", "--ecdsa-time", "20ms", "--json"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	var r benchrun.RouteResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("stdout is not one JSON result: %v\n%s", err, out.String())
	}
	wei := func(name, s string) *big.Int {
		v, ok := new(big.Int).SetString(s, 10)
		if !ok {
			t.Fatalf("%s %q is not a number of wei", name, s)
		}
		return v
	}
	// 1000 wei each, fee 2 + 1000 ppm of 1000 = 3 wei per payment.
	earned, spent, received := wei("fees", r.FeesEarned), wei("spent", r.PayerSpent), wei("received", r.PayeeReceived)
	if earned.Int64() != 3*payments || received.Int64() != 1000*payments || new(big.Int).Sub(spent, received).Cmp(earned) != 0 {
		t.Errorf("hub earned %s, payers spent %s, merchants received %s; want %d = spent - received, received %d", earned, spent, received, 3*payments, 1000*payments)
	}
	if r.Payments != payments || r.Wallets != 1 || r.Merchants != 1 || r.Concurrency != 12 {
		t.Errorf("result %+v", r)
	}
	// Two hops, each a locked transfer and an unlock, each signed once: at least 4.
	if r.SignaturesPerPayment < 4 || math.Abs(r.SignaturesPerPayment-float64(r.Signatures)/payments) > 1e-9 {
		t.Errorf("%d signatures, %.3f per payment", r.Signatures, r.SignaturesPerPayment)
	}
	if r.ECDSALimit <= 0 || math.Abs(r.RoutedLimit-r.ECDSALimit/r.SignaturesPerPayment) > 1e-6*r.RoutedLimit ||
		math.Abs(r.Ratio-r.PaymentsPerSecond/r.RoutedLimit) > 1e-9 {
		t.Errorf("limit %v, routed limit %v, rate %v, ratio %v do not agree", r.ECDSALimit, r.RoutedLimit, r.PaymentsPerSecond, r.Ratio)
	}
	if math.Abs(r.PaymentsPerSecond*r.Seconds-payments) > 1e-6 {
		t.Errorf("%v payments/s over %v s is not %d payments", r.PaymentsPerSecond, r.Seconds, payments)
	}
	l := r.LatencyMillis
	if !(0 < l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("latencies out of order: %+v", l)
	}
	var human bytes.Buffer
	if err := printRouteBench(&human, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"routed payments/s", "hub earned " + r.FeesEarned + " wei", "per routed payment", "of the routed ECDSA limit"} {
		if !strings.Contains(human.String(), want) {
			t.Errorf("human output lacks %q:\n%s", want, human.String())
		}
	}
}

func TestBenchRouteRejectsBadFlagsAsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--wallets", "2"},
		{"--fee-ppm", "5"},
		{"--route", "--rate", "10"},
		{"--route", "--processes"},
		{"--route", "--fee-ppm", "2000000"},
		{"--route", "--fee-base", "-1"},
		{"--route", "--wallets", "0"},
		{"--route", "--payments", "5", "--merchants", "6"},
		{"--route", "--amount", "0"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"sluice", "bench"}, args...), &out, &errb); code != exitUsage {
			t.Errorf("bench %v: exit %d, want %d (stderr %q)", args, code, exitUsage, errb.String())
		}
	}
}
