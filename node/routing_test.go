package node

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/routing"
)

// TestRoutingWalletQuotesTwoHopRouteThroughHub runs three real nodes (embedded chain, real
// libp2p, real leveldb): wallet -- hub -- merchant. The hub announces with a fee; the
// wallet, which announces nothing, learns both channels over gossip and quotes the 2-hop
// route with the exact fee; a maxFee one wei short is fee_too_high, a stranger no_route.
func TestRoutingWalletQuotesTwoHopRouteThroughHub(t *testing.T) {
	tn := newTestNet(t)
	hubFees := routing.FeePolicy{Flat: big.NewInt(1000), PPM: 2500}
	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	// Graph sync brings what was announced before a peer connected; the fast pacing keeps
	// this test about gossip of changes.
	fast := RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}
	hubRouting := fast
	hubRouting.Fees = hubFees
	hub := tn.startNode(1, nodeOpts{routing: hubRouting})
	mlogs := &logBuffer{}
	var merchant *Node
	merchant = tn.startNode(2, nodeOpts{logs: mlogs, routing: fast})
	defer func() {
		if t.Failed() {
			for _, n := range []*Node{wallet, hub, merchant} {
				n.routing.mu.Lock()
				if n.routing.svc != nil {
					t.Logf("%s topic peers %v stats %+v", n.signer.Address(), n.routing.svc.TopicPeers(), n.routing.svc.Stats())
				}
				n.routing.mu.Unlock()
			}
			mlogs.mu.Lock()
			t.Log(mlogs.buf.String())
			mlogs.mu.Unlock()
		}
	}()
	walletAddr, hubAddr, merchantAddr := wallet.signer.Address(), hub.signer.Address(), merchant.signer.Address()

	ch1 := openChannel(t, wallet, hub, eth(10), eth(1), time.Hour)
	ch2 := openChannel(t, hub, merchant, eth(10), nil, time.Hour)

	g := wallet.RoutingGraph()
	waitFor(t, "the wallet learns the hub's side of both channels over gossip", func() bool {
		_, ok1 := g.Edge(ch1, hubAddr)
		_, ok2 := g.Edge(ch2, hubAddr)
		return ok1 && ok2
	})
	e2, _ := g.Edge(ch2, hubAddr)
	if e2.To != merchantAddr || !e2.Fee.Equal(hubFees) || e2.Capacity.Cmp(routing.Bucket(eth(10))) != 0 {
		t.Fatalf("hub -> merchant edge as learned: to %s fee %s capacity %s; want %s, %s, bucket %s", e2.To, e2.Fee, e2.Capacity, merchantAddr, hubFees, routing.Bucket(eth(10)))
	}
	// The merchant announces by default; the wallet does not: once the merchant's
	// announcement (sent after the wallet's channel opened) reached the hub, a wallet
	// announcement would have too.
	waitFor(t, "the hub learns the merchant's side", func() bool { _, ok := hub.RoutingGraph().Edge(ch2, merchantAddr); return ok })
	if _, ok := hub.RoutingGraph().Edge(ch1, walletAddr); ok {
		t.Fatal("the wallet runs with NoAnnounce, yet the hub holds an announcement of its side")
	}
	// A node's own edges are exact, not the announced bucket.
	if own, ok := hub.RoutingGraph().Edge(ch2, hubAddr); !ok || own.Capacity.Cmp(eth(10)) != 0 {
		t.Fatalf("hub's own edge over %s: %v %v; want exact capacity %s", ch2, own.Capacity, ok, eth(10))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	amount := big.NewInt(1_000_001)
	wantFee := big.NewInt(1000 + 2501) // flat + ceil(1,000,001 * 2500 / 1e6) = ceil(2500.0025)
	r, err := wallet.QuoteRoute(ctx, RouteRequest{To: merchantAddr, Amount: amount})
	if err != nil {
		t.Fatalf("quote: %v", err)
	}
	wantTotal := new(big.Int).Add(amount, wantFee)
	if len(r.Hops) != 2 || r.Fee.Cmp(wantFee) != 0 || r.Total.Cmp(wantTotal) != 0 || r.Amount.Cmp(amount) != 0 {
		t.Fatalf("route: %d hops, fee %s, total %s, amount %s; want 2 hops, fee %s, total %s", len(r.Hops), r.Fee, r.Total, r.Amount, wantFee, wantTotal)
	}
	h0, h1 := r.Hops[0], r.Hops[1]
	if h0.Channel != ch1 || h0.From != walletAddr || h0.To != hubAddr || h0.Fee.Sign() != 0 || h0.Amount.Cmp(wantTotal) != 0 {
		t.Fatalf("first hop %+v; want %s wallet -> hub carrying %s, no fee", h0, ch1, wantTotal)
	}
	if h1.Channel != ch2 || h1.From != hubAddr || h1.To != merchantAddr || h1.Fee.Cmp(wantFee) != 0 || h1.Amount.Cmp(amount) != 0 {
		t.Fatalf("second hop %+v; want %s hub -> merchant carrying %s, fee %s", h1, ch2, amount, wantFee)
	}

	if _, err := wallet.QuoteRoute(ctx, RouteRequest{To: merchantAddr, Amount: amount, MaxFee: wantFee}); err != nil {
		t.Fatalf("quote with maxFee = the fee: %v", err)
	}
	_, err = wallet.QuoteRoute(ctx, RouteRequest{To: merchantAddr, Amount: amount, MaxFee: new(big.Int).Sub(wantFee, big.NewInt(1))})
	var high *routing.FeeTooHighError
	if !errors.Is(err, routing.ErrFeeTooHigh) || !errors.As(err, &high) || high.Fee.Cmp(wantFee) != 0 {
		t.Fatalf("quote with maxFee one wei short: %v; want fee too high, cheapest %s", err, wantFee)
	}
	stranger := common.HexToAddress("0x00000000000000000000000000000000000b0b0b")
	if _, err := wallet.QuoteRoute(ctx, RouteRequest{To: stranger, Amount: amount}); !errors.Is(err, routing.ErrNoRoute) {
		t.Fatalf("quote to a stranger: %v; want no route", err)
	}
	// More than the wallet's channel can carry with the fee: no route.
	if _, err := wallet.QuoteRoute(ctx, RouteRequest{To: merchantAddr, Amount: eth(10)}); !errors.Is(err, routing.ErrNoRoute) {
		t.Fatalf("quote above the first hop's capacity: %v; want no route", err)
	}
	for _, bad := range []RouteRequest{{To: merchantAddr}, {To: merchantAddr, Amount: big.NewInt(0)}, {To: walletAddr, Amount: amount}, {To: merchantAddr, Amount: amount, MaxFee: big.NewInt(-1)}} {
		if _, err := wallet.QuoteRoute(ctx, bad); !errors.Is(err, channel.ErrInvalidAmount) && !errors.Is(err, channel.ErrInvalidParams) {
			t.Fatalf("quote %+v: %v; want invalid params", bad, err)
		}
	}

	// A payment moves the wallet's exact first hop at once: the quote is for what is left.
	mustPay(t, wallet, ch1, 5)
	if _, err := wallet.QuoteRoute(ctx, RouteRequest{To: merchantAddr, Amount: amount}); err != nil {
		t.Fatalf("quote after a payment: %v", err)
	}
	own, _ := g.Edge(ch1, walletAddr)
	if want := new(big.Int).Sub(eth(10), big.NewInt(5)); own.Capacity.Cmp(want) != 0 {
		t.Fatalf("wallet's own edge after paying 5: %s; want %s", own.Capacity, want)
	}
}

