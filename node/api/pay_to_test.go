package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/routing"
)

// routedBackend pays by address over the quoting backend's real graph (what the node's
// PayTo does before it locks: the quote with maxFee), and records what reached it.
type routedBackend struct {
	*quotingBackend
	paid []node.PayToRequest
}

func (r *routedBackend) PayTo(ctx context.Context, req node.PayToRequest) (node.PayToResult, error) {
	refused := &node.RouteRefusedError{Channel: channel.ID{1}, Reason: mediate.ReasonCapacity, FailedChannel: channel.ID{2},
		Where: &routing.ChannelFailedError{Channel: channel.ID{2}, Err: errors.New("refused: capacity")}}
	switch req.Amount.Int64() {
	case 13:
		return node.PayToResult{}, fmt.Errorf("routed pay: lock expired: %w", node.ErrRouteFailed)
	case 14: // the last attempt refused (the shape routing.Graph.Retry returns)
		return node.PayToResult{Attempts: 4}, fmt.Errorf("pay: route: 4 attempts failed: %w", refused)
	case 15: // refused until no route was left
		return node.PayToResult{Attempts: 1}, errors.Join(fmt.Errorf("route: after 1 attempts: %w", routing.ErrNoRoute), refused)
	case 16: // the caller's deadline with a lock pending
		return node.PayToResult{Attempts: 1}, fmt.Errorf("routed pay: %w: %w", node.ErrLockPending, context.DeadlineExceeded)
	}
	if req.Amount.Int64() == 17 {
		return node.PayToResult{}, fmt.Errorf("pay: invoice: %w", node.ErrInvoiceForged)
	}
	if req.Amount.Int64() == 18 {
		return node.PayToResult{}, fmt.Errorf("pay: invoice: %w", node.ErrInvoiceRefused)
	}
	route, err := r.QuoteRoute(ctx, node.RouteRequest{To: req.To, Amount: req.Amount, MaxFee: req.MaxFee})
	if err != nil {
		return node.PayToResult{}, err
	}
	r.paid = append(r.paid, req)
	return node.PayToResult{PaymentID: [16]byte{7}, Route: route, Payment: node.RoutedPayment{Channel: route.Hops[0].Channel, Unlocked: true}, Attempts: 2}, nil
}

func (r *routedBackend) NewInvoice(_ context.Context, amount *big.Int) (node.Invoice, error) {
	return node.Invoice{SecretHash: [32]byte{0xaa}, Amount: amount}, nil
}

