package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/node/devcluster/demo"
)

// TestDemoPassesAndDefeatsAStaleClose runs the real demo binary with fewer payments and
// checks that what it claims happened on chain really did: the stale proof was recorded,
// a newer one followed from the victim, and every payout equals the ledgers.
func TestDemoPassesAndDefeatsAStaleClose(t *testing.T) {
	res := runCLI(t, cliEnv(t), "demo", "--json", "--payments", "400", "--seed", "7", "--workers", "4")
	if res.code != exitOK {
		t.Fatalf("demo exit code %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	var rep demo.Report
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("demo --json output is not one JSON object: %v\n%s", err, res.stdout)
	}
	if !rep.Passed || len(rep.Failed()) != 0 {
		t.Fatalf("demo did not pass: %+v", rep.Failed())
	}
	if rep.Payments != 400 || rep.PaymentFailures != 0 || rep.Seed != 7 {
		t.Errorf("payments %d (failures %d, seed %d), want 400 (0, 7)", rep.Payments, rep.PaymentFailures, rep.Seed)
	}
	if rep.PaymentsPerSecond <= 0 || rep.LatencyP99Millis < rep.LatencyP50Millis {
		t.Errorf("implausible rate/latency: %.0f/s p50 %.2f p99 %.2f", rep.PaymentsPerSecond, rep.LatencyP50Millis, rep.LatencyP99Millis)
	}

	d := rep.Dispute
	if d.StaleNonce == 0 || d.StaleNonce >= d.DefendedNonce {
		t.Errorf("stale proof #%d was not followed by a newer one (#%d)", d.StaleNonce, d.DefendedNonce)
	}
	if d.ClosedNonce == 0 {
		t.Error("ChannelClosed carried no proof")
	}
	if d.DefendedBy != "alice" || d.ChallengeLeft == 0 {
		t.Errorf("defense sent by %q with %ds left; want alice within the period", d.DefendedBy, d.ChallengeLeft)
	}
	if !strings.Contains(rep.Audit, " 0 discrepancies") {
		t.Errorf("independent audit: %s", rep.Audit)
	}
	if d.StaleTx == "" || d.StaleTx == d.DefenseTx {
		t.Errorf("stale tx %q and defense tx %q must be two transactions", d.StaleTx, d.DefenseTx)
	}

	closings := map[string]bool{}
	for _, ch := range rep.Channels {
		closings[ch.Closing] = true
		if len(ch.Parties) != 2 {
			t.Fatalf("channel %s has %d party rows", ch.Name, len(ch.Parties))
		}
		for _, p := range ch.Parties {
			if !p.OK || p.Expected != p.OnChain || p.Paid == "0" {
				t.Errorf("%s %s: paid %s, expected %s, on chain %s", ch.Name, p.Party, p.Paid, p.Expected, p.OnChain)
			}
		}
	}
	if !closings["cooperative"] || len(rep.Channels) != 2 {
		t.Errorf("want one cooperative and one unilateral channel, got %v", closings)
	}
	if len(rep.Accounts) != 6 {
		t.Errorf("account checks = %d, want 6 (3 parties x ETH, TST)", len(rep.Accounts))
	}
	ops := map[string]bool{}
	for _, g := range rep.Gas {
		ops[g.Operation] = g.GasEach > 0
	}
	for _, op := range []string{"open (ETH)", "open (ERC-20)", "withdraw (ERC-20)", "deposit (ETH)", "closeCooperative (ERC-20)", "close", "updateProof", "settle (ETH)"} {
		if !ops[op] {
			t.Errorf("gas table lacks %q: %+v", op, rep.Gas)
		}
	}
	for _, stage := range []string{"phase 1", "cheats", "restarts", "defeated", "verifying"} {
		if !strings.Contains(res.stderr, stage) {
			t.Errorf("progress on stderr lacks %q:\n%s", stage, res.stderr)
		}
	}
}

func TestDemoRejectsTooFewPayments(t *testing.T) {
	res := runCLI(t, cliEnv(t), "demo", "--payments", "3")
	if res.code != exitUsage || !strings.Contains(res.stderr, "--payments") {
		t.Fatalf("exit %d, stderr %q; want a usage error naming --payments", res.code, res.stderr)
	}
}

func TestPrintDemoMarksFailedRowsAndChecks(t *testing.T) {
	rep := &demo.Report{
		Channels: []demo.ChannelReport{{Name: "hub<->alice", Asset: "ETH", Closing: "cooperative", Parties: []demo.PartyRow{
			{Party: "hub", Deposit: "2000000000000000000", Withdrawn: "0", Paid: "1", Received: "0", Expected: "1999999999999999999", OnChain: "1999999999999999999", OK: true},
			{Party: "alice", Deposit: "0", Withdrawn: "0", Paid: "0", Received: "1", Expected: "1", OnChain: "0", OK: false},
		}}},
		Checks: []demo.Check{{Name: "hub<->alice: alice's payout", OK: false, Detail: "expected 1, ChannelSettled 0"}},
	}
	var buf bytes.Buffer
	if err := printDemo(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"1.999999999999999999", "✓", "✗", "FAIL: 1 of 1 checks failed", "expected 1, ChannelSettled 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
