package node

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/invoicing"
	"github.com/sluicepay/sluice/p2p"
)

// The sybil pass on a merchant's invoice book (ADR 0043): many fresh identities asking a
// merchant for invoices, directly or behind a relaying hub, and never paying. Real nodes
// (embedded chain, libp2p on loopback, leveldb).

// freshPayer is a new key that has no channel anywhere.
func freshPayer(t *testing.T) (*ecdsa.PrivateKey, *channel.KeySigner) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := channel.NewKeySigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return key, s
}

// signedAsk is a request for an invoice of amount from merchant, named and signed by
// payer (a fresh key), to travel through hops.
func signedAsk(t *testing.T, d channel.Domain, payer channel.Signer, merchant common.Address, amount *big.Int, hops []common.Address, memo []byte) *p2p.InvoiceRequest {
	t.Helper()
	m := &p2p.InvoiceRequest{Payer: payer.Address(), Target: merchant, Amount: amount, Hops: hops, Memo: memo}
	rand.Read(m.RequestID[:])
	sig, err := invoicing.Request{ID: m.RequestID, Payer: m.Payer, Payee: merchant, Amount: amount, Memo: memo}.Sign(d, payer)
	if err != nil {
		t.Fatal(err)
	}
	m.PayerSig = sig
	return m
}

// askSigned is askRaw for a request that is already signed (askRaw draws a new id).
func askSigned(t *testing.T, n *Node, via common.Address, m *p2p.InvoiceRequest) *p2p.InvoiceReply {
	t.Helper()
	x := n.invoices()
	wait := pendingInvoice{via: via, reply: make(chan *p2p.InvoiceReply, 1)}
	x.mu.Lock()
	x.pending[m.RequestID] = wait
	x.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := n.transport.Send(ctx, via, m); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-wait.reply:
		return r
	case <-ctx.Done():
		t.Fatal("no invoice reply")
		return nil
	}
}

