package main

// Routed payments end to end (issue 18's acceptance, docs/e2e.md): real `sluice node`
// processes on the pinned Anvil, paying through hubs with `sluice pay --to` and
// sluice_pay({to}); every balance and every hop's fee checked to the wei against the fee
// formula (e2e_routed_helpers_test.go).

import (
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/api"
)

// TestE2ERoutedTwoAndThreeHops: wallet -> hub1 -> shop (2 hops) and wallet -> hub1 ->
// hub2 -> mall (3 hops), several payments each, through the CLI and the API. Each hop
// carries and keeps exactly what the fee formula says, every node's view of every channel
// ends at the model's balances with no lock left, and each hub's ledger gained exactly
// its fees.
func TestE2ERoutedTwoAndThreeHops(t *testing.T) {
	t.Parallel()
	t0 := time.Now()
	r := newRoutedNet(t, 30*time.Second)
	hub1 := r.hub(t, "hub1", 1, feeModel{flat: 1000, ppm: 2500})
	hub2 := r.hub(t, "hub2", 2, feeModel{flat: 7, ppm: 1234})
	shop := r.wallet(t, "shop", 3)
	mall := r.wallet(t, "mall", 4)
	wallet := r.wallet(t, "wallet", 5)
	r.open(t, wallet, hub1, ether(2))
	r.open(t, hub1, hub2, ether(2))
	r.open(t, hub1, shop, ether(1))
	r.open(t, hub2, mall, ether(1))
	cl := r.client(t, wallet)
	two, three := []*e2eNode{wallet, hub1, shop}, []*e2eNode{wallet, hub1, hub2, mall}
	waitRoute(t, cl, two, big.NewInt(1))
	waitRoute(t, cl, three, big.NewInt(1))
	t.Logf("5 nodes, 4 channels, routes learnt in %s", time.Since(t0).Round(time.Millisecond))

	payments := []struct {
		path   []*e2eNode
		amount *big.Int
		cli    bool
	}{
		{two, big.NewInt(1_000_000_000_000_003), true},
		{three, big.NewInt(999_999_999_999_999), true},
		{two, big.NewInt(1), false},
		{three, big.NewInt(123_456_789), false},
		{three, new(big.Int).Div(ether(1), big.NewInt(10)), false},
		{two, big.NewInt(400_000_000_000_000_001), false},
	}
	for i, pt := range payments {
		payee := pt.path[len(pt.path)-1]
		m := r.model(pt.path, pt.amount)
		hash := payeeInvoice(t, payee, pt.amount)
		var p api.Payment
		var err error
		start := time.Now()
		if pt.cli {
			p, _, err = payCLI(wallet, payee, hash, pt.amount, m.sum)
		} else {
			p, err = payAPI(cl, payee, hash, pt.amount, m.sum, 30*time.Second)
		}
		if err != nil {
			t.Fatalf("payment %d of %s through %s (fee %s): %v", i, pt.amount, names(pt.path), m.sum, err)
		}
		t.Logf("payment %d: %s through %s, fee %s, %s", i, pt.amount, names(pt.path), m.sum, time.Since(start).Round(time.Millisecond))
		r.checkQuote(t, pt.path, m, pt.amount, p)
		r.apply(t, pt.path, m)
		r.checkBalances(t, fmt.Sprintf("after payment %d", i))
	}
}

// TestE2ERoutedMaxFeeTooLowLocksNothing: a maxFee one wei below the route's fee is
// refused with fee_too_high (-32029, exit 1 from the CLI) before anything is signed: every
// node's view of every channel keeps its nonces, balances and empty lock sets. The same
// payment with maxFee equal to the fee then goes through.
func TestE2ERoutedMaxFeeTooLowLocksNothing(t *testing.T) {
	t.Parallel()
	l := newLine(t, 30*time.Second, time.Hour, feeModel{flat: 1000, ppm: 2500})
	l.pay(t, big.NewInt(5_000_000_000_000_007))
	l.checkBalances(t, "after the first payment")
	before := l.nonces(t)

	amount := big.NewInt(70_000_000_000_000_001)
	m := l.model(l.path, amount)
	below := new(big.Int).Sub(m.sum, big.NewInt(1))
	hash := payeeInvoice(t, l.shop, amount)
	_, res, err := payCLI(l.wallet, l.shop, hash, amount, below)
	if err == nil || res.code != exitFailure || !strings.Contains(res.stderr, "fee") {
		t.Fatalf("sluice pay --to with --max-fee %s below the fee %s: exit %d, err %v\nstdout: %s\nstderr: %s", below, m.sum, res.code, err, res.stdout, res.stderr)
	}
	for _, maxFee := range []*big.Int{below, big.NewInt(0)} {
		p, err := payAPI(l.cl, l.shop, hash, amount, maxFee, 30*time.Second)
		if apiCode(err) != api.CodeFeeTooHigh {
			t.Fatalf("sluice_pay with maxFee %s below the fee %s: %+v, %v; want fee_too_high (%d)", maxFee, m.sum, p, err, api.CodeFeeTooHigh)
		}
	}
	if after := l.nonces(t); !reflect.DeepEqual(before, after) {
		t.Fatalf("a payment refused for its fee changed proofs: nonces before %v, after %v", before, after)
	}
	l.checkBalances(t, "after the refusals")

	p, err := payAPI(l.cl, l.shop, hash, amount, m.sum, 30*time.Second)
	if err != nil {
		t.Fatalf("the same payment with maxFee equal to the fee %s: %v", m.sum, err)
	}
	l.checkQuote(t, l.path, m, amount, p)
	l.apply(t, l.path, m)
	l.checkBalances(t, "after the payment within maxFee")
}