func TestPayToAddressRoutesWithFee(t *testing.T) {
	_, qb := startQuoteServer(t)
	b := &routedBackend{quotingBackend: qb}
	srv, err := NewServer(b, Config{Addr: "127.0.0.1:0", Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(context.Background()) })
	url := srv.URL()

	_, rep := rawCall(t, url, "Bearer "+testToken, "sluice_invoice", `[{"amount":"1000001"}]`)
	if rep.Error != nil {
		t.Fatalf("invoice: %+v", rep.Error)
	}
	var inv InvoiceResult
	if err := json.Unmarshal(rep.Result, &inv); err != nil || inv.SecretHash[0] != 0xaa || inv.Amount.Big().Int64() != 1_000_001 {
		t.Fatalf("invoice %s %v", rep.Result, err)
	}
	hash := inv.SecretHash.Hex()
	_, rep = rawCall(t, url, "Bearer "+testToken, "sluice_pay", `[{"to":"`+quotePayee.Hex()+`","amount":"1000001","maxFee":"3501","secretHash":"`+hash+`"}]`)
	if rep.Error != nil {
		t.Fatalf("pay to: %+v", rep.Error)
	}
	var p Payment
	if err := json.Unmarshal(rep.Result, &p); err != nil {
		t.Fatal(err)
	}
	if p.Fee == nil || p.Fee.Big().Int64() != 3501 || p.Route == nil || len(p.Route.Hops) != 2 || p.Channel != ChannelID(channel.ID{1}) || p.Amount.Big().Int64() != 1_000_001 || p.PaymentID != (PaymentID{7}) || p.Attempts != 2 {
		t.Fatalf("routed payment %s", rep.Result)
	}
	if len(b.paid) != 1 || b.paid[0].SecretHash != [32]byte{0xaa} || b.paid[0].MaxFee.Int64() != 3501 || b.paid[0].To != quotePayee {
		t.Fatalf("reached the node as %+v", b.paid)
	}
	for _, c := range []struct {
		name, params string
		code         int
		kind         string
	}{
		{"fee above maxFee", `[{"to":"` + quotePayee.Hex() + `","amount":"1000001","maxFee":"3500","secretHash":"` + hash + `"}]`, CodeFeeTooHigh, "fee_too_high"},
		{"unknown payee", `[{"to":"0x00000000000000000000000000000000000b0b0b","amount":"1","secretHash":"` + hash + `"}]`, CodeNoRoute, "no_route"},
		{"zero secret hash", `[{"to":"` + quotePayee.Hex() + `","amount":"1","secretHash":"0x` + zero32() + `"}]`, CodeInvalidParams, "invalid_params"},
		{"channel and to", `[{"channel":"0x` + common32() + `","to":"` + quotePayee.Hex() + `","amount":"1","secretHash":"` + hash + `"}]`, CodeInvalidParams, "invalid_params"},
		{"expired", `[{"to":"` + quotePayee.Hex() + `","amount":"13","secretHash":"` + hash + `"}]`, CodeRouteExpired, "route_expired"},
		{"memo with own hash", `[{"to":"` + quotePayee.Hex() + `","amount":"1","memo":"x","secretHash":"` + hash + `"}]`, CodeInvalidParams, "invalid_params"},
		{"memo too long", `[{"to":"` + quotePayee.Hex() + `","amount":"1","memo":"` + strings.Repeat("m", maxMemoBytes+1) + `"}]`, CodeInvalidParams, "invalid_params"},
		{"forged invoice", `[{"to":"` + quotePayee.Hex() + `","amount":"17"}]`, CodeInvoiceFailed, "invoice_failed"},
		{"invoice refused", `[{"to":"` + quotePayee.Hex() + `","amount":"18"}]`, CodeInvoiceFailed, "invoice_failed"},
		{"refused", `[{"to":"` + quotePayee.Hex() + `","amount":"14","secretHash":"` + hash + `"}]`, CodeRouteFailed, "route_failed"},
		{"refused until no route", `[{"to":"` + quotePayee.Hex() + `","amount":"15","secretHash":"` + hash + `"}]`, CodeNoRoute, "no_route"},
		{"deadline with a lock pending", `[{"to":"` + quotePayee.Hex() + `","amount":"16","secretHash":"` + hash + `"}]`, CodeTimeout, "timeout"},
	} {
		_, rep := rawCall(t, url, "Bearer "+testToken, "sluice_pay", c.params)
		if rep.Error == nil || rep.Error.Code != c.code || rep.Error.Data["kind"] != c.kind {
			t.Errorf("%s: %+v; want %d %s", c.name, rep.Error, c.code, c.kind)
		}
	}
	if len(b.paid) != 1 {
		t.Fatalf("refused calls reached PayTo: %+v", b.paid)
	}
	// Without a secret hash the node fetches the invoice; the memo goes with the request.
	_, rep = rawCall(t, url, "Bearer "+testToken, "sluice_pay", `[{"to":"`+quotePayee.Hex()+`","amount":"1000001","memo":"order 42"}]`)
	if rep.Error != nil {
		t.Fatalf("pay to without a hash: %+v", rep.Error)
	}
	if err := json.Unmarshal(rep.Result, &p); err != nil || p.Memo != "order 42" {
		t.Fatalf("routed payment %s %v", rep.Result, err)
	}
	if len(b.paid) != 2 || b.paid[1].SecretHash != ([32]byte{}) || b.paid[1].Memo != "order 42" {
		t.Fatalf("reached the node as %+v", b.paid[1:])
	}
}

func zero32() string { return strings.Repeat("00", 32) }

func common32() string {
	return "0101010101010101010101010101010101010101010101010101010101010101"
}
