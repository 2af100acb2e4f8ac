package main

import (
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/benchrun"
)

const (
	flagBenchPayments    = "payments"
	flagBenchConcurrency = "concurrency"
	flagBenchWindow      = "window"
	flagBenchAmount      = "amount"
	flagBenchRate        = "rate"
	flagBenchChannels    = "channels"
	flagBenchCommitDelay = "commit-delay"
	flagBenchECDSATime   = "ecdsa-time"
	flagBenchCPUProfile  = "cpuprofile"
	flagBenchMemProfile  = "memprofile"
	flagBenchProcesses   = "processes"
	flagBenchRisk        = "risk"
)

func benchCommand() *cli.Command {
	env := func(f string) []string { return commandEnvVar("bench", f) }
	return &cli.Command{
		Name:  "bench",
		Usage: "measure durable payments per second and latency between real nodes",
		Description: "Starts an embedded chain, a paying hub and --channels receiving nodes in this process,\n" +
			"each with its own leveldb (every write fsynced) and libp2p host on 127.0.0.1, opens one\n" +
			"channel per receiver on chain and makes --payments payments from the hub. A payment\n" +
			"counts when Pay returns: the payer stored its proof, the payee verified and stored it\n" +
			"and acknowledged. Also measures ECDSA sign+recover pairs per second on all cores in the\n" +
			"same run (the protocol's cost per payment) and prints the ratio. Progress on stderr.",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: flagBenchPayments, Usage: "payments to make", Value: benchrun.DefaultPayments, EnvVars: env(flagBenchPayments)},
			&cli.IntFlag{Name: flagBenchConcurrency, Usage: "concurrent payers (each waits for its Ack)", Value: benchrun.DefaultConcurrency, EnvVars: env(flagBenchConcurrency)},
			&cli.IntFlag{Name: flagBenchWindow, Usage: "pipelining window: unacknowledged proofs per channel (0 = node default)", EnvVars: env(flagBenchWindow)},
			&cli.StringFlag{Name: flagBenchAmount, Usage: "wei per payment", Value: "1", EnvVars: env(flagBenchAmount)},
			&cli.Float64Flag{Name: flagBenchRate, Usage: "offered payments/s on a fixed schedule (0 = as fast as possible); latency counts from the scheduled time", EnvVars: env(flagBenchRate)},
			&cli.IntFlag{Name: flagBenchChannels, Usage: "receiving nodes, one channel each, all paid by one hub", Value: 1, EnvVars: env(flagBenchChannels)},
			&cli.DurationFlag{Name: flagBenchCommitDelay, Usage: "nodes linger this long before an fsync to gather a group (0 = none)", EnvVars: env(flagBenchCommitDelay)},
			&cli.DurationFlag{Name: flagBenchECDSATime, Usage: "how long to measure the ECDSA limit", Value: time.Second, EnvVars: env(flagBenchECDSATime)},
			&cli.StringFlag{Name: flagBenchCPUProfile, Usage: "write a pprof CPU profile of the payment phase to this file"},
			&cli.StringFlag{Name: flagBenchMemProfile, Usage: "write a pprof heap profile to this file after the payments, while the nodes still run (inuse_space: what they hold; alloc_space: what the run allocated)"},
			&cli.BoolFlag{Name: flagBenchRisk, Usage: "judge every payment by the risk engine first, as the API does (measures the policy's cost)", EnvVars: env(flagBenchRisk)},
			&cli.StringFlag{Name: flagBenchStore, Usage: "leveldb, or etcd: run the same bench on leveldb and then on a local 3-member etcd cluster and print both and the ratio", Value: "leveldb", EnvVars: env(flagBenchStore)},
			&cli.BoolFlag{Name: flagBenchProcesses, Usage: "run the receiving nodes in a second process of this binary (the figures of this process are then the hub's)", EnvVars: env(flagBenchProcesses)},
		}, benchRouteFlags(env)...),
		Action: runBench,
		Subcommands: []*cli.Command{{
			Name:   "peer",
			Usage:  "internal: the receiving nodes of 'sluice bench --processes', driven over stdin/stdout",
			Hidden: true,
			Action: func(c *cli.Context) error {
				return benchrun.ServePayees(c.Context, os.Stdin, c.App.Writer, nil)
			},
		}},
	}
}

