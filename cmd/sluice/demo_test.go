package main

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/devcluster/demo"
)

// demoChecks is how many checks a passing demo makes; README.md and docs/demo.md state it.
// 30 of the direct scene, 35 of the routed one (36 once the on-chain claim case is played).
const demoChecks = 65

// TestDemoPassesAndDefeatsTheForgedProofAttack runs the real demo binary with fewer
// payments and checks that what it claims happened on chain really did: the hub's forged
// highest-nonce proof (submitted itself, and with its own endorsement) and its stale proof
// were each refused with WrongSigner, the chain held none of the hub's payments until the
// victim's watcher put the hub's latest proof on chain, and every payout equals the ledgers.
func TestDemoPassesAndDefeatsTheForgedProofAttack(t *testing.T) {
	res := runCLIWithin(t, 3*time.Minute, cliEnv(t), "demo", "--json", "--payments", "400", "--seed", "7", "--workers", "4")
	if res.code != exitOK {
		t.Fatalf("demo exit code %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	var rep demo.Report
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("demo --json output is not one JSON object: %v\n%s", err, res.stdout)
	}
	if !rep.Passed || len(rep.Failed()) != 0 || rep.Routed == nil {
		t.Fatalf("demo did not pass: %+v (routed scene %v)", rep.Failed(), rep.Routed != nil)
	}
	if rep.Payments != 400 || rep.PaymentFailures != 0 || rep.Seed != 7 {
		t.Errorf("payments %d (failures %d, seed %d), want 400 (0, 7)", rep.Payments, rep.PaymentFailures, rep.Seed)
	}
	if rep.PaymentsPerSecond <= 0 || rep.LatencyP99Millis < rep.LatencyP50Millis {
		t.Errorf("implausible rate/latency: %.0f/s p50 %.2f p99 %.2f", rep.PaymentsPerSecond, rep.LatencyP50Millis, rep.LatencyP99Millis)
	}

	want := demoChecks
	for _, c := range rep.Routed.Cases {
		if strings.Contains(c.Case, "on-chain claim") && !c.NotPlayed {
			want++ // the claim scene's check, once the on-chain claim is merged
		}
	}
	if len(rep.Checks) != want {
		t.Errorf("%d checks, want %d (the count README.md and docs/demo.md state)", len(rep.Checks), want)
	}
	d := rep.Dispute
	if d.ForgedNonce != math.MaxUint64 || d.ForgedTransferred != "0" {
		t.Errorf("forged proof #%d paying %s, want #%d paying 0", d.ForgedNonce, d.ForgedTransferred, uint64(math.MaxUint64))
	}
	if len(d.Attempts) != 3 {
		t.Fatalf("attempts: %+v, want 3 (forged via updateProof, forged self-endorsed via updateProofFor, stale)", d.Attempts)
	}
	for i, a := range d.Attempts {
		if a.Refused != "WrongSigner" || a.Expected != "WrongSigner" || a.Tx != "" {
			t.Errorf("attempt %q: refused %q (expected %q), tx %q; want WrongSigner with no transaction", a.What, a.Refused, a.Expected, a.Tx)
		}
		if wantForged := i < 2; wantForged != (a.Nonce == d.ForgedNonce) {
			t.Errorf("attempt %d %q carries nonce %d", i, a.What, a.Nonce)
		}
	}
	if stale := d.Attempts[2]; stale.Nonce == 0 || stale.Nonce >= d.DefendedNonce {
		t.Errorf("the stale attempt #%d is not older than the defense #%d", stale.Nonce, d.DefendedNonce)
	}
	if d.CheaterNonceBeforeDefense != 0 || d.CheaterPaidBeforeDefense != "0" {
		t.Errorf("before the defense the chain held hub proof #%d paying %s, want none", d.CheaterNonceBeforeDefense, d.CheaterPaidBeforeDefense)
	}
	if d.ClosedNonce == 0 {
		t.Error("ChannelClosed carried no proof")
	}
	if d.DefendedBy != "alice" || d.ChallengeLeft == 0 || d.DefenseTx == "" {
		t.Errorf("defense %q sent by %q with %ds left; want alice within the period", d.DefenseTx, d.DefendedBy, d.ChallengeLeft)
	}
	if !strings.Contains(rep.Audit, " 0 discrepancies") {
		t.Errorf("independent audit: %s", rep.Audit)
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
	for _, stage := range []string{"phase 1", "FORGED proof #18446744073709551615", "refused, WrongSigner", "restarts", "defeated", "verifying"} {
		if !strings.Contains(res.stderr, stage) {
			t.Errorf("progress on stderr lacks %q:\n%s", stage, res.stderr)
		}
	}
	checkRoutedScene(t, rep.Routed, res.stderr)
}

// checkRoutedScene checks what the routed scene reports against the test's own model: the
// hub's fee of 1000 wei + 2500 ppm on every payment, both failure cases ended as they must,
// and every role's wei on chain.
func checkRoutedScene(t *testing.T, r *demo.RoutedReport, stderr string) {
	t.Helper()
	if r == nil {
		t.Fatal("the report has no routed scene")
	}
	if r.HubFee != "1000 wei + 2500 ppm" || r.RevealMargin != 30 || len(r.Payments) != 12 {
		t.Fatalf("routed scene: fee %q, margin %d, %d payments; want 1000 wei + 2500 ppm, 30, 12", r.HubFee, r.RevealMargin, len(r.Payments))
	}
	for _, p := range r.Payments {
		amount, _ := new(big.Int).SetString(p.Amount, 10)
		if amount == nil {
			t.Fatalf("payment %+v: amount not a number", p)
		}
		// 1000 + ceil(amount * 2500 / 1e6), the model of the hub's policy.
		fee := new(big.Int).Mul(amount, big.NewInt(2500))
		fee.Add(fee, big.NewInt(999_999)).Div(fee, big.NewInt(1_000_000)).Add(fee, big.NewInt(1000))
		if !p.OK || p.Fee != fee.String() || p.Hops != 2 {
			t.Errorf("payment %s->%s of %s: ok %v, fee %s over %d hops; want fee %s over 2", p.From, p.To, p.Amount, p.OK, p.Fee, p.Hops, fee)
		}
	}
	cases := map[string]demo.CaseRow{}
	for _, c := range r.Cases {
		cases[c.Case] = c
	}
	for _, name := range []string{"maxFee one wei below the quote", "hub offline holding the locks", "merchant never releases the secret"} {
		if c, ok := cases[name]; !ok || !c.OK {
			t.Errorf("failure case %q: %+v", name, c)
		}
	}
	if c := cases["channel closed with a pending lock (on-chain claim)"]; !c.OK && !c.NotPlayed {
		t.Errorf("on-chain claim case: %+v", c)
	}
	spent, received, fees := new(big.Int), new(big.Int), new(big.Int)
	for _, p := range r.Parties {
		gain, _ := new(big.Int).SetString(p.OnChain, 10)
		if !p.OK || gain == nil || p.Expected != p.OnChain || p.ExpectedChange != p.OnChainChange {
			t.Errorf("party %+v", p)
			continue
		}
		switch p.Party {
		case "carol", "dave", "erin":
			spent.Sub(spent, gain)
		case "shop", "cafe":
			received.Add(received, gain)
		case "hub":
			fees.Add(fees, gain)
		}
	}
	if len(r.Parties) != 6 || fees.Sign() <= 0 || spent.Cmp(new(big.Int).Add(received, fees)) != 0 {
		t.Errorf("%d parties: wallets spent %s, merchants received %s, hub earned %s", len(r.Parties), spent, received, fees)
	}
	if len(r.Channels) != 5 || !strings.Contains(r.Audit, " 0 discrepancies") {
		t.Errorf("%d routed channels, audit %q", len(r.Channels), r.Audit)
	}
	for _, stage := range []string{"routed payments done: 12 of 12", "the hub goes OFFLINE", "completed after the hub's restart", "shop keeps the secret", "chain time jumps", "every balance back to the wei"} {
		if !strings.Contains(stderr, stage) {
			t.Errorf("progress on stderr lacks %q", stage)
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
		Dispute: demo.DisputeReport{Cheater: "hub", Victim: "alice", ForgedNonce: math.MaxUint64, ForgedTransferred: "0", Attempts: []demo.Attempt{
			{What: "updateProof of the forged proof", Nonce: math.MaxUint64, Transferred: "0", Expected: "WrongSigner", Refused: "WrongSigner"},
			{What: "updateProof of the stale proof", Nonce: 3, Transferred: "7", Expected: "WrongSigner", Refused: ""},
		}},
		Checks: []demo.Check{{Name: "hub<->alice: alice's payout", OK: false, Detail: "expected 1, ChannelSettled 0"}},
	}
	var buf bytes.Buffer
	if err := printDemo(&buf, rep); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"1.999999999999999999", "✓", "✗", "FAIL: 1 of 1 checks failed", "expected 1, ChannelSettled 0",
		"FORGED proof #18446744073709551615 paying 0 ETH", "✓ updateProof of the forged proof (#18446744073709551615, 0 ETH): refused WrongSigner",
		"✗ updateProof of the stale proof (#3, 0.000000000000000007 ETH): ACCEPTED"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