// TestE2ERoutedSecondRouteWhenFirstLacksCapacity: the wallet reaches the shop through a
// cheap hub1 and a dear hub2. A first payment takes most of hub1's channel to the shop;
// hub1's new capacity is not announced yet (an announcement per channel per 30 s), so the
// wallet's graph still prices the cheap route for a second payment it cannot carry.
// hub1 refuses at once, its lock is cancelled, and the wallet pays through hub2 well
// before any lock could expire: the payment's route is hub2's, every hop's fee the
// formula's, hub1 gets nothing for it and holds no lock, and every balance is exact.
// (Needs the fast refusal and retry of issue 18's cancel work.)
func TestE2ERoutedSecondRouteWhenFirstLacksCapacity(t *testing.T) {
	t.Parallel()
	margin := time.Minute
	r := newRoutedNet(t, margin)
	hub1 := r.hub(t, "hub1", 1, feeModel{flat: 10, ppm: 100})
	hub2 := r.hub(t, "hub2", 2, feeModel{flat: 20_000, ppm: 1000})
	shop := r.wallet(t, "shop", 3)
	wallet := r.wallet(t, "wallet", 4)
	r.open(t, wallet, hub1, ether(2))
	r.open(t, wallet, hub2, ether(2))
	r.open(t, hub2, shop, ether(2))
	cl := r.client(t, wallet)
	cheap, dear := []*e2eNode{wallet, hub1, shop}, []*e2eNode{wallet, hub2, shop}
	amount := new(big.Int).Div(ether(6), big.NewInt(10))
	waitRoute(t, cl, dear, amount)
	// Last: hub1's announcement of this channel starts its 30 s window now.
	r.open(t, hub1, shop, ether(1))
	waitRoute(t, cl, cheap, amount)

	m := r.model(cheap, amount)
	p, err := payAPI(cl, shop, payeeInvoice(t, shop, amount), amount, nil, 30*time.Second)
	if err != nil {
		t.Fatalf("first payment through hub1: %v", err)
	}
	r.checkQuote(t, cheap, m, amount, p)
	r.apply(t, cheap, m)

	// hub1 can now send the shop 0.4 ETH; the wallet's graph still says about 0.94.
	if q, err := quote(cl, shop, amount); err != nil || len(q.Hops) != 2 || q.Hops[1].From != hub1.acc.addr {
		t.Fatalf("scenario not reached: the wallet's quote for the second payment is %+v (%v), not hub1's stale route", q, err)
	}
	m = r.model(dear, amount)
	start := time.Now()
	p, err = payAPI(cl, shop, payeeInvoice(t, shop, amount), amount, nil, 20*time.Second)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("second payment (hub1 lacks capacity, hub2 has it) failed after %s: %v", took.Round(time.Millisecond), err)
	}
	t.Logf("second payment through %s after hub1 refused: %s", names(dear), took.Round(time.Millisecond))
	if took >= margin {
		t.Fatalf("second payment took %s, not well within the reveal margin %s", took, margin)
	}
	r.checkQuote(t, dear, m, amount, p)
	r.apply(t, dear, m)
	r.checkBalances(t, "after the payment that went through hub2")
	c, _ := r.between(t, wallet, hub1)
	if n := r.pendingLocks(t, hub1, c, 0); n != 0 {
		t.Fatalf("hub1 still holds %d lock(s) of the wallet", n)
	}
}