// TestRoutingCloseRemovesChannelFromGraph: a channel the chain sees close leaves the graph.
func TestRoutingCloseRemovesChannelFromGraph(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(0, nodeOpts{})
	b := tn.startNode(1, nodeOpts{})
	id := openChannel(t, a, b, eth(1), nil, time.Hour)
	waitFor(t, "own edge in the graph", func() bool { _, ok := a.RoutingGraph().Edge(id, a.signer.Address()); return ok })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := a.CloseChannel(ctx, id, true); err != nil {
		t.Fatalf("close: %v", err)
	}
	waitFor(t, "the closed channel leaves the graph", func() bool { _, ok := a.RoutingGraph().Edge(id, a.signer.Address()); return !ok })
	if _, err := a.QuoteRoute(ctx, RouteRequest{To: b.signer.Address(), Amount: big.NewInt(1)}); !errors.Is(err, routing.ErrNoRoute) {
		t.Fatalf("quote over a closed channel: %v; want no route", err)
	}
}

// TestRoutingFreshWalletLearnsTheGraphOnConnect: the hub and merchant announce (default
// pacing: the next refresh is 30 minutes away) before the wallet exists; gossipsub does not
// replay, so the wallet learns the hub's channel to the merchant by graph sync when it
// connects to open its channel, and quotes through the hub at once.
func TestRoutingFreshWalletLearnsTheGraphOnConnect(t *testing.T) {
	tn := newTestNet(t)
	hubFees := routing.FeePolicy{Flat: big.NewInt(1000), PPM: 2500}
	hub := tn.startNode(1, nodeOpts{routing: RoutingConfig{Fees: hubFees}})
	merchant := tn.startNode(2, nodeOpts{})
	hubAddr, merchantAddr := hub.signer.Address(), merchant.signer.Address()
	ch2 := openChannel(t, hub, merchant, eth(10), nil, time.Hour)
	defer func() {
		if t.Failed() {
			for _, n := range []*Node{hub, merchant} {
				n.routing.mu.Lock()
				if n.routing.svc != nil {
					t.Logf("%s topic peers %v stats %+v", n.signer.Address(), n.routing.svc.TopicPeers(), n.routing.svc.Stats())
				}
				n.routing.mu.Unlock()
			}
		}
	}()
	waitFor(t, "the merchant hears the hub's announcement", func() bool { _, ok := merchant.RoutingGraph().Edge(ch2, hubAddr); return ok })

	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	openChannel(t, wallet, hub, eth(1), nil, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	amount := big.NewInt(1_000_000)
	for {
		r, err := wallet.QuoteRoute(ctx, RouteRequest{To: merchantAddr, Amount: amount})
		if err == nil {
			if len(r.Hops) != 2 || r.Hops[1].From != hubAddr || r.Fee.Cmp(hubFees.Fee(amount)) != 0 {
				t.Fatalf("route %+v, want wallet -> hub -> merchant with the hub's fee", r.Hops)
			}
			break
		}
		if time.Since(start) > time.Second {
			t.Fatalf("no route through the hub a second after the channel opened: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
