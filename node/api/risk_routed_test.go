package api

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// admittingBackend pays by address as node.PayTo does: quote, ask the request's
// admission, and only then lock (counted); the amount decides the outcome: 13 the lock
// expires unpaid, anything else the payee releases the secret.
type admittingBackend struct {
	*quotingBackend
	locked atomic.Int64
}

func (a *admittingBackend) PayTo(ctx context.Context, req node.PayToRequest) (node.PayToResult, error) {
	route, err := a.QuoteRoute(ctx, node.RouteRequest{To: req.To, Amount: req.Amount, MaxFee: req.MaxFee})
	if err != nil {
		return node.PayToResult{}, err
	}
	settle := func(error) {}
	if req.Admit != nil {
		if settle, err = req.Admit(ctx, route); err != nil {
			return node.PayToResult{}, fmt.Errorf("pay %s: %w; nothing was locked", req.To, err)
		}
	}
	a.locked.Add(1)
	if req.Amount.Int64() == 13 {
		err := fmt.Errorf("routed pay: lock expired: %w", node.ErrRouteFailed)
		settle(err)
		return node.PayToResult{}, err
	}
	settle(nil)
	return node.PayToResult{PaymentID: req.PaymentID, Route: route, Payment: node.RoutedPayment{Channel: route.Hops[0].Channel, Unlocked: true}}, nil
}

func (a *admittingBackend) NewInvoice(_ context.Context, amount *big.Int) (node.Invoice, error) {
	return node.Invoice{SecretHash: [32]byte{0xaa}, Amount: amount}, nil
}

// The quote graph charges 1000 + 2500 ppm on the hub: 1,000,001 costs 1,003,502.
const routedTotal = 1_003_502

func startRoutedRiskServer(t *testing.T, clients map[string]risk.ClientConfig) (*Server, *admittingBackend) {
	t.Helper()
	_, qb := startQuoteServer(t)
	eng, err := risk.NewEngine(risk.Options{Domain: testDomain, Config: risk.Config{Clients: clients}})
	if err != nil {
		t.Fatal(err)
	}
	b := &admittingBackend{quotingBackend: qb}
	srv, err := NewServer(b, Config{Addr: "127.0.0.1:0", Token: testToken, Risk: eng})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Stop(ctx)
	})
	return srv, b
}

func routedArgs(amount int64) PayArgs {
	to, hash := quotePayee, common.Hash{0xaa}
	return PayArgs{To: &to, Amount: NewAmount(big.NewInt(amount)), SecretHash: &hash}
}

func TestRoutedPaymentIsChargedAmountPlusFeesAgainstTheClientCap(t *testing.T) {
	// The cap covers the amount (1,000,001) but not the amount plus the hub's fee.
	srv, b := startRoutedRiskServer(t, map[string]risk.ClientConfig{
		"shop": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), DailyCap: risk.AmountFromUint64(routedTotal - 1)},
	})
	shop := dialAs(t, srv.URL(), gameToken)
	_, err := shop.Pay(context.Background(), routedArgs(1_000_001))
	if apiKind(err) != "risk_declined" || !strings.Contains(err.Error(), "daily_cap") {
		t.Fatalf("routed payment over the cap with its fees: %v", err)
	}
	if n := b.locked.Load(); n != 0 {
		t.Fatalf("%d locks made for a declined payment", n)
	}
	// The admin token is not a risk client and pays unjudged, as on the direct path.
	if _, err := dialAs(t, srv.URL(), testToken).Pay(context.Background(), routedArgs(1_000_001)); err != nil {
		t.Fatalf("admin routed payment: %v", err)
	}
}

func TestRoutedPaymentFailedRouteReleasesTheReservation(t *testing.T) {
	// Room for two routed payments of 1,000,001 (1,003,502 each) and not three.
	srv, b := startRoutedRiskServer(t, map[string]risk.ClientConfig{
		"shop": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), DailyCap: risk.AmountFromUint64(2*routedTotal + 10)},
	})
	shop := dialAs(t, srv.URL(), gameToken)
	ctx := context.Background()
	// 13 expires unpaid (its total is 1,000 + 13 fee): given back.
	if _, err := shop.Pay(ctx, routedArgs(13)); apiKind(err) != "route_expired" {
		t.Fatalf("expiring route: %v", err)
	}
	for i := range 2 {
		if _, err := shop.Pay(ctx, routedArgs(1_000_001)); err != nil {
			t.Fatalf("routed payment %d after a failed one: %v (the failed route stayed charged)", i, err)
		}
	}
	if _, err := shop.Pay(ctx, routedArgs(1_000_001)); apiKind(err) != "risk_declined" {
		t.Fatalf("third routed payment over the cap: %v", err)
	}
	if n := b.locked.Load(); n != 3 {
		t.Fatalf("locks made: %d, want 3", n)
	}
}

func TestRoutedPaymentStepUpAndScope(t *testing.T) {
	srv, b := startRoutedRiskServer(t, map[string]risk.ClientConfig{
		"wallet": {Profile: risk.ProfileInteractive, TokenHash: TokenHash(walletToken), StepUpAbove: risk.AmountFromUint64(1_000_000)},
		// Scoped to a channel that is not the route's first hop.
		"kiosk": {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), Scope: risk.Scope{Channels: []string{channel.ID{9}.String()}}},
	})
	ctx := context.Background()
	if _, err := dialAs(t, srv.URL(), gameToken).Pay(ctx, routedArgs(5)); apiKind(err) != "risk_declined" || !strings.Contains(err.Error(), "out_of_scope") {
		t.Fatalf("routed payment outside the client's scope: %v", err)
	}
	admin := dialAs(t, srv.URL(), testToken)
	wallet := dialAs(t, srv.URL(), walletToken)
	device, _ := crypto.GenerateKey()
	devSigner, _ := channel.NewKeySigner(device)
	if err := admin.RegisterDevice(ctx, "wallet", devSigner.Address(), ""); err != nil {
		t.Fatal(err)
	}
	// 999,000 is under the step-up bound, but with the fee (3,497.5 -> 3,497) it is not.
	p, err := wallet.PayWithStepUp(ctx, routedArgs(999_000), devSigner.SignDigest)
	if err != nil {
		t.Fatalf("routed payment with step-up: %v", err)
	}
	if b.locked.Load() != 1 || p.Route == nil || p.Fee == nil {
		t.Fatalf("after step-up: %d locks, payment %+v", b.locked.Load(), p)
	}
	// A second one is challenged for the route's total on its first hop's channel.
	_, err = wallet.Pay(ctx, routedArgs(999_000))
	var charged int64
	if apiKind(err) != "step_up_required" {
		t.Fatalf("a second large routed payment was not challenged: %v", err)
	}
	if _, serr := fmt.Sscanf(err.Error(), "pay %d on channel "+channel.ID{1}.String(), &charged); serr != nil || charged <= 999_000 {
		t.Fatalf("challenge %q: want the route's total on its first hop (%v)", err, serr)
	}
	if b.locked.Load() != 1 {
		t.Fatalf("a challenged routed payment locked")
	}
}
