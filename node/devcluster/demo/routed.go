package demo

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/devcluster"
	"github.com/sluicepay/sluice/routing"
)

// The routed scene (issue 18): wallets pay merchants by address through a hub that
// charges a fee, on a cluster of its own (its own embedded chain, so its chain-time jumps
// and balances never touch the direct scene's). Then the failure cases: the hub goes
// offline holding a payment's locks and resolves them after its restart; a merchant never
// releases the secret and the locks expire on every hop; (with the on-chain claim) a
// channel closed with a pending lock whose secret is registered and unlocked on chain.
// Every wei is checked: what the wallets spent is what the merchants received plus the
// hub's fees, and every on-chain payout equals the ledgers.

// Routed roles: the routed cluster's node indices.
const (
	rHub = iota
	rCarol
	rDave
	rErin
	rShop
	rCafe
	routedNodes
)

var routedNames = [routedNodes]string{"hub", "carol", "dave", "erin", "shop", "cafe"}

var (
	routedWallets   = []int{rCarol, rDave, rErin}
	routedMerchants = []int{rShop, rCafe}
)

// The routed scene's parameters.
const (
	// routedRevealMargin is the seconds of chain time each hop keeps between its incoming
	// and outgoing lock expirations: short, so the demo's jump of chain time expires them.
	routedRevealMargin = 30
	routedPerWallet    = 4 // payments each wallet makes in the first stage
	routedPayTimeout   = 45 * time.Second
)

// routedFee is the hub's fee policy: 1000 wei + 2500 ppm (0.25%) of what it forwards.
func routedFee() routing.FeePolicy { return routing.FeePolicy{Flat: big.NewInt(1000), PPM: 2500} }

// routedRun is the routed scene in progress.
type routedRun struct {
	cfg   Config
	c     *devcluster.Cluster
	rep   *Report // checks go into the demo's one report
	out   *RoutedReport
	start time.Time
	chans map[int]channel.ID // each wallet's and merchant's channel with the hub
	// tally guards paid and spent: the wallets pay concurrently.
	tally sync.Mutex
	// paid is the demo's own tally: per channel, what each address paid over it.
	paid     map[channel.ID]map[common.Address]*big.Int
	spent    [routedNodes]*big.Int // wallets: amounts plus fees; merchants: received; hub: fees earned
	baseline uint64                // the block before the first channel operation
	before   [routedNodes]*big.Int // ETH balances at baseline
	claim    *claimOutcome         // the on-chain claim scene's result (nil: not played)
	// withhold holds back each merchant's secret reveals while set (routed_gate.go).
	withhold [routedNodes]atomic.Bool
}

// routed plays the routed scene on a cluster of its own and adds its checks to the report.
func (r *run) routed(ctx context.Context) error {
	rr := newRoutedRun(r.cfg, r.rep, r.start)
	c, err := rr.startCluster(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := rr.play(ctx); err != nil {
		return err
	}
	rr.stage("routed scene: verifying every wei against the ledgers and the chain")
	return rr.verify(ctx)
}

func newRoutedRun(cfg Config, rep *Report, start time.Time) *routedRun {
	rr := &routedRun{cfg: cfg, rep: rep, out: &RoutedReport{}, start: start,
		chans: map[int]channel.ID{}, paid: map[channel.ID]map[common.Address]*big.Int{}}
	rep.Routed = rr.out
	for i := range rr.spent {
		rr.spent[i] = new(big.Int)
	}
	return rr
}

// startCluster starts the routed scene's chain and nodes; the caller closes it.
func (rr *routedRun) startCluster(ctx context.Context) (*devcluster.Cluster, error) {
	fee := routedFee()
	rr.out.HubFee = fee.String()
	rr.out.RevealMargin = routedRevealMargin
	rr.stage("routed scene: starting a second embedded chain with a hub (fee %s, reveal margin %ds), 3 wallets (carol, dave, erin) and 2 merchants (shop, cafe)", fee, routedRevealMargin)
	c, err := devcluster.New(ctx, devcluster.Options{Nodes: routedNodes, Logger: rr.cfg.Logger, BaseDir: rr.cfg.BaseDir, Configure: rr.configure})
	rr.c = c
	return c, err
}

// configure gives the hub its fee policy, every node the short reveal margin, and keeps
// the wallets' channels out of gossip (they do not forward). Announcements are paced fast
// so the wallets learn the hub's channels within the demo's seconds. The merchants'
// transports pass through a gate that can hold back their secret reveals.
func (rr *routedRun) configure(i int, c *node.Config) {
	c.RevealMargin = routedRevealMargin
	c.Routing = node.RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}
	switch i {
	case rHub:
		c.Routing.Fees = routedFee()
	case rCarol, rDave, rErin:
		c.Routing.NoAnnounce = true
	case rShop, rCafe:
		hold := &rr.withhold[i]
		c.WrapTransport = func(t node.Transport) node.Transport { return revealGate{Transport: t, hold: hold} }
	}
}

func (rr *routedRun) stage(format string, args ...any) {
	rr.cfg.Progress(fmt.Sprintf("[%6.2fs] ", time.Since(rr.start).Seconds()) + fmt.Sprintf(format, args...))
}

