package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/invoicing"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// The sybil pass (ADR 0043), continued: a hub's relay table against requests nobody
// answers, a merchant's store against a flood of invoices nobody pays, and requests at
// the edges. Real nodes (embedded chain, libp2p on loopback, leveldb).

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

// countRouted is the number of routed payment records n stores. ListRouted reads the
// index and the records without a snapshot, so a record the sweep deletes between the two
// fails the listing ("indexed but unreadable"); the count is then taken again.
func countRouted(t *testing.T, n *Node) int {
	t.Helper()
	for range 50 {
		if c, err := listRoutedCount(n); err == nil {
			return c
		}
		time.Sleep(10 * time.Millisecond)
	}
	c, err := listRoutedCount(n)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func listRoutedCount(n *Node) (int, error) {
	total, cursor := 0, ""
	for {
		page, err := n.store.(*store.Store).ListRouted(cursor, 1000)
		if err != nil {
			return 0, err
		}
		total += len(page.Records)
		if page.Next == "" {
			return total, nil
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
	// The book lets go once the deletion is durable (a moment after the store shows it).
	waitFor(t, "the book empties", func() bool { total, peer := x.merchant.book().counts(x.h); return total == 0 && peer == 0 })
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
