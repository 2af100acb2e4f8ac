package main

// Routed payments end to end (issue 18's acceptance, docs/e2e.md): real `sluice node`
// processes on the pinned Anvil, paying through hubs with `sluice pay --to` and
// sluice_pay({to}); every balance and every hop's fee checked to the wei against the fee
// formula (e2e_routed_helpers_test.go).

import (
	"fmt"
	"math/big"
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
	cl := wallet.client(t)
	two, three := []*e2eNode{wallet, hub1, shop}, []*e2eNode{wallet, hub1, hub2, mall}
	waitRoute(t, cl, two, big.NewInt(1))
	waitRoute(t, cl, three, big.NewInt(1))

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
