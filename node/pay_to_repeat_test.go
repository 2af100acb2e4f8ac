package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"
)

// A wallet that retried sluice_pay({to, paymentId}) paid the merchant again: routed
// payments had no idempotency. A repeated id now answers with the original payment and
// moves nothing; another amount under the same id is refused; a second call while the
// first is pending is refused instead of paying twice.
func TestPayToWithARepeatedPaymentIDPaysOnce(t *testing.T) {
	x := newInvoiceNet(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const amount, fee = 1_000_001, 3501
	req := PayToRequest{To: x.m, Amount: big.NewInt(amount), Client: "alice-wallet"}
	rand.Read(req.PaymentID[:])
	first, err := x.wallet.PayTo(ctx, req)
	if err != nil || !first.Payment.Unlocked || first.Repeat {
		t.Fatalf("first payment: %+v %v", first, err)
	}
	x.m1.pay(x.w, x.h, amount+fee)
	x.m2.pay(x.h, x.m, amount)
	x.m1.eventually(t, "after the payment", x.wallet, x.hub)
	x.m2.eventually(t, "after the payment", x.hub, x.merchant)

	again, err := x.wallet.PayTo(ctx, req)
	if err != nil || !again.Repeat || !again.Payment.Unlocked || again.Route.Fee.Int64() != fee || len(again.Route.Hops) != 2 {
		t.Fatalf("the same payment id again: %+v %v; want the original payment, marked a repeat", again, err)
	}
	other := req
	other.Amount = big.NewInt(amount + 1)
	if _, err := x.wallet.PayTo(ctx, other); !errors.Is(err, ErrPaymentIDReused) {
		t.Fatalf("the same id for another amount: %v, want ErrPaymentIDReused", err)
	}
	// Another API client retrying alice's id learns nothing of her payment and pays nothing.
	mallory := req
	mallory.Client = "mallory"
	if res, err := x.wallet.PayTo(ctx, mallory); !errors.Is(err, ErrPaymentIDReused) || res.Repeat || len(res.Route.Hops) != 0 {
		t.Fatalf("another client's retry of the id: %+v %v, want ErrPaymentIDReused and nothing of the original", res, err)
	}
	time.Sleep(200 * time.Millisecond)
	x.m1.check(t, "after the repeats", x.wallet, x.hub)
	x.m2.check(t, "after the repeats", x.hub, x.merchant)

	// A payment the merchant keeps pending: its id is refused while it is.
	var hash [32]byte
	rand.Read(hash[:])
	expectInvoice(t, x.merchant, hash, big.NewInt(5000))
	held := PayToRequest{To: x.m, Amount: big.NewInt(5000), SecretHash: hash}
	rand.Read(held.PaymentID[:])
	done := make(chan error, 1)
	go func() {
		_, err := x.wallet.PayTo(ctx, held)
		done <- err
	}()
	waitFor(t, "the merchant holds the lock", func() bool { return holding(x.merchant, x.hub) == 1 })
	if _, err := x.wallet.PayTo(ctx, held); !errors.Is(err, ErrLockPending) {
		t.Fatalf("the same id while its payment is pending: %v, want ErrLockPending", err)
	}
	if n := holding(x.merchant, x.hub); n != 1 {
		t.Fatalf("the merchant holds %d locks after the repeat, want 1", n)
	}
	cancel()
	<-done
}
