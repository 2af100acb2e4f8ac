package benchrun

import (
	"context"
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
