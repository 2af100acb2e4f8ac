package main

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/devcluster/demo"
)

const (
	flagDemoPayments = "payments"
	flagDemoSeed     = "seed"
	flagDemoWorkers  = "workers"
)

func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "run the whole system in one process and verify every payout on chain",
		Description: "Starts an embedded chain and three nodes (a hub and two wallets) over real libp2p on\n" +
			"127.0.0.1 with real leveldb in a temporary directory; opens an ETH and an ERC-20 channel;\n" +
			"makes thousands of payments both ways; withdraws, tops up, closes cooperatively, and has\n" +
			"the hub close unilaterally and try to erase its payments with a forged higher-nonce proof\n" +
			"(and a stale one), which the contract refuses, while the wallet's watcher defends. Every\n" +
			"payout is read from the chain and compared with the nodes' ledgers. Then a routed scene on\n" +
			"a second chain: three wallets pay two merchants through a hub with a fee, the hub goes\n" +
			"offline mid-payment, a merchant never releases the secret; every wei is checked. Exits non-zero if\n" +
			"any check fails. Progress goes to stderr; the result table (or --json) to stdout.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: flagDemoPayments, Usage: "total payments over both channels and both directions", Value: demo.DefaultPayments, EnvVars: commandEnvVar("demo", flagDemoPayments)},
			&cli.Uint64Flag{Name: flagDemoSeed, Usage: "seed of the payment amounts", Value: 1, EnvVars: commandEnvVar("demo", flagDemoSeed)},
			&cli.IntFlag{Name: flagDemoWorkers, Usage: "concurrent payers per direction of each channel", Value: demo.DefaultWorkers, EnvVars: commandEnvVar("demo", flagDemoWorkers)},
		},
		Action: runDemo,
	}
}

