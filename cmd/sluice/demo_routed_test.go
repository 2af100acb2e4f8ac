package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/node/devcluster/demo"
)

// TestPrintRoutedMarksEachRow prints a routed report with a failed payment, a failed case,
// a case not played and a party whose chain disagrees: each shows as such.
func TestPrintRoutedMarksEachRow(t *testing.T) {
	r := &demo.RoutedReport{HubFee: "1000 wei + 2500 ppm", RevealMargin: 30,
		Payments: []demo.RoutedRow{
			{From: "carol", To: "shop", Amount: "1000000000000000", Fee: "2500000001000", Hops: 2, OK: true, Outcome: "unlocked"},
			{From: "dave", To: "cafe", Amount: "2000000000000000", Outcome: "no route", OK: false},
		},
		Cases: []demo.CaseRow{
			{Case: "hub offline holding the locks", Outcome: "completed", OK: true},
			{Case: "merchant never releases the secret", Outcome: "pending before expiry false", OK: false},
			{Case: "channel closed with a pending lock (on-chain claim)", Outcome: "not played", NotPlayed: true},
		},
		Parties: []demo.RoutedParty{{Party: "hub", Books: "fees 1", Expected: "1", OnChain: "0", Gas: "0", ExpectedChange: "1", OnChainChange: "0", OK: false}},
		Audit:   "5 channels, 0 discrepancies",
	}
	var buf bytes.Buffer
	if err := printRouted(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"fee 1000 wei + 2500 ppm, reveal margin 30s", "0.001", "2500000001000", "no route", "✓ hub offline holding the locks: completed",
		"✗ merchant never releases the secret", "- channel closed with a pending lock (on-chain claim): not played", "fees 1", "0.000000000000000001", "5 channels, 0 discrepancies"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if rows := strings.Count(out, "✗"); rows != 3 {
		t.Errorf("%d rows marked ✗, want 3 (the failed payment, case and party):\n%s", rows, out)
	}
	var none bytes.Buffer
	if err := printRouted(&none, nil); err != nil || none.Len() != 0 {
		t.Errorf("a report without a routed scene printed %q (%v)", none.String(), err)
	}
}
