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
// frozen, as a node's view does between a jump in chain time and its next poll. Head, what
// PayTo and freshChainNow read, goes to the chain, except for the next staleHeads reads,
// answered from the frozen header too (an RPC that answered from a lagging backend).
type staleViewChain struct {
	Chain
	frozen     atomic.Pointer[follow.Header]
	staleHeads atomic.Int32
}

func (c *staleViewChain) Latest(ctx context.Context) (follow.Header, error) {
	if h := c.frozen.Load(); h != nil {
		return *h, nil
	}
	return c.Chain.Latest(ctx)
}

func (c *staleViewChain) Head(ctx context.Context) (uint64, uint64, error) {
	if h := c.frozen.Load(); h != nil && c.staleHeads.Add(-1) >= 0 {
		return h.Number, h.Time, nil
	}
	return c.Chain.Head(ctx)
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

// laggingPayer is wallet -> hub -> merchant after chain time jumped by jump: the hub and
// the merchant saw it, the wallet's watcher did not, and the wallet's next staleHeads
// reads of the head answer from before the jump too.
func laggingPayer(t *testing.T, jump time.Duration, staleHeads int32) (*payToNet, uint64) {
	t.Helper()
	tn := newTestNet(t)
	lag := &staleViewChain{}
	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}, wrapChain: func(c Chain) Chain { lag.Chain = c; return lag }})
	hub := tn.startNode(1, nodeOpts{routing: RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}})
	x := newPayToNet(t, tn, wallet, hub)

	lag.freeze(t)
	lag.staleHeads.Store(staleHeads)
	time.Sleep(200 * time.Millisecond) // a poll in flight at the freeze may still raise the view
	stale := wallet.med.now.Load()
	if err := tn.chain.AdjustTime(jump); err != nil {
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
	if now := wallet.med.now.Load(); now != stale || now+uint64(jump/time.Second) > head {
		t.Fatalf("the wallet's view %d moved (stale %d, head %d): the test lost its lag", now, stale, head)
	}
	return x, head
}

func (x *payToNet) paidOverTheHub(t *testing.T, res PayToResult, err error, attempts int) {
	t.Helper()
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("pay from a lagging view: %+v %v", res, err)
	}
	if res.Attempts != attempts || len(res.Route.Hops) != 2 || res.Route.Hops[0].To != x.hub.signer.Address() {
		t.Fatalf("paid after %d attempts over %+v, want %d over the hub", res.Attempts, res.Route.Hops, attempts)
	}
	x.m1.pay(x.wallet.signer.Address(), x.hub.signer.Address(), res.Payment.Lock.Amount.Int64())
	x.m2.pay(x.hub.signer.Address(), x.merchant.signer.Address(), res.Route.Amount.Int64())
	x.m1.eventually(t, "after the payment", x.wallet, x.hub)
	x.m2.eventually(t, "after the payment", x.hub, x.merchant)
}

// TestPayToRetriesTheSameHubAfterAnExpiryRefusalFromALaggingView: chain time jumps twice
// the reveal margin; the hub and the merchant see it, the wallet's watcher and its first
// read of the head do not. The wallet's lock, priced from before the jump, leaves the hub
// too little time: the hub refuses it (expiry). That is the payer's fault, not the hub's:
// PayTo reads the head again and pays over the same hub at once, instead of excluding its
// only hub ("no route").
func TestPayToRetriesTheSameHubAfterAnExpiryRefusalFromALaggingView(t *testing.T) {
	x, head := laggingPayer(t, 2*mediate.DefaultRevealMargin*time.Second, 1)
	res, err := x.pay(t, 1000)
	x.paidOverTheHub(t, res, err, 2)
	if x.wallet.med.now.Load() < head {
		t.Fatalf("the wallet's chain time %d after the retry, head %d", x.wallet.med.now.Load(), head)
	}
}

