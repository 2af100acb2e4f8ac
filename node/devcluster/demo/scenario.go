// Package demo is the scenario behind `sluice demo`: a platform hub and two wallets'
// nodes on an embedded chain, an ETH and an ERC-20 channel, thousands of payments both
// ways, a withdrawal, a top-up, a cooperative close, and a unilateral close in which the
// closer tries to erase its payments with a forged higher-nonce proof, the contract
// refuses it and the victim's watcher defends; then every payout is checked against the
// ledgers, reading the chain independently of the nodes. The routed scene (routed*.go)
// follows on a cluster of its own: wallets pay merchants through a hub with a fee, and
// the failure cases of routed payments.
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/devcluster"
)

// Config shapes a run. The zero value is the full demo.
type Config struct {
	Payments int    // total payments, both channels, both directions (default 10,000)
	Seed     uint64 // amounts are drawn from it (default 1)
	Workers  int    // concurrent payers per direction of each channel (default 16)
	// Progress receives one line per stage; nil prints nothing.
	Progress func(stage string)
	Logger   *slog.Logger
	BaseDir  string // parent of the temporary datadirs ("" = system temp dir)
}

// Defaults.
const (
	DefaultPayments = 10_000
	DefaultWorkers  = 16
	challenge       = time.Hour
	maxAmount       = 1_000_000_000_000_000 // 0.001 ETH or TST per payment at most
)

// Node roles: the cluster's node indices.
const (
	hub   = 0
	alice = 1
	bob   = 2
)

var roleNames = [...]string{"hub", "alice", "bob"}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

// run is one demo in progress.
type run struct {
	cfg   Config
	c     *devcluster.Cluster
	rep   *Report
	token common.Address
	eth   channel.ID // hub <-> alice, ETH, closed unilaterally by the cheating hub
	tok   channel.ID // hub <-> bob, TST, closed cooperatively
	start time.Time
	// baseline is the block before the first channel operation; balances are compared
	// from there.
	baseline uint64
	books    books
	attack   attack // the hub's attempts during the dispute
}

// Run performs the demo. The error reports a demo that could not run; a run whose
// checks failed returns a Report with Passed false.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Payments <= 0 {
		cfg.Payments = DefaultPayments
	}
	if cfg.Payments < 8 {
		return nil, fmt.Errorf("demo: %d payments are too few: at least 8 (two phases of four directions)", cfg.Payments)
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Progress == nil {
		cfg.Progress = func(string) {}
	}
	r := &run{cfg: cfg, rep: &Report{Seed: cfg.Seed}, start: time.Now()}
	r.stage("starting the embedded chain and 3 nodes (hub, alice, bob) on 127.0.0.1")
	c, err := devcluster.New(ctx, devcluster.Options{Nodes: 3, Logger: cfg.Logger, BaseDir: cfg.BaseDir})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	r.c = c
	if err := r.play(ctx); err != nil {
		return nil, err
	}
	r.stage("verifying every payout against the ledgers, reading the chain directly")
	if err := r.verify(ctx); err != nil {
		return nil, err
	}
	if err := c.Close(); err != nil { // the routed scene runs on a cluster of its own
		return nil, err
	}
	if err := r.routed(ctx); err != nil {
		return nil, err
	}
	r.rep.Passed = len(r.rep.Failed()) == 0
	r.rep.Duration = time.Since(r.start).Round(time.Millisecond).String()
	return r.rep, nil
}

func (r *run) stage(format string, args ...any) {
	r.cfg.Progress(fmt.Sprintf("[%6.2fs] ", time.Since(r.start).Seconds()) + fmt.Sprintf(format, args...))
}

func (r *run) node(i int) *node.Node { return r.c.Node(i) }

