package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/store"
)

// routedRecords lists n's whole routed log.
func routedRecords(t *testing.T, n *Node) []store.RoutedRecord {
	t.Helper()
	page, err := n.RoutedPayments(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return page.Records
}

func onlyRouted(t *testing.T, n *Node, role store.RouteRole, state store.LockState) store.RoutedRecord {
	t.Helper()
	var got store.RoutedRecord
	waitFor(t, "a "+role.String()+" record "+state.String(), func() bool {
		for _, r := range routedRecords(t, n) {
			if r.Role == role && r.State == state {
				got = r
				return true
			}
		}
		return false
	})
	return got
}

// The routed payment log shows, on the payer, the route with each hop's fee and the lock
// state; on the hub the forwarding (in and out channel, fee earned); on the merchant the
// incoming payment with its memo; and routed subscriptions report each state change.
func TestRoutedPaymentLogOnEveryHop(t *testing.T) {
	x := newInvoiceNet(t, nil)
	subs := make(chan store.RoutedRecord, 16)
	defer x.wallet.SubscribeRoutedPayments(subs)()
	const amount, fee = 1_000_001, 3501
	res, err := x.payTo(x.m, amount, "order 42")
	if err != nil {
		t.Fatal(err)
	}
	payer, err := x.wallet.RoutedPayment(context.Background(), res.PaymentID)
	if err != nil {
		t.Fatal(err)
	}
	if payer.Role != store.RolePayer || payer.State != store.LockUnlocked || payer.Fee.Int64() != fee || payer.Amount.Int64() != amount ||
		len(payer.Hops) != 2 || payer.Hops[0].Channel != x.ch1 || payer.Hops[1].Channel != x.ch2 || payer.Hops[0].Fee.Sign() != 0 ||
		payer.Hops[1].Fee.Int64() != fee || payer.Hops[0].Amount.Int64() != amount+fee || payer.Peer != x.m || payer.Memo != "order 42" || payer.Out != x.ch1 {
		t.Fatalf("payer's record %+v", payer)
	}
	hub := onlyRouted(t, x.hub, store.RoleMediator, store.LockUnlocked)
	if hub.In != x.ch1 || hub.Out != x.ch2 || hub.Fee.Int64() != fee || hub.Amount.Int64() != amount || hub.PaymentID != res.PaymentID || hub.ID == res.PaymentID {
		t.Fatalf("hub's record %+v", hub)
	}
	merchant := onlyRouted(t, x.merchant, store.RoleTarget, store.LockUnlocked)
	if merchant.In != x.ch2 || merchant.Memo != "order 42" || merchant.Peer != x.w || merchant.Amount.Int64() != amount {
		t.Fatalf("merchant's record %+v", merchant)
	}
	var states []store.LockState
	for len(states) < 2 {
		select {
		case r := <-subs:
			if r.ID == res.PaymentID {
				states = append(states, r.State)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("subscription reported %v", states)
		}
	}
	if states[0] != store.LockPending || states[1] != store.LockUnlocked {
		t.Fatalf("subscription reported %v, want pending then unlocked", states)
	}
}

// A lock the payee never releases ends expired on the payer's and the hub's record.
func TestRoutedPaymentLogRecordsExpiry(t *testing.T) {
	x := newInvoiceNet(t, nil)
	var hash [32]byte
	rand.Read(hash[:]) // an invoice the merchant has no secret for: it never reveals
	expectInvoice(t, x.merchant, hash, big.NewInt(5000))
	done := make(chan error, 1)
	var id [16]byte
	rand.Read(id[:])
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		_, err := x.wallet.PayTo(ctx, PayToRequest{To: x.m, Amount: big.NewInt(5000), SecretHash: hash, PaymentID: id})
		done <- err
	}()
	onlyRouted(t, x.hub, store.RoleMediator, store.LockPending)
	if r, err := x.wallet.RoutedPayment(context.Background(), id); err != nil || r.State != store.LockPending {
		t.Fatalf("payer's record while locked: %+v %v", r, err)
	}
	if err := x.tn.chain.AdjustTime(3*mediate.DefaultRevealMargin*time.Second + 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("pay with a hash nobody reveals: %v", err)
	}
	if r, err := x.wallet.RoutedPayment(context.Background(), id); err != nil || r.State != store.LockExpired {
		t.Fatalf("payer's record after expiry: %+v %v", r, err)
	}
	onlyRouted(t, x.hub, store.RoleMediator, store.LockExpired)
	if _, err := x.wallet.RoutedPayment(context.Background(), [16]byte{1}); !errors.Is(err, ErrUnknownPayment) {
		t.Fatalf("unknown id: %v", err)
	}
}

// A hub restarted while its forwarding record is pending loads it again and records how
// the lock ended.
func TestRoutedPaymentLogSurvivesAHubRestart(t *testing.T) {
	x := newInvoiceNet(t, nil)
	var hash [32]byte
	rand.Read(hash[:])
	expectInvoice(t, x.merchant, hash, big.NewInt(5000))
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		_, err := x.wallet.PayTo(ctx, PayToRequest{To: x.m, Amount: big.NewInt(5000), SecretHash: hash})
		done <- err
	}()
	pending := onlyRouted(t, x.hub, store.RoleMediator, store.LockPending)
	if err := x.hub.Close(); err != nil {
		t.Fatal(err)
	}
	hub := x.tn.startNode(1, nodeOpts{dir: x.hubDir, routing: x.hubRouting, staticPeers: []string{addrOf(t, x.wallet), addrOf(t, x.merchant)}})
	if err := x.tn.chain.AdjustTime(3*mediate.DefaultRevealMargin*time.Second + 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("pay with a hash nobody reveals: %v", err)
	}
	got := onlyRouted(t, hub, store.RoleMediator, store.LockExpired)
	if got.ID != pending.ID || got.In != x.ch1 || got.Out != x.ch2 || len(routedRecords(t, hub)) != 1 {
		t.Fatalf("after the restart: %+v, %d records (before: %+v)", got, len(routedRecords(t, hub)), pending)
	}
}
