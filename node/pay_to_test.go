package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/routing"
)

// TestPayToThroughHubWithFee runs wallet -> hub (1000 wei + 2500 ppm) -> merchant as three
// real nodes (embedded chain, libp2p, leveldb). The wallet pays by address: the merchant
// receives exactly the amount, the hub exactly its fee, the wallet pays both, on all three
// nodes' views of both channels against the test's own model. A maxFee one wei short is
// refused with nothing locked; a payer that pays the hub less than its fee is refused by
// the hub: the lock expires and every balance is back.
func TestPayToThroughHubWithFee(t *testing.T) {
	tn := newTestNet(t)
	fast := RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}
	hubRouting := fast
	hubRouting.Fees = routing.FeePolicy{Flat: big.NewInt(1000), PPM: 2500}
	wallet := tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	hub := tn.startNode(1, nodeOpts{routing: hubRouting})
	merchant := tn.startNode(2, nodeOpts{routing: fast})
	w, h, m := wallet.signer.Address(), hub.signer.Address(), merchant.signer.Address()
	const deposit = 10_000_000
	ch1 := openChannel(t, wallet, hub, big.NewInt(deposit), nil, time.Hour)
	ch2 := openChannel(t, hub, merchant, big.NewInt(deposit), nil, time.Hour)
	m1, m2 := newModel(ch1, wallet, hub, deposit), newModel(ch2, hub, merchant, deposit)
	check := func(what string) {
		t.Helper()
		m1.eventually(t, what, wallet, hub)
		m2.eventually(t, what, hub, merchant)
	}
	waitFor(t, "the wallet learns the hub -> merchant channel", func() bool {
		_, ok := wallet.RoutingGraph().Edge(ch2, h)
		return ok
	})
	pay := func(to common.Address, amount, maxFee int64, hash [32]byte) (PayToResult, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req := PayToRequest{To: to, Amount: big.NewInt(amount), SecretHash: hash}
		if maxFee >= 0 {
			req.MaxFee = big.NewInt(maxFee)
		}
		rand.Read(req.PaymentID[:])
		return wallet.PayTo(ctx, req)
	}

	// The model's fee, computed here: 1000 + ceil(1,000,001 * 2500 / 1e6) = 1000 + 2501.
	const amount, fee = 1_000_001, 3501
	res, err := pay(m, amount, fee, invoice(t, merchant, amount).SecretHash)
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("pay through the hub: %+v %v", res, err)
	}
	if res.Route.Fee.Int64() != fee || res.Route.Total.Int64() != amount+fee || len(res.Route.Hops) != 2 {
		t.Fatalf("route fee %s total %s hops %d; want %d, %d, 2", res.Route.Fee, res.Route.Total, len(res.Route.Hops), fee, amount+fee)
	}
	m1.pay(w, h, amount+fee)
	m2.pay(h, m, amount)
	check("after the routed payment")
	if earned := m1.bal[h] - (deposit - m2.bal[h]); earned != fee {
		t.Fatalf("model: hub earned %d, want %d", earned, fee)
	}

	// maxFee one wei short: refused before anything is locked.
	_, err = pay(m, amount, fee-1, invoice(t, merchant, amount).SecretHash)
	if !errors.Is(err, routing.ErrFeeTooHigh) {
		t.Fatalf("maxFee one wei short: %v, want fee too high", err)
	}
	m1.check(t, "right after fee_too_high", wallet, hub)
	m2.check(t, "right after fee_too_high", hub, merchant)

	// A direct partner is a 1-hop route, with no fee.
	if res, err := pay(h, 500, 0, invoice(t, hub, 500).SecretHash); err != nil || len(res.Route.Hops) != 1 || res.Route.Fee.Sign() != 0 {
		t.Fatalf("pay the partner by address: %+v %v", res.Route, err)
	}
	m1.pay(w, h, 500)
	check("after the 1-hop payment")

	// The payer pays the hub one wei less than its fee: the hub does not forward but
	// refuses (ADR 0026); the wallet cancels its lock at once and every balance is back.
	inv := invoice(t, merchant, amount)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = wallet.PayRouted(ctx, RoutedPayRequest{Hops: []common.Address{h, m}, Amount: big.NewInt(amount), Total: big.NewInt(amount + fee - 1), SecretHash: inv.SecretHash})
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonFeeUnpaid || refused.FailedNode != h {
		t.Fatalf("underpaid hub: %v, want a fee_unpaid refusal by the hub", err)
	}
	var nf *routing.NodeFailedError
	if !errors.Is(err, ErrRouteFailed) || !errors.As(err, &nf) || nf.Node != h {
		t.Fatalf("refusal %v does not name the hub for exclusion", err)
	}
	lc := merchant.channel(ch2)
	lc.mu.Lock()
	n := lc.st.Nonce(lc.us.Other())
	lc.mu.Unlock()
	if n != 2 { // the routed payment's lock and its unlock
		t.Fatalf("the hub forwarded a lock that does not pay its fee (merchant saw hub nonce %d)", n)
	}
	check("after the underpaid lock was cancelled")
}
