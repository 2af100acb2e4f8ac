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
	"github.com/sluicepay/sluice/store"
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

// silentTarget drops the invoice replies its node sends: an accomplice that never answers.
type silentTarget struct{ hostPassing }

func (s silentTarget) TrySend(to common.Address, m p2p.Message) error {
	if _, ok := m.(*p2p.InvoiceReply); ok {
		return nil
	}
	return s.Transport.TrySend(to, m)
}

// TestUnansweredInvoiceRequestsCannotFillAHubsRelayTable: a hub remembers every invoice
// request it relays until the reply comes back or 30 s pass, in one table for all its
// partners (10,000 entries; 100 here). Wallet S, a partner of the hub, asks the hub for
// invoices from its accomplice T (another partner of the hub) that never answers, within
// the hub's rate limit: on the old code its requests filled the table and every other
// wallet's request was refused "too many invoice requests in flight" for as long as S
// kept asking. The honest wallet pays the merchant through the hub during the flood.
func TestUnansweredInvoiceRequestsCannotFillAHubsRelayTable(t *testing.T) {
	x := newInvoiceNet(t, nil)
	relays := &x.hub.invoices().relays
	relays.Max = 100
	s := x.tn.startNode(3, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	hole := x.tn.startNode(4, nodeOpts{routing: RoutingConfig{NoAnnounce: true},
		wrap: func(tr Transport) Transport { return silentTarget{hostPassing{tr}} }})
	openChannel(t, s, x.hub, big.NewInt(1000), nil, time.Hour)
	openChannel(t, hole, x.hub, big.NewInt(1000), nil, time.Hour)
	accomplice, sybil := hole.signer.Address(), s.signer.Address()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const asked = 300
	for range asked {
		m := &p2p.InvoiceRequest{Payer: sybil, Target: accomplice, Amount: big.NewInt(10), Hops: []common.Address{accomplice}}
		rand.Read(m.RequestID[:])
		if err := s.transport.Send(ctx, x.h, m); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the hub relays the flood", func() bool { return relays.Held(sybil) >= 50 })
	time.Sleep(500 * time.Millisecond) // the rest of the flood reaches the hub
	t.Logf("%d unanswered requests: the hub holds %d of them in flight (table of %d)", asked, relays.Held(sybil), relays.Max)
	res, err := x.payTo(x.m, 10_000, "honest")
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("the honest wallet pays through the hub during the flood: %+v %v (S's unanswered requests hold %d of the hub's %d relay entries)", res, err, relays.Held(sybil), relays.Max)
	}
	if held := relays.Held(sybil); held > relays.Max/2 {
		t.Fatalf("S holds %d relay entries, more than half the table", held)
	}
}

// countRouted is the number of routed payment records n stores.
func countRouted(t *testing.T, n *Node) int {
	t.Helper()
	total, cursor := 0, ""
	for {
		page, err := n.store.(*store.Store).ListRouted(cursor, 1000)
		if err != nil {
			t.Fatal(err)
		}
		total += len(page.Records)
		if page.Next == "" {
			return total
		}
		cursor = page.Next
	}
}

// invoiceFootprint is what the merchant stores for its invoices, by kind.
func invoiceFootprint(t *testing.T, n *Node) [5]int {
	return [5]int{countMeta(t, n, invoiceNamespace), countMeta(t, n, invoiceReqNamespace), countMeta(t, n, invoiceOpenNamespace),
		countMeta(t, n, routedLiveNamespace), countRouted(t, n)}
}

// TestUnpaidInvoiceFloodIsSweptBackToBaseline: a wallet behind the hub asks the merchant
// for 400 invoices with the longest memo, each signed by a fresh payer key, and pays none.
// The merchant answers them all (within its caps), each costing a secret, the amount, the
// request with its memo, the open record and a pending routed record, group-committed;
// once their TTL (2 s here) passes the sweep deletes every one: the store holds what it
// held before the flood, and the book is empty again.
func TestUnpaidInvoiceFloodIsSweptBackToBaseline(t *testing.T) {
	x := newInvoiceNetWith(t, invoiceNetOpts{merchant: nodeOpts{invoices: InvoiceConfig{
		TTL: 2 * time.Second, SweepInterval: 100 * time.Millisecond, MaxOpenPerPeer: 100, MaxOpen: 2000}}})
	before := invoiceFootprint(t, x.merchant)
	groups := x.merchant.durable.groups.Load()
	const asked, round = 400, 50
	var hashes [][32]byte
	memo := make([]byte, p2p.MaxMemoSize)
	for i := range memo {
		memo[i] = 0xff
	}
	for sent := 0; sent < asked; sent += round {
		replies := make(chan *p2p.InvoiceReply, round)
		for range round {
			_, payer := freshPayer(t)
			m := signedAsk(t, x.wallet.domain, payer, x.m, channel.MaxAmount(), []common.Address{x.m}, memo)
			go func() { replies <- askSignedQuiet(x.wallet, x.h, m) }()
		}
		for range round {
			r := <-replies
			if r == nil || r.Code != 0 {
				t.Fatalf("flood request refused: %+v", r)
			}
			hashes = append(hashes, r.SecretHash)
		}
	}
	want := before
	for i := range want {
		want[i] += asked
	}
	// The routed records follow the replies (invoiceLog's write, not awaited).
	waitFor(t, "one record of each kind per unpaid invoice", func() bool { return invoiceFootprint(t, x.merchant) == want })
	commits := x.merchant.durable.groups.Load() - groups
	t.Logf("%d unpaid invoices: footprint %v -> %v (invoice, invoicereq, invoiceopen, routedlive, routed), %d group commits", asked, before, want, commits)
	waitFor(t, "the sweep deletes the unpaid flood", func() bool { return invoiceFootprint(t, x.merchant) == before })
	for _, h := range hashes {
		if hasSecret(t, x.merchant, h) {
			t.Fatalf("secret of swept invoice %x still stored", h)
		}
	}
	if total, peer := x.merchant.book().counts(x.h); total != 0 || peer != 0 {
		t.Fatalf("the book holds %d open invoices (%d for the hub) after the sweep", total, peer)
	}
	res, err := x.payTo(x.m, 10_000, "after the flood")
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("an honest payment after the sweep: %+v %v", res, err)
	}
}