// play runs the scenario up to the last settlement.
func (r *run) play(ctx context.Context) error {
	var err error
	r.stage("deploying the test ERC-20 (TST), minting 1000 TST to hub and bob")
	if r.token, err = r.c.DeployToken(ctx, "Sluice Test Token", "TST", ether(1000), hub, bob); err != nil {
		return err
	}
	head, err := r.c.Funder().Head(ctx)
	if err != nil {
		return err
	}
	r.baseline = head.Number
	if err := r.snapshotBalances(ctx); err != nil {
		return err
	}

	r.stage("opening hub<->alice ETH channel (20 ETH each side) through the hub's node")
	if r.eth, err = r.c.OpenChannel(ctx, hub, alice, common.Address{}, ether(20), ether(20), challenge); err != nil {
		return err
	}
	r.stage("opening hub<->bob TST channel (100 TST each side) through the nodes (each approves, then opens / deposits)")
	if r.tok, err = r.c.OpenChannel(ctx, hub, bob, r.token, ether(100), ether(100), challenge); err != nil {
		return err
	}

	streams := []stream{
		{name: "hub->alice (ETH)", payer: r.node(hub), ch: r.eth, from: channel.PartyA},
		{name: "alice->hub (ETH)", payer: r.node(alice), ch: r.eth, from: channel.PartyB},
		{name: "hub->bob (TST)", payer: r.node(hub), ch: r.tok, from: channel.PartyA},
		{name: "bob->hub (TST)", payer: r.node(bob), ch: r.tok, from: channel.PartyB},
	}
	half := r.cfg.Payments / 2
	r.stage("phase 1: %d payments, %d concurrent payers per direction on both channels", half, r.cfg.Workers)
	load := runLoad(ctx, streams, half, r.cfg.Workers, r.cfg.Seed, maxAmount)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted during phase 1 after %d payments: %w", load.count, err)
	}
	r.stage("phase 1 done: %d payments in %s", load.count, load.elapsed.Round(time.Millisecond))

	// The hub's proof as of now: after phase 2 it is stale, and the hub will try it too.
	hubView, err := r.node(hub).Channel(ctx, r.eth)
	if err != nil {
		return err
	}
	stale := hubView.Sent[channel.PartyA]

	r.stage("bob withdraws 5 TST from the open channel (co-signed by the hub)")
	if _, err := r.node(bob).Withdraw(ctx, r.tok, ether(5)); err != nil {
		return err
	}
	r.stage("alice tops up her side of the ETH channel by 3 ETH")
	if _, err := r.node(alice).Deposit(ctx, r.eth, ether(3)); err != nil {
		return err
	}
	for _, i := range []int{hub, alice} {
		if err := r.c.WaitChannel(ctx, i, r.eth, "alice's top-up", func(v node.ChannelView) bool {
			return v.Deposit[channel.PartyB].Cmp(ether(23)) == 0
		}); err != nil {
			return err
		}
	}
	if err := r.c.WaitChannel(ctx, hub, r.tok, "bob's withdrawal", func(v node.ChannelView) bool {
		return v.Withdrawn[channel.PartyB].Cmp(ether(5)) == 0
	}); err != nil {
		return err
	}

	r.stage("phase 2: %d more payments", r.cfg.Payments-half)
	load2 := runLoad(ctx, streams, r.cfg.Payments-half, r.cfg.Workers, r.cfg.Seed+1, maxAmount)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("interrupted during phase 2 after %d payments: %w", load.count+load2.count, err)
	}
	r.stage("phase 2 done: %d payments in %s", load2.count, load2.elapsed.Round(time.Millisecond))
	load.merge(load2)
	r.recordLoad(load)
	if err := r.checkLedgers(ctx, load); err != nil {
		return err
	}

	r.stage("cooperative close of hub<->bob (both sign the final balances, one transaction)")
	if _, err := r.node(hub).CloseChannel(ctx, r.tok, false); err != nil {
		return err
	}
	if err := r.dispute(ctx, stale); err != nil {
		return err
	}
	return nil
}

// recordLoad puts the payment figures into the report.
func (r *run) recordLoad(l loadResult) {
	lat := l.sortedLatencies()
	r.rep.Payments = l.count
	r.rep.PaymentFailures = len(l.failures)
	r.rep.PaymentSeconds = l.elapsed.Seconds()
	if l.elapsed > 0 {
		r.rep.PaymentsPerSecond = float64(l.count) / l.elapsed.Seconds()
	}
	r.rep.LatencyP50Millis = float64(percentile(lat, 50).Microseconds()) / 1000
	r.rep.LatencyP99Millis = float64(percentile(lat, 99).Microseconds()) / 1000
	detail := "none"
	if len(l.failures) > 0 {
		detail = l.failures[0].Error()
	}
	r.rep.check("every payment acknowledged", len(l.failures) == 0 && l.count == r.cfg.Payments,
		"%d of %d acknowledged; first failure: %s", l.count, r.cfg.Payments, detail)
}
