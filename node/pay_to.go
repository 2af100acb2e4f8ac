package node

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/routing"
)

// PayToRequest pays Amount to To over the cheapest route (a direct channel partner is a
// 1-hop route) for at most MaxFee in fees (nil: no bound). SecretHash is To's invoice;
// zero: PayTo fetches a fresh one from To along the route (invoice_fetch.go), carrying
// Memo to To's record. PaymentID names the payment on every hop.
type PayToRequest struct {
	To         common.Address
	Amount     *big.Int
	MaxFee     *big.Int
	SecretHash [32]byte
	PaymentID  [16]byte
	Memo       string
	// Admit, if set, judges the route before anything is locked on it (route_admission.go).
	Admit RouteAdmission
}

// PayToResult is a finished routed payment: the route it took (with every hop's fee)
// and the first hop's resolved lock.
type PayToResult struct {
	PaymentID [16]byte
	Route     routing.Route
	Payment   RoutedPayment
}

// PayTo quotes the route and, only if one exists within MaxFee, locks Amount plus the
// fees on the first hop (PayRouted). Before anything is locked it fails with
// routing.ErrNoRoute or routing.ErrFeeTooHigh; after, as PayRouted does.
func (n *Node) PayTo(ctx context.Context, req PayToRequest) (PayToResult, error) {
	if err := n.invoiceForPayTo(ctx, &req); err != nil {
		return PayToResult{}, err
	}
	var zero [32]byte
	if req.SecretHash == zero {
		return PayToResult{}, fmt.Errorf("pay %s: no invoice secret hash: %w", req.To, channel.ErrInvalidParams)
	}
	if req.PaymentID == ([16]byte{}) {
		if _, err := rand.Read(req.PaymentID[:]); err != nil {
			return PayToResult{}, fmt.Errorf("pay %s: %w", req.To, err)
		}
	}
	r, err := n.QuoteRoute(ctx, RouteRequest{To: req.To, Amount: req.Amount, MaxFee: req.MaxFee})
	if err != nil {
		return PayToResult{}, fmt.Errorf("pay %s: %w; nothing was locked", req.To, err)
	}
	hops := make([]common.Address, len(r.Hops))
	for i, h := range r.Hops {
		hops[i] = h.To
	}
	settle, err := admitRoute(ctx, req.Admit, r)
	if err != nil {
		return PayToResult{}, fmt.Errorf("pay %s: %w; nothing was locked", req.To, err)
	}
	n.routedSendStarted(req, r)
	p, err := n.PayRouted(ctx, RoutedPayRequest{Hops: hops, Amount: req.Amount, Total: r.Total, SecretHash: req.SecretHash, PaymentID: req.PaymentID})
	n.routedSendEnded(req, p, err)
	settle(err)
	return PayToResult{PaymentID: req.PaymentID, Route: r, Payment: p}, err
}