func runBench(c *cli.Context) error {
	if c.Bool(flagBenchRoute) {
		return runRouteBench(c)
	}
	for _, f := range []string{flagBenchWallets, flagBenchMerchants, flagFeeBase, flagFeePPM} {
		if c.IsSet(f) {
			return usageErrorf("--%s needs --%s", f, flagBenchRoute)
		}
	}
	if err := exactArgs(c); err != nil {
		return err
	}
	amount, ok := new(big.Int).SetString(c.String(flagBenchAmount), 10)
	if !ok || amount.Sign() <= 0 {
		return usageErrorf("--%s %q: a positive integer number of wei", flagBenchAmount, c.String(flagBenchAmount))
	}
	if n := c.Int(flagBenchPayments); n < 1 {
		return usageErrorf("--%s %d: at least 1", flagBenchPayments, n)
	}
	if n := c.Int(flagBenchConcurrency); n < 1 || n > 1<<16 {
		return usageErrorf("--%s %d: between 1 and 65536", flagBenchConcurrency, n)
	}
	if n := c.Int(flagBenchWindow); n < 0 || n > 1<<16 {
		return usageErrorf("--%s %d: between 0 and 65536", flagBenchWindow, n)
	}
	if r := c.Float64(flagBenchRate); r < 0 {
		return usageErrorf("--%s %g: not negative", flagBenchRate, r)
	}
	if n := c.Int(flagBenchChannels); n < 1 || n > c.Int(flagBenchPayments) {
		return usageErrorf("--%s %d: between 1 and --%s", flagBenchChannels, n, flagBenchPayments)
	}
	logger := slog.New(slog.DiscardHandler)
	if c.IsSet(flagLogLevel) {
		l, err := newLogger(c)
		if err != nil {
			return err
		}
		logger = l
	}
	prog := newProgressBar(c.App.ErrWriter)
	opts := benchrun.Options{
		Payments:    c.Int(flagBenchPayments),
		Concurrency: c.Int(flagBenchConcurrency),
		Window:      c.Int(flagBenchWindow),
		Amount:      amount,
		Rate:        c.Float64(flagBenchRate),
		Channels:    c.Int(flagBenchChannels),
		CommitDelay: c.Duration(flagBenchCommitDelay),
		Risk:        c.Bool(flagBenchRisk),
		ECDSATime:   c.Duration(flagBenchECDSATime),
		Logger:      logger,
		Progress:    prog.update,
	}
	if c.Bool(flagBenchProcesses) {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench: find this binary to start the payee process: %w", err)
		}
		opts.PeerCommand = []string{exe, "bench", "peer"}
	}
	stopCPU, err := startCPUProfile(c.String(flagBenchCPUProfile), prog)
	if err != nil {
		return err
	}
	if path := c.String(flagBenchMemProfile); path != "" {
		opts.AfterPayments = func() error { return writeHeapProfile(path) }
	}
	switch c.String(flagBenchStore) {
	case "leveldb":
	case "etcd":
		if opts.PeerCommand != nil {
			return usageErrorf("--%s etcd runs every node in this process; drop --%s", flagBenchStore, flagBenchProcesses)
		}
		res, err := runEtcdBench(c.Context, opts)
		stopCPU()
		prog.finish()
		if err != nil {
			return err
		}
		return output(c, res, func(w io.Writer) error { return printEtcdBench(w, res) })
	default:
		return usageErrorf("--%s %q: leveldb or etcd", flagBenchStore, c.String(flagBenchStore))
	}
	res, err := benchrun.Run(c.Context, opts)
	stopCPU()
	prog.finish()
	if err != nil {
		return err
	}
	return output(c, res, func(w io.Writer) error { return printBench(w, res) })
}

// startCPUProfile starts profiling when the payments start, so chain setup and the ECDSA
// measurement do not drown the payment path.
func startCPUProfile(path string, prog *progressBar) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: cpu profile: %w", err)
	}
	started := false
	prog.onPaying = func() {
		if err := pprof.StartCPUProfile(f); err == nil {
			started = true
		}
	}
	return func() {
		if started {
			pprof.StopCPUProfile()
		}
		_ = f.Close()
	}, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: memory profile: %w", err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		return fmt.Errorf("bench: memory profile: %w", err)
	}
	return nil
}

