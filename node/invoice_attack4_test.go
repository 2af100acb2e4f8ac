package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/p2p"
)

// TestAttack4SpoofedPayerUsesUpAnHonestWalletsInvoiceQuota: the merchant caps open
// invoices per (asking peer, payer) (ADR 0035 amendment), but the request's Payer field
// is not signed by anyone, and a relaying hub forwards it unchanged. Wallet X, behind the
// same hub as the honest wallet P, asks the merchant through the hub for invoices naming
// P as the payer and never pays them: the merchant counts them against (hub, P), P's
// own quota there. P asked for nothing before: it is entitled to an invoice (X's requests
// may use up X's quota and the hub's, never P's).
func TestAttack4SpoofedPayerUsesUpAnHonestWalletsInvoiceQuota(t *testing.T) {
	tn := newTestNet(t)
	x := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{invoices: InvoiceConfig{MaxOpenPerPeer: 5, MaxOpen: 50}})
	p := tn.startNode(4, nodeOpts{})
	openChannel(t, x, h, big.NewInt(1000), nil, time.Hour)
	openChannel(t, p, h, big.NewInt(1000), nil, time.Hour)
	openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, merchant, honest := h.signer.Address(), c.signer.Address(), p.signer.Address()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i := 0; i < 8; i++ {
		req := &p2p.InvoiceRequest{Payer: honest, Target: merchant, Amount: big.NewInt(10), Hops: []common.Address{merchant}}
		rand.Read(req.RequestID[:])
		if err := x.transport.Send(ctx, hub, req); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	waitFor(t, "the merchant issued the spoofed invoices", func() bool { return countMeta(t, c, invoiceOpenNamespace) >= 5 })
	if _, err := p.FetchInvoice(ctx, []common.Address{hub, merchant}, big.NewInt(10), nil); err != nil {
		t.Fatalf("the honest wallet's first invoice request: %v (another wallet named it as the payer of %d unpaid invoices: the unsigned Payer field spends the honest wallet's quota)",
			err, countMeta(t, c, invoiceOpenNamespace))
	}
}
