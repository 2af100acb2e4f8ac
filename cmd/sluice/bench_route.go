package main

import (
	"fmt"
	"io"
	"math/big"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/benchrun"
)

// `sluice bench --route`: routed payments wallet -> hub -> merchant between real nodes.
const (
	flagBenchRoute     = "route"
	flagBenchWallets   = "wallets"
	flagBenchMerchants = "merchants"
)

func benchRouteFlags(env func(string) []string) []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: flagBenchRoute, Usage: "routed payments: wallets pay merchants through one hub (mediated transfers over two hops); --payments default 5000, --concurrency default 48, --amount default 1000", EnvVars: env(flagBenchRoute)},
		&cli.IntFlag{Name: flagBenchWallets, Usage: "with --route: paying nodes, one channel to the hub each", Value: 1, EnvVars: env(flagBenchWallets)},
		&cli.IntFlag{Name: flagBenchMerchants, Usage: "with --route: paid nodes, one channel from the hub each", Value: 1, EnvVars: env(flagBenchMerchants)},
		&cli.StringFlag{Name: flagFeeBase, Usage: "with --route: the hub's flat fee per forwarded payment (wei)", EnvVars: env(flagFeeBase)},
		&cli.Int64Flag{Name: flagFeePPM, Usage: "with --route: the hub's proportional fee (parts per million)", EnvVars: env(flagFeePPM)},
	}
}

func runRouteBench(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	o := benchrun.RouteOptions{
		Payments: benchrun.DefaultRoutePayments, Concurrency: benchrun.DefaultRouteConcurrency, Amount: big.NewInt(1000),
		Wallets: c.Int(flagBenchWallets), Merchants: c.Int(flagBenchMerchants), ECDSATime: c.Duration(flagBenchECDSATime),
	}
	if c.IsSet(flagBenchPayments) {
		o.Payments = c.Int(flagBenchPayments)
	}
	if c.IsSet(flagBenchConcurrency) {
		o.Concurrency = c.Int(flagBenchConcurrency)
	}
	if c.IsSet(flagBenchAmount) {
		amount, ok := new(big.Int).SetString(c.String(flagBenchAmount), 10)
		if !ok || amount.Sign() <= 0 {
			return usageErrorf("--%s %q: a positive integer number of wei", flagBenchAmount, c.String(flagBenchAmount))
		}
		o.Amount = amount
	}
	if o.Payments < 1 {
		return usageErrorf("--%s %d: at least 1", flagBenchPayments, o.Payments)
	}
	if o.Concurrency < 1 || o.Concurrency > 1<<16 {
		return usageErrorf("--%s %d: between 1 and 65536", flagBenchConcurrency, o.Concurrency)
	}
	if o.Wallets < 1 || o.Wallets > o.Payments || o.Merchants < 1 || o.Merchants > o.Payments {
		return usageErrorf("--%s %d, --%s %d: each between 1 and --%s", flagBenchWallets, o.Wallets, flagBenchMerchants, o.Merchants, flagBenchPayments)
	}
	for _, f := range []string{flagBenchRate, flagBenchChannels, flagBenchWindow, flagBenchProcesses, flagBenchRisk, flagBenchStore, flagBenchCommitDelay} {
		if c.IsSet(f) {
			return usageErrorf("--%s is not for --%s", f, flagBenchRoute)
		}
	}
	rc, err := routingConfig(c)
	if err != nil {
		return err
	}
	o.Fees = rc.Fees
	if c.IsSet(flagLogLevel) {
		l, err := newLogger(c)
		if err != nil {
			return err
		}
		o.Logger = l
	}
	prog := newProgressBar(c.App.ErrWriter)
	o.Progress = prog.update
	stopCPU, err := startCPUProfile(c.String(flagBenchCPUProfile), prog)
	if err != nil {
		return err
	}
	if path := c.String(flagBenchMemProfile); path != "" {
		o.AfterPayments = func() error { return writeHeapProfile(path) }
	}
	res, err := benchrun.RunRoute(c.Context, o)
	stopCPU()
	prog.finish()
	if err != nil {
		return err
	}
	return output(c, res, func(w io.Writer) error { return printRouteBench(w, res) })
}

func printRouteBench(w io.Writer, r benchrun.RouteResult) error {
	l := r.LatencyMillis
	return keyValues(w, [][2]string{
		{"routed payments", fmt.Sprintf("%d: %d wallet(s) -> hub -> %d merchant(s), %d in flight, %s wei each, hub fee %s", r.Payments, r.Wallets, r.Merchants, r.Concurrency, r.Amount, r.HubFees)},
		{"rate", fmt.Sprintf("%.0f routed payments/s (%.2f s)", r.PaymentsPerSecond, r.Seconds)},
		{"latency", fmt.Sprintf("p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms (invoice to the payer's unlock acknowledged)", l.P50, l.P90, l.P99, l.Max)},
		{"fees", fmt.Sprintf("hub earned %s wei = payers spent %s - merchants received %s", r.FeesEarned, r.PayerSpent, r.PayeeReceived)},
		{"signatures", fmt.Sprintf("%.2f per routed payment (%d counted on every node)", r.SignaturesPerPayment, r.Signatures)},
		{"ecdsa limit", fmt.Sprintf("%.0f sign+recover pairs/s on all cores = %.0f routed payments/s at %.2f signatures each", r.ECDSALimit, r.RoutedLimit, r.SignaturesPerPayment)},
		{"ratio", fmt.Sprintf("%.0f%% of the routed ECDSA limit", 100*r.Ratio)},
		{"cpu", fmt.Sprintf("%.1f us per routed payment (this process: every node and the chain; GOMAXPROCS %d)", r.CPUMicrosPerPayment, r.GOMAXPROCS)},
		{"fsyncs", fmt.Sprintf("%.3f per routed payment (wallets %d, hub %d, merchants %d); hub group write p50/p90/p99 %s", r.FsyncsPerPayment, r.WalletFsyncs, r.HubFsyncs, r.MerchantFsyncs, commitMillis(r.HubCommitMillis))},
		{"memory", fmt.Sprintf("heap in use %s, RSS %s", mib(r.HeapInuseBytes), mib(r.RSSBytes))},
	})
}
