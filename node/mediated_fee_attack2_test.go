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

// The hub's fee under a payer that under- or over-pays it: the hub forwards exactly what
// its announced policy leaves (flat + ceil(x * ppm / 1e6) kept of a forward of x), refuses
// a lock that does not pay it, and its books match the test's own arithmetic to the wei.

const (
	attackFeeFlat = 7
	attackFeePPM  = 25_000 // 2.5%
)

// feeOf is the announced fee of forwarding x, computed by the test.
func feeOf(x int64) int64 {
	return attackFeeFlat + (x*attackFeePPM+999_999)/1_000_000
}

// forwardableOf is the most the hub may forward out of in: the largest x with
// x + fee(x) <= in, found by counting down (independent of routing.Forwardable).
func forwardableOf(in int64) int64 {
	for x := in; x > 0; x-- {
		if x+feeOf(x) <= in {
			return x
		}
	}
	return 0
}

func TestAttack2HubChargesExactlyItsAnnouncedFee(t *testing.T) {
	tn := newTestNet(t)
	fees := RoutingConfig{Fees: routing.FeePolicy{Flat: big.NewInt(attackFeeFlat), PPM: attackFeePPM}}
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{routing: fees})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(5000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(5000), nil, time.Hour)
	payer, hub, payee := a.signer.Address(), h.signer.Address(), c.signer.Address()
	route := []common.Address{hub, payee}
	ah, hc := newModel(idAH, a, h, 5000), newModel(idHC, h, c, 5000)

	pay := func(amount, total int64, hash [32]byte) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var id [16]byte
		rand.Read(id[:])
		_, err := a.PayRouted(ctx, RoutedPayRequest{Hops: route, Amount: big.NewInt(amount), Total: big.NewInt(total), SecretHash: hash, PaymentID: id})
		return err
	}

	// 1. One wei short of the fee: refused by the hub, cancelled, nothing forwarded.
	inv := invoice(t, c, 400)
	short := 400 + feeOf(400) - 1
	err := pay(400, short, inv.SecretHash)
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonFeeUnpaid || refused.FailedNode != hub {
		t.Fatalf("lock of %d for 400 with fee %d: %v, want the hub's fee refusal", short, feeOf(400), err)
	}
	ah.eventually(t, "payer-hub after the short lock", a, h)
	hc.eventually(t, "hub-payee after the short lock", h, c)
	if n := partnerSeesNonce(c, idHC); n != 0 {
		t.Fatalf("the hub forwarded an unpaid lock (payee saw hub proof %d)", n)
	}

	// 2. Exactly amount + fee, then an overpayment and an odd amount: each time the hub
	// forwards forwardable(in) and keeps in - forwardable(in), never more.
	kept := int64(0)
	for _, p := range []struct{ amount, total int64 }{
		{400, 400 + feeOf(400)},
		{400, 500},
		{1, 1 + feeOf(1)},
		{1234, 1234 + feeOf(1234)},
	} {
		inv := invoice(t, c, p.amount)
		if err := pay(p.amount, p.total, inv.SecretHash); err != nil {
			t.Fatalf("pay %d with total %d: %v", p.amount, p.total, err)
		}
		out := forwardableOf(p.total)
		ah.pay(payer, hub, p.total)
		hc.pay(hub, payee, out)
		kept += p.total - out
		ah.eventually(t, "payer-hub", a, h)
		hc.eventually(t, "hub-payee", h, c)
	}
	// The hub's net gain over both channels is exactly what it kept.
	hv1, _ := h.Channel(context.Background(), idAH)
	hv2, _ := h.Channel(context.Background(), idHC)
	net := new(big.Int).Add(hv1.Balance[1], hv2.Balance[0])
	if want := 5000 + kept; net.Int64() != want {
		t.Fatalf("hub holds %s over its two channels, want its deposit 5000 + fees %d", net, kept)
	}
	if kept != feeOf(400)+(500-forwardableOf(500))+feeOf(1)+feeOf(1234) {
		t.Fatalf("fee arithmetic: kept %d", kept)
	}
}
