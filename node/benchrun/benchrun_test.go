package benchrun

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// TestRunReportsEveryPaymentDurable runs a small bench end to end and checks the report
// adds up: every payment counted, latencies ordered, fsyncs on both nodes, an ECDSA limit.
func TestRunReportsEveryPaymentDurable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var phases []string
	r, err := Run(ctx, Options{
		Payments: 300, Concurrency: 16, Channels: 2, ECDSATime: 50 * time.Millisecond, BaseDir: t.TempDir(),
		Progress: func(p Phase) {
			if len(phases) == 0 || phases[len(phases)-1] != p.Name {
				phases = append(phases, p.Name)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Payments != 300 || r.Channels != 2 || r.PaymentsPerSecond <= 0 {
		t.Fatalf("result %+v", r)
	}
	l := r.LatencyMillis
	if !(0 < l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.Max) {
		t.Fatalf("latencies out of order: %+v", l)
	}
	if r.PayerFsyncs == 0 || r.PayeeFsyncs == 0 || r.FsyncsPerPayment <= 0 {
		t.Fatalf("fsyncs: payer %d, payees %d", r.PayerFsyncs, r.PayeeFsyncs)
	}
	if r.ECDSALimit <= 0 || r.Ratio <= 0 {
		t.Fatalf("ecdsa limit %v, ratio %v", r.ECDSALimit, r.Ratio)
	}
	checkCommitLatencies(t, r)
	if phases[len(phases)-1] != "paying" {
		t.Fatalf("phases %v, want the last to be paying", phases)
	}
}

func TestRunRefusesBadOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"negative rate":          {Rate: -1},
		"more channels than pay": {Payments: 2, Channels: 3},
		"negative window":        {Window: -1},
	} {
		if _, err := Run(context.Background(), o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestMain lets the test binary play `sluice bench peer` for TestRunWithPayeeProcess.
func TestMain(m *testing.M) {
	if os.Getenv("BENCHRUN_PAYEES") == "1" {
		if err := ServePayees(context.Background(), os.Stdin, os.Stdout, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestRunWithPayeeProcess(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t.Setenv("BENCHRUN_PAYEES", "1")
	r, err := Run(ctx, Options{
		Payments: 200, Concurrency: 8, Channels: 2, ECDSATime: 20 * time.Millisecond, BaseDir: t.TempDir(),
		PeerCommand: []string{os.Args[0], "-test.run=^$"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !r.PayeeProcess || r.PayeeFsyncs == 0 || r.PayerFsyncs == 0 {
		t.Fatalf("payee process %v, fsyncs payer %d payees %d", r.PayeeProcess, r.PayerFsyncs, r.PayeeFsyncs)
	}
	checkCommitLatencies(t, r) // the payees' histogram crossed the process boundary
}

// checkCommitLatencies: both sides made group writes during the run, and a payment,
// which waits for one on each side, is not faster than its side's median write.
func checkCommitLatencies(t *testing.T, r Result) {
	t.Helper()
	for side, c := range map[string]CommitLatencies{"payer": r.PayerCommitMillis, "payee": r.PayeeCommitMillis} {
		if !(0 < c.P50 && c.P50 <= c.P90 && c.P90 <= c.P99) {
			t.Errorf("%s group writes out of order or missing: %+v", side, c)
		}
		if c.P50 > r.LatencyMillis.P50 {
			t.Errorf("%s group write p50 %.3f ms exceeds the payment p50 %.3f ms", side, c.P50, r.LatencyMillis.P50)
		}
	}
}

func TestCommitHistQuantileInterpolatesLikePrometheus(t *testing.T) {
	before := commitHist{Bounds: []float64{1, 2, 4}, Counts: []uint64{5, 5, 5}, Total: 5}
	// 10 samples in the run: 2 at or under 1 s, 6 in (1, 2], 1 in (2, 4], 1 past 4 s.
	after := commitHist{Bounds: []float64{1, 2, 4}, Counts: []uint64{7, 13, 14}, Total: 15}
	h := after.since(before)
	tests := []struct{ q, want float64 }{
		{0.1, 0.5}, // rank 1 of the 2 in [0, 1]
		{0.5, 1.5}, // rank 5: 3 of the 6 in (1, 2]
		{0.8, 2},   // rank 8: the last in (1, 2]
		{0.9, 4},   // rank 9: the one in (2, 4]
		{0.99, 4},  // past the last bound reads as that bound
	}
	for _, tc := range tests {
		if got := h.quantile(tc.q); got != tc.want {
			t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if got := (commitHist{Bounds: []float64{1}, Counts: []uint64{0}}).quantile(0.5); got != 0 {
		t.Errorf("empty histogram quantile = %v, want 0", got)
	}
}

func TestPercentilesUseNearestRank(t *testing.T) {
	lat := make([]time.Duration, 100)
	for i := range lat {
		lat[len(lat)-1-i] = time.Duration(i+1) * time.Millisecond // unsorted on purpose
	}
	got := percentiles(lat)
	want := Latencies{P50: 50, P90: 90, P99: 99, Max: 100}
	if got != want {
		t.Fatalf("percentiles = %+v, want %+v", got, want)
	}
	if lat[0] != 100*time.Millisecond {
		t.Fatal("percentiles sorted the caller's slice")
	}
}
