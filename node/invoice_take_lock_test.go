package node

import (
	"context"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// ackTakenWatcher is a payee's transport that looks, when the payee acknowledges a proof
// to the hub for the first time while watching, whether the taken record of hash is on
// disk already.
type ackTakenWatcher struct {
	hostPassing
	n       atomic.Pointer[Node]
	hub     common.Address
	watch   atomic.Bool
	seen    atomic.Int32 // 1: taken record durable at the first Ack; 2: not
	hashKey atomic.Pointer[string]
}

func (w *ackTakenWatcher) Send(ctx context.Context, to common.Address, m p2p.Message) error {
	if _, ok := m.(*p2p.Ack); ok && to == w.hub && w.watch.Load() && w.seen.Load() == 0 {
		_, found, err := w.n.Load().store.(*store.Store).GetMeta(invoiceTakenNamespace, *w.hashKey.Load())
		if err == nil && found {
			w.seen.Store(1)
		} else {
			w.seen.Store(2)
		}
	}
	return w.Transport.Send(ctx, to, m)
}

// TestPayeeTakesTheInvoiceInTheLocksOwnWrite: the payee's record of the lock that takes
// its invoice (ADR 0035) is written in the same batch as the lock (ADR 0034 amendment),
// so it is durable by the time the lock is acknowledged; before, it had a write of its
// own after the Ack (one more fsync per routed payment on the payee).
func TestPayeeTakesTheInvoiceInTheLocksOwnWrite(t *testing.T) {
	w := &ackTakenWatcher{}
	x := newInvoiceNetWith(t, invoiceNetOpts{merchant: nodeOpts{
		wrap: func(tr Transport) Transport { w.Transport = tr; return w },
	}})
	w.n.Store(x.merchant)
	w.hub = x.h
	inv, err := x.merchant.NewInvoice(context.Background(), big.NewInt(5000))
	if err != nil {
		t.Fatal(err)
	}
	k := hashKey(inv.SecretHash)
	w.hashKey.Store(&k)
	w.watch.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 30e9)
	defer cancel()
	if _, err := x.wallet.PayTo(ctx, PayToRequest{To: x.m, Amount: big.NewInt(5000), SecretHash: inv.SecretHash}); err != nil {
		t.Fatal(err)
	}
	switch w.seen.Load() {
	case 0:
		t.Fatal("the payee acknowledged nothing to the hub")
	case 2:
		t.Fatal("the payee acknowledged the lock before the record of the lock taking its invoice was durable")
	}
}

// TestUnderpayingLockDoesNotTakeTheInvoiceInItsWrite: the take in the lock's write
// applies acceptAsTarget's checks first; a lock paying less than the invoice asks is
// refused and leaves the invoice open, so the payer's adequate retry on the same hash is
// paid (were it taken, the retry would be refused as paid).
func TestUnderpayingLockDoesNotTakeTheInvoiceInItsWrite(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	inv := invoice(t, b, 100)
	if _, err := routedPay(t, a, []common.Address{b.signer.Address()}, 99, inv.SecretHash); !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("underpaying lock: %v, want refused", err)
	}
	if _, ok := b.invoiceTakerOf(inv.SecretHash); ok {
		t.Fatal("an underpaying lock took the invoice")
	}
	res, err := routedPay(t, a, []common.Address{b.signer.Address()}, 100, inv.SecretHash)
	if err != nil || !res.Unlocked {
		t.Fatalf("the adequate retry: %+v %v", res, err)
	}
}