func (rr *routedRun) node(role int) *node.Node        { return rr.c.Node(role) }
func (rr *routedRun) address(role int) common.Address { return rr.c.Member(role).Address }
func (rr *routedRun) check(name string, ok bool, f string, a ...any) {
	rr.rep.check("routed: "+name, ok, f, a...)
}

// play opens the channels, makes the routed payments and plays the failure cases.
func (rr *routedRun) play(ctx context.Context) error {
	head, err := rr.c.Funder().Head(ctx)
	if err != nil {
		return err
	}
	rr.baseline = head.Number
	if err := rr.snapshot(ctx); err != nil {
		return err
	}
	rr.stage("each wallet opens a 1 ETH channel to the hub; the hub opens a 2 ETH channel to each merchant")
	for _, w := range routedWallets {
		if rr.chans[w], err = rr.c.OpenChannel(ctx, w, rHub, common.Address{}, ether(1), nil, challenge); err != nil {
			return err
		}
	}
	for _, m := range routedMerchants {
		if rr.chans[m], err = rr.c.OpenChannel(ctx, rHub, m, common.Address{}, ether(2), nil, challenge); err != nil {
			return err
		}
	}
	for id := range rr.channelSet() {
		rr.paid[id] = map[common.Address]*big.Int{}
	}
	if err := rr.awaitGraph(ctx); err != nil {
		return err
	}
	if err := rr.payments(ctx); err != nil {
		return err
	}
	if err := rr.hubOffline(ctx); err != nil {
		return err
	}
	if err := rr.neverReleased(ctx); err != nil {
		return err
	}
	if err := rr.closedWithLocks(ctx); err != nil {
		return err
	}
	if err := rr.checkLedgers(ctx); err != nil {
		return err
	}
	return rr.settleAll(ctx)
}

// channelSet is the scene's channels, by role of the hub's partner.
func (rr *routedRun) channelSet() map[channel.ID]int {
	out := map[channel.ID]int{}
	for role, id := range rr.chans {
		out[id] = role
	}
	return out
}

// awaitGraph waits until every wallet knows the hub's channel to every merchant.
func (rr *routedRun) awaitGraph(ctx context.Context) error {
	rr.stage("the hub announces its merchant channels with its fee; waiting until every wallet's routing graph has them")
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for _, w := range routedWallets {
		for _, m := range routedMerchants {
			err := devcluster.WaitFor(wctx, fmt.Sprintf("%s learns hub->%s", routedNames[w], routedNames[m]), func() (bool, error) {
				_, ok := rr.node(w).RoutingGraph().Edge(rr.chans[m], rr.address(rHub))
				return ok, nil
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// pay is the scene's one payment call: payer pays amount to payee by address, through
// the routing graph, for at most maxFee (nil: no bound), against the payee's invoice.
func (rr *routedRun) pay(ctx context.Context, payer, payee int, amount, maxFee *big.Int, hash [32]byte) (node.PayToResult, error) {
	ctx, cancel := context.WithTimeout(ctx, routedPayTimeout)
	defer cancel()
	return rr.node(payer).PayTo(ctx, node.PayToRequest{To: rr.address(payee), Amount: amount, MaxFee: maxFee, SecretHash: hash})
}

// invoice asks the payee's node for an invoice of amount (its secret stays there).
func (rr *routedRun) invoice(ctx context.Context, payee int, amount *big.Int) ([32]byte, error) {
	inv, err := rr.node(payee).NewInvoice(ctx, amount)
	if err != nil {
		return [32]byte{}, fmt.Errorf("demo: invoice of %s: %w", routedNames[payee], err)
	}
	return inv.SecretHash, nil
}

// book records a finished routed payment: payer paid amount+fee to the hub, the hub paid
// amount to the payee and kept fee.
func (rr *routedRun) book(payer, payee int, amount, fee *big.Int) {
	rr.tally.Lock()
	defer rr.tally.Unlock()
	total := new(big.Int).Add(amount, fee)
	rr.add(rr.chans[payer], rr.address(payer), total)
	rr.add(rr.chans[payee], rr.address(rHub), amount)
	rr.spent[payer].Add(rr.spent[payer], total)
	rr.spent[payee].Add(rr.spent[payee], amount)
	rr.spent[rHub].Add(rr.spent[rHub], fee)
}

func (rr *routedRun) add(id channel.ID, by common.Address, amount *big.Int) {
	if rr.paid[id][by] == nil {
		rr.paid[id][by] = new(big.Int)
	}
	rr.paid[id][by].Add(rr.paid[id][by], amount)
}

// routedAmount draws a payment amount from rng: 0.001 to 0.01 ETH plus some odd wei, so
// the fee's rounding up shows.
func routedAmount(rng *rand.Rand) *big.Int {
	milli := new(big.Int).Mul(big.NewInt(1+rng.Int64N(10)), big.NewInt(1_000_000_000_000_000))
	return milli.Add(milli, big.NewInt(rng.Int64N(1_000_000)))
}
