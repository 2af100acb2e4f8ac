package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/invoicing"
	"github.com/sluicepay/sluice/p2p"
)

// The payer's signature on its invoice request (ADR 0035 amendment): the merchant counts
// a signed request against the payer it names, an unsigned one in one shared bucket per
// asking peer, and refuses a forged one. Real nodes (embedded chain, libp2p, leveldb).

// askRaw sends m from n to via as n's own request, under a new request id, and returns
// the reply (askSigned, invoice_sybil_test.go, keeps the id a signature covers).
func askRaw(t *testing.T, n *Node, via common.Address, m *p2p.InvoiceRequest) *p2p.InvoiceReply {
	t.Helper()
	rand.Read(m.RequestID[:])
	return askSigned(t, n, via, m)
}

func (b *invoiceBook) payerCount(asker, payer common.Address) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.perPayer[askKey{asker, payer}]
}

// A wallet that names another payer and signs with its own key (or sends garbage) is
// refused as invalid, and the merchant stores nothing and signs nothing.
func TestInvoiceRequestWithAForgedPayerSignatureIsRefusedAndStoresNothing(t *testing.T) {
	tn := newTestNet(t)
	x := tn.startNode(1, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	p := tn.startNode(4, nodeOpts{})
	openChannel(t, x, c, big.NewInt(1000), nil, time.Hour)
	merchant, honest := c.signer.Address(), p.signer.Address()
	for name, forge := range map[string]func(req invoicing.Request) [65]byte{
		"signed by the spoofer": func(req invoicing.Request) [65]byte {
			req.Payer = x.signer.Address() // x can only sign as itself
			sig, err := req.Sign(x.domain, x.signer)
			if err != nil {
				t.Fatal(err)
			}
			return sig
		},
		"garbage": func(invoicing.Request) [65]byte { return [65]byte{1, 2, 3, 64: 27} },
		"another request of the payer": func(req invoicing.Request) [65]byte {
			req.Amount = big.NewInt(11) // a signature P made for something else
			sig, err := req.Sign(p.domain, p.signer)
			if err != nil {
				t.Fatal(err)
			}
			return sig
		},
	} {
		m := &p2p.InvoiceRequest{Payer: honest, Target: merchant, Amount: big.NewInt(10), Memo: []byte("m")}
		rand.Read(m.RequestID[:])
		m.PayerSig = forge(invoicing.Request{ID: m.RequestID, Payer: honest, Payee: merchant, Amount: m.Amount, Memo: m.Memo})
		r := askRaw(t, x, merchant, m)
		if r.Code != invoiceRefusedInvalid || r.Sig != ([65]byte{}) {
			t.Fatalf("%s: reply code %d (%q), want %d and no signature", name, r.Code, r.Reason, invoiceRefusedInvalid)
		}
	}
	if n, q := countMeta(t, c, invoiceOpenNamespace), countMeta(t, c, invoiceReqNamespace); n != 0 || q != 0 {
		t.Fatalf("the merchant stored %d open invoices and %d requests for forged requests", n, q)
	}
	if got := c.book().payerCount(x.signer.Address(), honest); got != 0 {
		t.Fatalf("%d invoices counted against the honest payer", got)
	}
}

// Unsigned requests (payers from before requests were signed) share one bucket per asking
// peer whatever payer they name, so naming many payers buys no more than MaxOpenPerPeer;
// the same peer's signed request is still counted against its own payer.
func TestInvoiceRequestWithoutSignatureIsCountedInTheSharedBucket(t *testing.T) {
	tn := newTestNet(t)
	x := tn.startNode(1, nodeOpts{})
	c := tn.startNode(3, nodeOpts{invoices: InvoiceConfig{MaxOpenPerPeer: 2, MaxOpen: 50}})
	openChannel(t, x, c, big.NewInt(1000), nil, time.Hour)
	merchant, asker := c.signer.Address(), x.signer.Address()
	var codes []uint16
	for i := byte(1); i <= 4; i++ {
		m := &p2p.InvoiceRequest{Payer: common.Address{i}, Target: merchant, Amount: big.NewInt(10)}
		codes = append(codes, askRaw(t, x, merchant, m).Code)
	}
	if codes[0] != 0 || codes[1] != 0 || codes[2] != invoiceRefusedLimited || codes[3] != invoiceRefusedLimited {
		t.Fatalf("reply codes %v for four unsigned requests naming four payers, want two invoices then two refusals (cap 2 shared)", codes)
	}
	if got := c.book().payerCount(asker, common.Address{}); got != 2 {
		t.Fatalf("shared bucket holds %d, want 2", got)
	}
	if got := countMeta(t, c, invoiceOpenNamespace); got != 2 {
		t.Fatalf("%d open invoices stored, want 2", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := x.FetchInvoice(ctx, []common.Address{merchant}, big.NewInt(10), nil); err != nil {
		t.Fatalf("a signed request after the shared bucket is full: %v", err)
	}
	if got := c.book().payerCount(asker, asker); got != 1 {
		t.Fatalf("signed request counted %d times against its payer, want 1", got)
	}
}

// The signature survives relaying: a wallet's signed request through a hub is accepted and
// counted against (hub, wallet); the wallet's invoice names it as payer.
func TestSignedInvoiceRequestRelayedThroughAHubIsAccepted(t *testing.T) {
	tn := newTestNet(t)
	p := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	openChannel(t, p, h, big.NewInt(1000), nil, time.Hour)
	openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, merchant, payer := h.signer.Address(), c.signer.Address(), p.signer.Address()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	inv, err := p.FetchInvoice(ctx, []common.Address{hub, merchant}, big.NewInt(10), []byte("order 7"))
	if err != nil {
		t.Fatal(err)
	}
	if inv.Payer != payer || inv.Payee != merchant {
		t.Fatalf("invoice payer %s payee %s", inv.Payer, inv.Payee)
	}
	if got := c.book().payerCount(hub, payer); got != 1 {
		t.Fatalf("counted %d against (hub, payer), want 1 (the relayed signature was not verified)", got)
	}
	if got := c.book().payerCount(hub, common.Address{}); got != 0 {
		t.Fatalf("counted %d in the hub's unsigned bucket", got)
	}
}