func printBench(w io.Writer, r benchrun.Result) error {
	l := r.LatencyMillis
	scope := "this process: hub, chain and every payee node"
	if r.PayeeProcess {
		scope = "this process: hub and chain; payees in a second process"
	}
	offered := "as fast as possible"
	if r.OfferedRate > 0 {
		offered = fmt.Sprintf("%.0f payments/s", r.OfferedRate)
	}
	if r.Risk {
		offered += ", each judged by the risk policy"
	}
	return keyValues(w, [][2]string{
		{"payments", fmt.Sprintf("%d over %d channel(s), %d payers, window %d, offered %s", r.Payments, r.Channels, r.Concurrency, r.Window, offered)},
		{"rate", fmt.Sprintf("%.0f durable payments/s (%.2f s)", r.PaymentsPerSecond, r.Seconds)},
		{"latency", fmt.Sprintf("p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms", l.P50, l.P90, l.P99, l.Max)},
		{"fsyncs", fmt.Sprintf("%.4f per payment (payer %d, payees %d)", r.FsyncsPerPayment, r.PayerFsyncs, r.PayeeFsyncs)},
		{"group write", fmt.Sprintf("write+fsync p50/p90/p99: payer %s, payees %s", commitMillis(r.PayerCommitMillis), commitMillis(r.PayeeCommitMillis))},
		{"cpu", fmt.Sprintf("%.1f us per payment (%s; GOMAXPROCS %d)", r.CPUMicrosPerPayment, scope, r.GOMAXPROCS)},
		{"ecdsa limit", fmt.Sprintf("%.0f sign+recover pairs/s on all cores", r.ECDSALimit)},
		{"ratio", fmt.Sprintf("%.0f%% of the ECDSA limit", 100*r.Ratio)},
		{"memory", fmt.Sprintf("heap in use %s, RSS %s (%s)", mib(r.HeapInuseBytes), mib(r.RSSBytes), scope)},
	})
}

func commitMillis(c benchrun.CommitLatencies) string {
	return fmt.Sprintf("%.2f/%.2f/%.2f ms", c.P50, c.P90, c.P99)
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// progressBar draws the payment phase on stderr. On a terminal it redraws one line; into
// a file or pipe it writes a plain line per phase and then every few seconds.
type progressBar struct {
	w        io.Writer
	tty      bool
	phase    string
	onPaying func()
	drawn    bool
	last     time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	tty := false
	if ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressBar{w: w, tty: tty}
}

const progressLineInterval = 2 * time.Second

func (p *progressBar) update(ph benchrun.Phase) {
	newPhase := ph.Name != p.phase
	if newPhase {
		if p.drawn {
			fmt.Fprintln(p.w)
			p.drawn = false
		}
		p.phase = ph.Name
		if ph.Name == "paying" && p.onPaying != nil {
			p.onPaying()
		}
	}
	if !p.tty {
		final := ph.Total > 0 && ph.Done == ph.Total
		if newPhase || final || time.Since(p.last) >= progressLineInterval {
			fmt.Fprintf(p.w, "%s %d/%d%s\n", ph.Name, ph.Done, ph.Total, ratePart(ph))
			p.last = time.Now()
		}
		return
	}
	if ph.Name != "paying" {
		fmt.Fprintf(p.w, "\r%s %d/%d", ph.Name, ph.Done, ph.Total)
		p.drawn = true
		return
	}
	const width = 30
	filled := width * ph.Done / max(ph.Total, 1)
	fmt.Fprintf(p.w, "\rpaying [%s%s] %d/%d%s ", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), ph.Done, ph.Total, ratePart(ph))
	p.drawn = true
}

func ratePart(ph benchrun.Phase) string {
	if s := ph.Elapsed.Seconds(); s > 0 {
		return fmt.Sprintf("  %.0f/s", float64(ph.Done)/s)
	}
	return ""
}

func (p *progressBar) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
