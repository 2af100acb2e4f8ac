package api

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/store"
)

// routedLogBackend adds a routed payment log with one payer record to routedBackend.
type routedLogBackend struct {
	*routedBackend
	rec store.RoutedRecord
}

func (r *routedLogBackend) RoutedPayments(context.Context, string, int) (store.RoutedPage, error) {
	return store.RoutedPage{Records: []store.RoutedRecord{r.rec}}, nil
}

func (r *routedLogBackend) RoutedPayment(_ context.Context, id [16]byte) (store.RoutedRecord, error) {
	if id != r.rec.ID {
		return store.RoutedRecord{}, fmt.Errorf("payment %x: %w", id, node.ErrUnknownPayment)
	}
	return r.rec, nil
}

func (r *routedLogBackend) SubscribeRoutedPayments(chan<- store.RoutedRecord) func() {
	return func() {}
}

func TestRoutedPaymentLogThroughTheAPI(t *testing.T) {
	_, qb := startQuoteServer(t)
	now := time.Unix(1_800_000_000, 0).UTC()
	rec := store.RoutedRecord{ID: store.PaymentID{7}, PaymentID: store.PaymentID{7}, Role: store.RolePayer, State: store.LockUnlocked,
		SecretHash: [32]byte{0xaa}, Peer: quotePayee, Amount: big.NewInt(1000), Fee: big.NewInt(12), Out: channel.ID{1}, Memo: "order 42",
		Hops: []store.RouteHop{
			{Channel: channel.ID{1}, From: common.Address{0xa}, To: common.Address{0xb}, Amount: big.NewInt(1012), Fee: big.NewInt(0)},
			{Channel: channel.ID{2}, From: common.Address{0xb}, To: quotePayee, Amount: big.NewInt(1000), Fee: big.NewInt(12)},
		},
		Created: now, Updated: now}
	b := &routedLogBackend{routedBackend: &routedBackend{quotingBackend: qb}, rec: rec}
	srv, err := NewServer(b, Config{Addr: "127.0.0.1:0", Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(context.Background()) })
	_, rep := rawCall(t, srv.URL(), "Bearer "+testToken, "sluice_payments", `[{"routed":true}]`)
	if rep.Error != nil {
		t.Fatalf("routed payments: %+v", rep.Error)
	}
	var page PaymentPage
	if err := json.Unmarshal(rep.Result, &page); err != nil || len(page.Payments) != 1 {
		t.Fatalf("routed payments %s %v", rep.Result, err)
	}
	p := page.Payments[0]
	if p.Routed == nil || p.Routed.Role != "payer" || p.Routed.State != "unlocked" || p.Fee == nil || p.Fee.Big().Int64() != 12 ||
		p.Route == nil || len(p.Route.Hops) != 2 || p.Route.Hops[1].Fee.Big().Int64() != 12 || p.Route.Total.Big().Int64() != 1012 ||
		p.Memo != "order 42" || p.Direction != "sent" || p.Channel != ChannelID(channel.ID{1}) {
		t.Fatalf("routed payment %s", rep.Result)
	}
	_, rep = rawCall(t, srv.URL(), "Bearer "+testToken, "sluice_payment", `["0x07000000000000000000000000000000"]`)
	if rep.Error != nil || !json.Valid(rep.Result) {
		t.Fatalf("payment by id: %+v", rep.Error)
	}
	_, rep = rawCall(t, srv.URL(), "Bearer "+testToken, "sluice_payment", `["0x08000000000000000000000000000000"]`)
	if rep.Error == nil || rep.Error.Code != CodeInvalidParams {
		t.Fatalf("unknown payment: %+v", rep.Error)
	}
	_, rep = rawCall(t, srv.URL(), "Bearer "+testToken, "sluice_payments", `[{"routed":true,"channel":"0x`+common32()+`"}]`)
	if rep.Error == nil || rep.Error.Code != CodeInvalidParams {
		t.Fatalf("routed with a channel: %+v", rep.Error)
	}
}

// A risk client's token is refused the routed log (its records name no API client, so a
// read scope cannot filter them); the admin token is not.
func TestRoutedPaymentLogIsAdminOnlyUnderARiskEngine(t *testing.T) {
	rs := startRiskServer(t)
	for _, params := range []struct{ method, args string }{{"sluice_payments", `[{"routed":true}]`}, {"sluice_payment", `["0x07000000000000000000000000000000"]`}} {
		if _, reply := rawCall(t, rs.srv.URL(), "Bearer "+walletToken, params.method, params.args); reply.Error == nil || reply.Error.Code != CodeForbidden {
			t.Fatalf("%s with a client token: %+v, want forbidden", params.method, reply.Error)
		}
		if _, reply := rawCall(t, rs.srv.URL(), "Bearer "+testToken, params.method, params.args); reply.Error == nil || reply.Error.Code == CodeForbidden {
			t.Fatalf("%s with the admin token: %+v, want past the scope check", params.method, reply.Error)
		}
	}
}
