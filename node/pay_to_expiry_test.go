package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/routing"
	"github.com/sluicepay/sluice/store"
)

// staleViewChain is a chain whose follower (the watcher: Latest) stays at one header while
// frozen, as a node's view does between a jump in chain time and its next poll (or while
// its RPC answers slowly). Head, what freshChainNow reads, goes to the chain.
type staleViewChain struct {
	Chain
	frozen atomic.Pointer[follow.Header]
}

func (c *staleViewChain) Latest(ctx context.Context) (follow.Header, error) {
	if h := c.frozen.Load(); h != nil {
		return *h, nil
	}
	return c.Chain.Latest(ctx)
}

func (c *staleViewChain) freeze(t *testing.T) {
	t.Helper()
	h, err := c.Chain.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c.frozen.Store(&h)
}

// payToNet is wallet -> hub -> merchant with the wallet knowing the hub's channel to the
// merchant; the hub is the only route.
type payToNet struct {
	wallet, hub, merchant *Node
	ch1, ch2              [32]byte
	m1, m2                *model
}

func newPayToNet(t *testing.T, tn *testNet, wallet, hub *Node) *payToNet {
	t.Helper()
	fast := RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}
	merchant := tn.startNode(2, nodeOpts{routing: fast})
	const deposit = 10_000_000
	ch1 := openChannel(t, wallet, hub, big.NewInt(deposit), nil, time.Hour)
	ch2 := openChannel(t, hub, merchant, big.NewInt(deposit), nil, time.Hour)
	waitFor(t, "the wallet learns the hub -> merchant channel", func() bool {
		_, ok := wallet.RoutingGraph().Edge(ch2, hub.signer.Address())
		return ok
	})
	return &payToNet{wallet: wallet, hub: hub, merchant: merchant, ch1: ch1, ch2: ch2,
		m1: newModel(ch1, wallet, hub, deposit), m2: newModel(ch2, hub, merchant, deposit)}
}

func (x *payToNet) pay(t *testing.T, amount int64) (PayToResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := PayToRequest{To: x.merchant.signer.Address(), Amount: big.NewInt(amount), SecretHash: invoice(t, x.merchant, amount).SecretHash}
	rand.Read(req.PaymentID[:])
	return x.wallet.PayTo(ctx, req)
}

// TestPayToFromALaggingChainViewPaysAtTheFirstCall: chain time jumps twice the reveal
// margin; the hub and the merchant see it, the wallet's watcher does not. The wallet's
// lock, priced from its old view, leaves the hub too little time: the hub refuses it
// (expiry). That is the payer's fault, not the hub's: PayTo reads the chain's head and
// pays over the same hub at once, instead of excluding its only hub ("no route").
func TestPayToFromALaggingChainViewPaysAtTheFirstCall(t *testing.T) {
	tn := newTestNet(t)
	lag := &staleViewChain{}
	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}, wrapChain: func(c Chain) Chain { lag.Chain = c; return lag }})
	hub := tn.startNode(1, nodeOpts{routing: RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}})
	x := newPayToNet(t, tn, wallet, hub)

	lag.freeze(t)
	stale := wallet.med.now.Load()
	if err := tn.chain.AdjustTime(2 * mediate.DefaultRevealMargin * time.Second); err != nil {
		t.Fatal(err)
	}
	_, head, err := lag.Chain.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub and the merchant see the jump", func() bool {
		return hub.med.now.Load() >= head && x.merchant.med.now.Load() >= head
	})
	time.Sleep(200 * time.Millisecond) // several of the wallet's polls
	if now := wallet.med.now.Load(); now != stale || now+mediate.DefaultRevealMargin >= head {
		t.Fatalf("the wallet's view %d moved (stale %d, head %d): the test lost its lag", now, stale, head)
	}

	res, err := x.pay(t, 1000)
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("pay from a lagging view: %+v %v", res, err)
	}
	if res.Attempts != 2 || len(res.Route.Hops) != 2 || res.Route.Hops[0].To != hub.signer.Address() {
		t.Fatalf("paid after %d attempts over %+v, want 2 over the hub", res.Attempts, res.Route.Hops)
	}
	if wallet.med.now.Load() < head {
		t.Fatalf("the wallet's chain time %d after the retry, head %d", wallet.med.now.Load(), head)
	}
	x.m1.pay(wallet.signer.Address(), hub.signer.Address(), 1000)
	x.m2.pay(hub.signer.Address(), x.merchant.signer.Address(), 1000)
	x.m1.eventually(t, "after the payment", wallet, hub)
	x.m2.eventually(t, "after the payment", hub, x.merchant)
}

// TestPayToExcludesAHopThatAlwaysRefusesAsTooShort: a hub that asks twice the margin the
// payer prices (an operator's policy, or a hub that refuses every lock as too short to
// make payers retry) is excluded after the one retry: PayTo neither loops nor leaves a lock
// behind, every balance is back, and the payment log says refused.
func TestPayToExcludesAHopThatAlwaysRefusesAsTooShort(t *testing.T) {
	tn := newTestNet(t)
	var hubLogs logBuffer
	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	hub := tn.startConfiguredNode(1, &hubLogs, func(c *Config) {
		c.RevealMargin = 2 * mediate.DefaultRevealMargin
		c.Routing = RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}
	})
	x := newPayToNet(t, tn, wallet, hub)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := PayToRequest{To: x.merchant.signer.Address(), Amount: big.NewInt(1000), SecretHash: invoice(t, x.merchant, 1000).SecretHash, MaxAttempts: 8}
	rand.Read(req.PaymentID[:])
	start := time.Now()
	res, err := wallet.PayTo(ctx, req)
	if err == nil || !errors.Is(err, routing.ErrNoRoute) || !errors.Is(err, ErrRouteRefused) {
		t.Fatalf("pay over a hub that always refuses: %+v %v, want no route after its refusal", res, err)
	}
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonExpiry || refused.FailedNode != hub.signer.Address() {
		t.Fatalf("last refusal %v, want the hub's expiry refusal", err)
	}
	if res.Attempts != 2 {
		t.Fatalf("%d attempts, want 2 (the lock and one retry from a fresh chain time)", res.Attempts)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("PayTo took %s", d)
	}
	lc := wallet.channel(x.ch1)
	lc.mu.Lock()
	locks, nonce := len(lc.st.Locks(lc.us)), lc.st.Nonce(lc.us)
	lc.mu.Unlock()
	if locks != 0 || nonce != 4 { // two locks, each cancelled
		t.Fatalf("the wallet holds %d locks at nonce %d, want none at 4 (two locks, two cancels)", locks, nonce)
	}
	x.m1.check(t, "after the refusals", wallet, hub)
	x.m2.check(t, "after the refusals", hub, x.merchant)
	// The log's write may still be queued when PayTo returns.
	var rec store.RoutedRecord
	waitFor(t, "the payment log records the outcome", func() bool {
		rec, err = wallet.RoutedPayment(ctx, req.PaymentID)
		return err == nil && rec.State.Final()
	})
	if rec.State != store.LockRefused || rec.Peer != x.merchant.signer.Address() {
		t.Fatalf("payment log: %+v, want refused", rec)
	}
}