// TestPayToFromALaggingChainViewPaysAtTheFirstCall: chain time jumps past the whole life
// of the lock the wallet would price from its watcher's view (three margins for two hops,
// as the demo's 92 s jump past 90 s). Such a lock is already expired for the hub, whose
// channel rules reject the proof adding it; the wallet counts that proof as sent and the
// channel was stuck a nonce apart for good (every later payment timed out). PayTo prices
// from its own read of the head: the payment goes through at the first attempt, and so
// does the next one.
func TestPayToFromALaggingChainViewPaysAtTheFirstCall(t *testing.T) {
	x, head := laggingPayer(t, 3*mediate.DefaultRevealMargin*time.Second+5*time.Second, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := PayToRequest{To: x.merchant.signer.Address(), Amount: big.NewInt(1000), SecretHash: invoice(t, x.merchant, 1000).SecretHash}
	rand.Read(req.PaymentID[:])
	res, err := x.wallet.PayTo(ctx, req)
	x.paidOverTheHub(t, res, err, 1)
	if x.wallet.med.now.Load() < head {
		t.Fatalf("the wallet's chain time %d after the payment, head %d", x.wallet.med.now.Load(), head)
	}
	res, err = x.pay(t, 2000)
	x.paidOverTheHub(t, res, err, 1)
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

// TestPayToRetriesOnceWhenThePayeeFindsTheLockTooLate: the wallet and the hub both lag a
// jump of one and a half margins (the wallet's first read of the head too); the merchant
// does not. The hub forwards a lock that reaches the merchant with less than a margin left,
// and the merchant refuses it (too_late). The cause is the same stale time, so the same
// route goes again, priced from a fresh read, once, and the merchant is paid.
func TestPayToRetriesOnceWhenThePayeeFindsTheLockTooLate(t *testing.T) {
	tn := newTestNet(t)
	wlag, hlag := &staleViewChain{}, &staleViewChain{}
	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}, wrapChain: func(c Chain) Chain { wlag.Chain = c; return wlag }})
	hub := tn.startNode(1, nodeOpts{wrapChain: func(c Chain) Chain { hlag.Chain = c; return hlag },
		routing: RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}})
	x := newPayToNet(t, tn, wallet, hub)
	wlag.freeze(t)
	hlag.freeze(t)
	wlag.staleHeads.Store(1)
	hlag.staleHeads.Store(1 << 30)
	if err := tn.chain.AdjustTime(3 * mediate.DefaultRevealMargin * time.Second / 2); err != nil {
		t.Fatal(err)
	}
	_, head, err := wlag.Chain.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the merchant sees the jump", func() bool { return x.merchant.med.now.Load() >= head })
	res, err := x.pay(t, 1000)
	x.paidOverTheHub(t, res, err, 2)
}

// headCountingChain counts reads of the chain head (what PayTo reads before it locks).
type headCountingChain struct {
	Chain
	heads atomic.Int32
}

func (c *headCountingChain) Head(ctx context.Context) (uint64, uint64, error) {
	c.heads.Add(1)
	return c.Chain.Head(ctx)
}

// TestPayToSharesItsChainHeadReads: a wallet paying many times at once asks its RPC for
// the chain head once per headReuse, not once per payment (an RPC provider rate-limits a
// wallet that makes thousands of payments a second); a payment after that window reads
// the head again.
func TestPayToSharesItsChainHeadReads(t *testing.T) {
	tn := newTestNet(t)
	count := &headCountingChain{}
	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}, wrapChain: func(c Chain) Chain { count.Chain = c; return count }})
	hub := tn.startNode(1, nodeOpts{routing: RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}})
	x := newPayToNet(t, tn, wallet, hub)
	time.Sleep(headReuse) // reads made while the net was set up are out of the window
	const payments = 16
	before := count.heads.Load()
	errs := make(chan error, payments)
	for range payments {
		go func() {
			res, err := x.pay(t, 1000)
			if err == nil && !res.Payment.Unlocked {
				err = errors.New("not unlocked")
			}
			errs <- err
		}()
	}
	for range payments {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if reads := count.heads.Load() - before; reads < 1 || reads > 3 {
		t.Fatalf("%d concurrent payments read the chain head %d times; want 1 to 3", payments, reads)
	}
	time.Sleep(headReuse + 100*time.Millisecond)
	before = count.heads.Load()
	if _, err := x.pay(t, 1000); err != nil {
		t.Fatal(err)
	}
	if reads := count.heads.Load() - before; reads != 1 {
		t.Fatalf("a payment after the reuse window read the head %d times, want 1", reads)
	}
}