// TestSybilPayersBehindOneHubLeaveRoomForOtherAskers: the merchant caps open invoices per
// (asking peer, payer) and per asking peer at relayFactor times that (ADR 0035
// amendment). With the defaults (10 x 10,000) one asker's share is the whole book
// (100,000), and a payer key costs nothing: wallet S, with one channel to hub H2, asks
// the merchant through H2 for invoices, each signed by a fresh key, and never pays. H2's
// share fills the merchant's book, and the honest wallet, which pays through another hub
// H, is refused "too many open invoices" for the invoice TTL (an hour, renewable). Here
// the caps are 2 per payer and 20 in total (relayFactor x 2 = 20, the same proportion).
func TestSybilPayersBehindOneHubLeaveRoomForOtherAskers(t *testing.T) {
	x := newInvoiceNetWith(t, invoiceNetOpts{merchant: nodeOpts{invoices: InvoiceConfig{MaxOpenPerPeer: 2, MaxOpen: 20}}})
	s := x.tn.startNode(3, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	h2 := x.tn.startNode(4, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	openChannel(t, s, h2, big.NewInt(1000), nil, time.Hour)
	openChannel(t, h2, x.merchant, big.NewInt(1000), nil, time.Hour)
	hub2 := h2.signer.Address()
	const asked = 30
	issued := 0
	for range asked {
		_, payer := freshPayer(t)
		r := askSigned(t, s, hub2, signedAsk(t, s.domain, payer, x.m, big.NewInt(10), []common.Address{x.m}, nil))
		switch {
		case r.Code == 0:
			issued++
		case r.Code != invoiceRefusedLimited:
			t.Fatalf("sybil request refused with code %d (%q), want an invoice or a cap", r.Code, r.Reason)
		}
	}
	open := countMeta(t, x.merchant, invoiceOpenNamespace)
	t.Logf("%d fresh payer keys behind hub H2: %d invoices issued, %d open records stored", asked, issued, open)
	if open != issued {
		t.Fatalf("%d open records for %d invoices issued", open, issued)
	}
	res, err := x.payTo(x.m, 10_000, "honest")
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("the honest wallet pays through hub H during the flood: %+v %v (hub H2 holds %d of the merchant's 20 open invoices for fresh payer keys: one asker's share is the whole book)", res, err, issued)
	}
	if total, peer := x.merchant.book().counts(hub2); peer > (20+1)/2 || total > 20 {
		t.Fatalf("H2 holds %d open invoices (book %d), more than half the book", peer, total)
	}
}

// silentHandler is a sybil's p2p handler: it counts the invoice replies it gets.
type silentHandler struct{ replies atomic.Int64 }

func (*silentHandler) PeerConnected(common.Address)    {}
func (*silentHandler) PeerDisconnected(common.Address) {}
func (h *silentHandler) HandleMessage(_ common.Address, m p2p.Message) {
	if _, ok := m.(*p2p.InvoiceReply); ok {
		h.replies.Add(1)
	}
}

// TestChannellessSybilIdentitiesCostTheMerchantNothing: 200 fresh libp2p/eth identities
// with no channel anywhere connect to the merchant and to the hub and each asks both for
// invoices (signed by itself, within every rate limit), while the honest wallet pays the
// merchant through the hub. Only channel partners may ask (ADR 0028): nothing is stored,
// signed or answered for them, the merchant's group commits are those of the honest
// payment, and the honest payment goes through.
func TestChannellessSybilIdentitiesCostTheMerchantNothing(t *testing.T) {
	x := newInvoiceNet(t, nil)
	merchantInfo, err := peer.AddrInfoFromString(addrOf(t, x.merchant))
	if err != nil {
		t.Fatal(err)
	}
	hubInfo, err := peer.AddrInfoFromString(addrOf(t, x.hub))
	if err != nil {
		t.Fatal(err)
	}
	d := x.merchant.domain
	openBefore, reqBefore := countMeta(t, x.merchant, invoiceOpenNamespace), countMeta(t, x.merchant, invoiceReqNamespace)
	groupsBefore := x.merchant.durable.groups.Load()
	const identities, batch, perIdentity = 200, 40, 5
	h := &silentHandler{}
	var sent atomic.Int64
	paid := make(chan error, 1)
	for b := 0; b < identities; b += batch {
		var wg sync.WaitGroup
		var sybils []*p2p.Transport
		var mu sync.Mutex
		for range batch {
			key, payer := freshPayer(t)
			tr, err := p2p.New(p2p.Config{Key: key, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, ChainID: d.ChainID, Contract: d.Contract, Handler: h})
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			sybils = append(sybils, tr)
			mu.Unlock()
			var asks []*p2p.InvoiceRequest
			for range perIdentity {
				asks = append(asks, signedAsk(t, d, payer, x.m, big.NewInt(10), nil, make([]byte, p2p.MaxMemoSize)),
					signedAsk(t, d, payer, x.m, big.NewInt(10), []common.Address{x.m}, nil))
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				for _, to := range []*peer.AddrInfo{merchantInfo, hubInfo} {
					if err := tr.Connect(ctx, *to); err != nil {
						t.Errorf("sybil connect: %v", err)
						return
					}
				}
				for i, m := range asks {
					to := x.m // the merchant directly, then through the hub
					if i%2 == 1 {
						to = x.h
					}
					if tr.Send(ctx, to, m) == nil {
						sent.Add(1)
					}
				}
			}()
		}
		if b == 2*batch { // the honest wallet pays in the middle of the flood
			go func() {
				res, err := x.payTo(x.m, 10_000, "honest during the flood")
				if err == nil && !res.Payment.Unlocked {
					err = context.DeadlineExceeded
				}
				paid <- err
			}()
		}
		wg.Wait()
		time.Sleep(300 * time.Millisecond) // let the merchant read what was sent
		for _, tr := range sybils {
			tr.Close()
		}
	}
	if err := <-paid; err != nil {
		t.Fatalf("the honest payment during the flood: %v", err)
	}
	if sent.Load() < identities*perIdentity*2*9/10 {
		t.Fatalf("setup: only %d requests sent", sent.Load())
	}
	if got := countMeta(t, x.merchant, invoiceReqNamespace) - reqBefore; got != 1 {
		t.Fatalf("%d invoice requests stored during the flood, want the honest one", got)
	}
	if got := countMeta(t, x.merchant, invoiceOpenNamespace) - openBefore; got != 0 {
		t.Fatalf("%d open invoices left after the flood (the honest one was paid)", got)
	}
	if n := h.replies.Load(); n != 0 {
		t.Fatalf("the sybils got %d invoice replies", n)
	}
	groups := x.merchant.durable.groups.Load() - groupsBefore
	t.Logf("%d requests from %d channel-less identities; the merchant's group commits meanwhile: %d (the honest payment's)", sent.Load(), identities, groups)
	if groups > 20 {
		t.Fatalf("the merchant committed %d groups during the flood", groups)
	}
}

// TestSybilKeysBehindAHubLeaveAPayingWalletItsInvoices: the honest wallet, behind hub H,
// has paid the merchant before. Wallet S, behind the same hub, asks through it for
// invoices signed by fresh keys and never pays. The merchant cannot tell S's keys from
// wallets (the hub could; the merchant sees only the hub), so on the old code S filled
// the hub's whole share and the honest wallet's next payment was refused "too many open
// invoices". Payers that never paid now hold at most half of an asker's share (ADR 0043):
// the wallet that paid before still gets its invoice and pays.
func TestSybilKeysBehindAHubLeaveAPayingWalletItsInvoices(t *testing.T) {
	x := newInvoiceNetWith(t, invoiceNetOpts{merchant: nodeOpts{invoices: InvoiceConfig{MaxOpenPerPeer: 2, MaxOpen: 40}}})
	if res, err := x.payTo(x.m, 10_000, "first"); err != nil || !res.Payment.Unlocked {
		t.Fatalf("the honest wallet's first payment: %+v %v", res, err)
	}
	s := x.tn.startNode(3, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	openChannel(t, s, x.hub, big.NewInt(1000), nil, time.Hour)
	const asked = 30
	issued := 0
	for range asked {
		_, payer := freshPayer(t)
		if r := askSigned(t, s, x.h, signedAsk(t, s.domain, payer, x.m, big.NewInt(10), []common.Address{x.m}, nil)); r.Code == 0 {
			issued++
		}
	}
	t.Logf("%d fresh keys behind the honest wallet's hub: %d invoices issued", asked, issued)
	if res, err := x.payTo(x.m, 10_000, "second"); err != nil || !res.Payment.Unlocked {
		t.Fatalf("the honest wallet pays again during the flood: %+v %v (S's fresh keys hold %d of the hub's open invoices)", res, err, issued)
	}
	if _, peer := x.merchant.book().counts(x.h); peer > 20 {
		t.Fatalf("the hub holds %d open invoices, more than its share", peer)
	}
}
