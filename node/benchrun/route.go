package benchrun

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"runtime"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/routing"
)

// RouteOptions configure a routed bench (`sluice bench --route`): Wallets paying
// Merchants through one hub, every payment a mediated transfer over two hops.
type RouteOptions struct {
	Payments    int      // routed payments in total (default 5,000)
	Concurrency int      // payments in flight at once (default DefaultRouteConcurrency)
	Amount      *big.Int // wei each merchant receives per payment (default 1,000)
	// Fees is the hub's fee policy; the payer locks Amount plus Fees.Fee(Amount).
	Fees      routing.FeePolicy
	Wallets   int           // paying nodes, one channel to the hub each (default 1)
	Merchants int           // paid nodes, one channel from the hub each (default 1)
	ECDSATime time.Duration // how long to measure the ECDSA limit (default 1 s)
	BaseDir   string
	Logger    *slog.Logger
	Progress  func(Phase)
	// AfterPayments, when set, runs once the payments are done, while the nodes run.
	AfterPayments func() error
}

// Route bench defaults. A channel holds at most channel.MaxLocks pending locks per
// direction, so one wallet has at most that many payments in flight, and a merchant's
// channel is kept below it (the hub's unlock to the merchant may trail the payer's
// unlock by a moment).
const (
	DefaultRoutePayments    = 5_000
	DefaultRouteConcurrency = 48
	merchantInFlight        = channel.MaxLocks - 16
)

func (o *RouteOptions) withDefaults() (RouteOptions, error) {
	out := *o
	if out.Payments == 0 {
		out.Payments = DefaultRoutePayments
	}
	if out.Concurrency == 0 {
		out.Concurrency = DefaultRouteConcurrency
	}
	if out.Amount == nil {
		out.Amount = big.NewInt(1000)
	}
	if out.Wallets == 0 {
		out.Wallets = 1
	}
	if out.Merchants == 0 {
		out.Merchants = 1
	}
	if out.ECDSATime == 0 {
		out.ECDSATime = time.Second
	}
	if out.Logger == nil {
		out.Logger = slog.New(slog.DiscardHandler)
	}
	var errs []error
	if out.Payments < 1 {
		errs = append(errs, fmt.Errorf("payments %d: at least 1", out.Payments))
	}
	if out.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("concurrency %d: at least 1", out.Concurrency))
	}
	if out.Amount.Sign() <= 0 {
		errs = append(errs, fmt.Errorf("amount %s: must be positive", out.Amount))
	}
	if out.Wallets < 1 || out.Merchants < 1 || out.Wallets > out.Payments || out.Merchants > out.Payments {
		errs = append(errs, fmt.Errorf("wallets %d, merchants %d: each between 1 and the number of payments", out.Wallets, out.Merchants))
	}
	if err := out.Fees.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("hub fees: %w", err))
	}
	return out, errors.Join(errs...)
}

// total is what a payer locks per payment: the amount plus the hub's fee.
func (o RouteOptions) total() *big.Int { return new(big.Int).Add(o.Amount, o.Fees.Fee(o.Amount)) }

func (o RouteOptions) progress(name string, done, total int) {
	if o.Progress != nil {
		o.Progress(Phase{Name: name, Done: done, Total: total})
	}
}

// RunRoute measures the ECDSA limit, starts wallets, hub and merchants, makes the routed
// payments, checks every wei and reports.
func RunRoute(ctx context.Context, opts RouteOptions) (RouteResult, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return RouteResult{}, fmt.Errorf("bench: %w", err)
	}
	o.progress("measuring ECDSA limit", 0, 1)
	key, err := crypto.GenerateKey()
	if err != nil {
		return RouteResult{}, fmt.Errorf("bench: %w", err)
	}
	limit, err := ECDSALimit(ctx, key, channel.Domain{ChainID: big.NewInt(devchain.ChainID)}, o.ECDSATime)
	if err != nil {
		return RouteResult{}, err
	}
	c, err := newRouteCluster(ctx, o)
	if err != nil {
		return RouteResult{}, err
	}
	defer func() { _ = c.close() }()

	before, err := c.balances(ctx)
	if err != nil {
		return RouteResult{}, err
	}
	signsBefore := c.signs.n.Load()
	statsBefore := c.stats()
	cpuBefore := cpuTime()
	lat, elapsed, err := runRouteLoad(ctx, c, o)
	if err != nil {
		return RouteResult{}, err
	}
	signs := c.signs.n.Load() - signsBefore
	cpu := cpuTime() - cpuBefore
	statsAfter := c.stats()
	// The hub's unlocks to the merchants may trail the payers' by a moment.
	if err := c.settled(ctx); err != nil {
		return RouteResult{}, err
	}
	after, err := c.balances(ctx)
	if err != nil {
		return RouteResult{}, err
	}
	res, err := newRouteResult(o, lat, elapsed, limit, signs, cpu, before, after)
	if err != nil {
		return res, err
	}
	res.setFsyncs(statsBefore, statsAfter)
	if o.AfterPayments != nil {
		if err := o.AfterPayments(); err != nil {
			return RouteResult{}, err
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.HeapInuseBytes, res.RSSBytes = ms.HeapInuse, rss()
	return res, nil
}