func runDemo(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	if n := c.Int(flagDemoPayments); n < 8 {
		return usageErrorf("--%s %d: at least 8 payments", flagDemoPayments, n)
	}
	if w := c.Int(flagDemoWorkers); w < 1 || w > 1024 {
		return usageErrorf("--%s %d: between 1 and 1024", flagDemoWorkers, w)
	}
	// Node logs only when asked for: the progress lines are the demo's narrative.
	logger := slog.New(slog.DiscardHandler)
	if c.IsSet(flagLogLevel) {
		l, err := newLogger(c)
		if err != nil {
			return err
		}
		logger = l
	}
	errw := c.App.ErrWriter
	rep, err := demo.Run(c.Context, demo.Config{
		Payments: c.Int(flagDemoPayments),
		Seed:     c.Uint64(flagDemoSeed),
		Workers:  c.Int(flagDemoWorkers),
		Logger:   logger,
		Progress: func(s string) { fmt.Fprintln(errw, s) },
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := output(c, rep, func(w io.Writer) error { return printDemo(w, rep) }); err != nil {
		return err
	}
	if failed := rep.Failed(); len(failed) > 0 {
		return fmt.Errorf("demo: %d of %d checks failed, first: %s (%s)", len(failed), len(rep.Checks), failed[0].Name, failed[0].Detail)
	}
	return nil
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

func printDemo(w io.Writer, r *demo.Report) error {
	f := demo.FormatAmount
	rows := [][]string{{"CHANNEL", "ASSET", "CLOSE", "PARTY", "DEPOSIT", "WITHDRAWN", "PAID", "RECEIVED", "EXPECTED PAYOUT", "ON-CHAIN PAYOUT", ""}}
	for _, ch := range r.Channels {
		for i, p := range ch.Parties {
			name, asset, closing := ch.Name, ch.Asset, ch.Closing
			if i > 0 {
				name, asset, closing = "", "", ""
			}
			rows = append(rows, []string{name, asset, closing, p.Party, f(p.Deposit), f(p.Withdrawn), f(p.Paid), f(p.Received), f(p.Expected), f(p.OnChain), mark(p.OK)})
		}
	}
	fmt.Fprintln(w, "Channels (amounts in ETH / TST; payouts from ChannelSettled events)")
	if err := table(w, rows); err != nil {
		return err
	}
	acc := [][]string{{"ACCOUNT", "ASSET", "EXPECTED CHANGE", "ON-CHAIN CHANGE", ""}}
	for _, a := range r.Accounts {
		acc = append(acc, []string{a.Party, a.Asset, f(a.Expected), f(a.OnChain), mark(a.OK)})
	}
	fmt.Fprintln(w, "\nAccount balances over the run (read from the chain; ETH includes every gas fee paid)")
	if err := table(w, acc); err != nil {
		return err
	}
	printDispute(w, r.Dispute)
	fmt.Fprintf(w, "\nIndependent audit of the chain (as `sluice audit`): %s\n", r.Audit)
	gas := [][]string{{"OPERATION", "COUNT", "GAS EACH"}}
	for _, g := range r.Gas {
		gas = append(gas, []string{g.Operation, strconv.Itoa(g.Count), strconv.FormatUint(g.GasEach, 10)})
	}
	fmt.Fprintln(w, "\nGas per on-chain operation (mined receipts)")
	if err := table(w, gas); err != nil {
		return err
	}
	if err := printRouted(w, r.Routed); err != nil {
		return err
	}
	passed := 0
	for _, ch := range r.Checks {
		if ch.OK {
			passed++
		}
	}
	fmt.Fprintf(w, "\nSummary: %d payments (%d failed) in %.2fs = %.0f payments/s, latency p50 %.2f ms, p99 %.2f ms; seed %d; total %s\n",
		r.Payments, r.PaymentFailures, r.PaymentSeconds, r.PaymentsPerSecond, r.LatencyP50Millis, r.LatencyP99Millis, r.Seed, r.Duration)
	var failed []string
	for _, ch := range r.Failed() {
		failed = append(failed, ch.Name+": "+ch.Detail)
	}
	if len(failed) == 0 {
		fmt.Fprintf(w, "PASS: all %d checks passed ✓\n", len(r.Checks))
		return nil
	}
	fmt.Fprintf(w, "FAIL: %d of %d checks failed ✗\n  %s\n", len(failed), len(r.Checks), strings.Join(failed, "\n  "))
	return nil
}

// printDispute tells the unilateral close: what the cheater tried, how the contract
// answered each attempt, and the victim's defense.
func printDispute(w io.Writer, d demo.DisputeReport) {
	f := demo.FormatAmount
	fmt.Fprintf(w, "\nDispute on %s: the %s closed (with %s's proof #%d), then tried to erase its payments to %s\n",
		shortID(d.Channel), d.Cheater, d.Victim, d.ClosedNonce, d.Victim)
	fmt.Fprintf(w, "with a FORGED proof #%d paying %s ETH, signed with its own key:\n", d.ForgedNonce, f(d.ForgedTransferred))
	for _, a := range d.Attempts {
		answer := "ACCEPTED"
		if a.Refused != "" {
			answer = "refused " + a.Refused
		}
		ok := a.Refused == a.Expected && a.Tx == ""
		fmt.Fprintf(w, "  %s %s (#%d, %s ETH): %s\n", mark(ok), a.What, a.Nonce, f(a.Transferred), answer)
	}
	fmt.Fprintf(w, "On chain the %s's payments stayed at %s ETH (proof #%d) until %s's watcher answered with proof #%d\n",
		d.Cheater, f(d.CheaterPaidBeforeDefense), d.CheaterNonceBeforeDefense, d.Victim, d.DefendedNonce)
	fmt.Fprintf(w, "(paid %s ETH), sent by %s, %ds before the challenge period ended.\n", f(d.DefendedTransferred), d.DefendedBy, d.ChallengeLeft)
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:10] + "…"
	}
	return id
}