// askSignedQuiet is askSigned for a goroutine: nil when no reply came.
func askSignedQuiet(n *Node, via common.Address, m *p2p.InvoiceRequest) *p2p.InvoiceReply {
	x := n.invoices()
	wait := pendingInvoice{via: via, reply: make(chan *p2p.InvoiceReply, 1)}
	x.mu.Lock()
	x.pending[m.RequestID] = wait
	x.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := n.transport.Send(ctx, via, m); err != nil {
		return nil
	}
	select {
	case r := <-wait.reply:
		return r
	case <-ctx.Done():
		return nil
	}
}

// TestInvoiceRequestEdges: requests at the edges of what the merchant takes, from two
// partners asking directly. The longest memo and the largest amount (uint128) get an
// invoice and are kept intact; an amount past uint128 (still a uint256 on the wire), a
// zero amount and a zero request id are refused as invalid and store nothing; one request
// id used by two identities (each signing as itself) gets two invoices with different
// hashes, each counted against its own (asker, payer), and each reply reaches only the
// identity that asked.
func TestInvoiceRequestEdges(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{invoices: InvoiceConfig{MaxOpenPerPeer: 10, MaxOpen: 100}})
	openChannel(t, a, c, big.NewInt(1000), nil, time.Hour)
	openChannel(t, b, c, big.NewInt(1000), nil, time.Hour)
	merchant := c.signer.Address()
	memo := make([]byte, p2p.MaxMemoSize)
	rand.Read(memo)
	long := signedAsk(t, a.domain, a.signer, merchant, channel.MaxAmount(), nil, memo)
	r := askSigned(t, a, merchant, long)
	if r.Code != 0 || r.Amount.Cmp(channel.MaxAmount()) != 0 {
		t.Fatalf("the longest memo and the largest amount: %+v", r)
	}
	raw, found, err := c.store.GetMeta(invoiceReqNamespace, hashKey(r.SecretHash))
	if err != nil || !found {
		t.Fatalf("the request's record: %v %v", found, err)
	}
	if ask, ok := decodeInvoiceAsk(raw); !ok || ask.Memo != string(memo) || ask.RequestID != long.RequestID || ask.Payer != a.signer.Address() {
		t.Fatalf("the request's record does not keep the memo and the request: %+v %v", ask, ok)
	}
	over := new(big.Int).Add(channel.MaxAmount(), big.NewInt(1))
	for name, m := range map[string]*p2p.InvoiceRequest{
		"amount past uint128": signedAsk(t, a.domain, a.signer, merchant, over, nil, nil),
		"zero amount":         signedAsk(t, a.domain, a.signer, merchant, new(big.Int), nil, nil),
	} {
		if r := askSigned(t, a, merchant, m); r.Code != invoiceRefusedInvalid || r.Sig != ([65]byte{}) {
			t.Fatalf("%s: reply %+v, want refused as invalid", name, r)
		}
	}
	zero := &p2p.InvoiceRequest{Payer: a.signer.Address(), Target: merchant, Amount: big.NewInt(5)}
	if r := askSigned(t, a, merchant, zero); r.Code != invoiceRefusedInvalid {
		t.Fatalf("zero request id: reply %+v, want refused as invalid", r)
	}
	// One id, two identities.
	ma := signedAsk(t, a.domain, a.signer, merchant, big.NewInt(5), nil, nil)
	mb := *ma
	sig, err := invoicing.Request{ID: mb.RequestID, Payer: b.signer.Address(), Payee: merchant, Amount: mb.Amount}.Sign(b.domain, b.signer)
	if err != nil {
		t.Fatal(err)
	}
	mb.Payer, mb.PayerSig = b.signer.Address(), sig
	var ra, rb *p2p.InvoiceReply
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ra = askSignedQuiet(a, merchant, ma) }()
	go func() { defer wg.Done(); rb = askSignedQuiet(b, merchant, &mb) }()
	wg.Wait()
	if ra == nil || rb == nil || ra.Code != 0 || rb.Code != 0 || ra.SecretHash == rb.SecretHash {
		t.Fatalf("one request id from two identities: %+v and %+v, want two invoices with different hashes", ra, rb)
	}
	book := c.book()
	if book.payerCount(a.signer.Address(), a.signer.Address()) != 2 || book.payerCount(b.signer.Address(), b.signer.Address()) != 1 {
		t.Fatalf("counted %d against a and %d against b, want 2 and 1", book.payerCount(a.signer.Address(), a.signer.Address()), book.payerCount(b.signer.Address(), b.signer.Address()))
	}
	if got := countMeta(t, c, invoiceOpenNamespace); got != 3 {
		t.Fatalf("%d open invoices stored, want the 3 issued (refusals store nothing)", got)
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
