package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/invoicing"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
	"github.com/sluicepay/sluice/store"
)

// invoiceNet is wallet -> hub (1000 wei + 2500 ppm) -> merchant as three real nodes, the
// wallet knowing the hub's channel to the merchant from gossip.
type invoiceNet struct {
	tn                    *testNet
	wallet, hub, merchant *Node
	w, h, m               common.Address
	ch1, ch2              channel.ID
	m1, m2                *model
	hubDir, merchantDir   string
	hubRouting            RoutingConfig
	merchantOpts          nodeOpts
}

// invoiceNetOpts tweak an invoiceNet: the hub's transport, the merchant's options (its
// dir is kept for restarts).
type invoiceNetOpts struct {
	hubWrap  func(Transport) Transport
	merchant nodeOpts
}

const invoiceNetDeposit = 10_000_000

func newInvoiceNet(t *testing.T, hubWrap func(Transport) Transport) *invoiceNet {
	return newInvoiceNetWith(t, invoiceNetOpts{hubWrap: hubWrap})
}

func newInvoiceNetWith(t *testing.T, o invoiceNetOpts) *invoiceNet {
	hubWrap := o.hubWrap
	tn := newTestNet(t)
	fast := RoutingConfig{AnnounceInterval: 300 * time.Millisecond, AnnounceMinGap: time.Second, AnnounceRefresh: 2 * time.Second}
	hubRouting := fast
	hubRouting.Fees = routing.FeePolicy{Flat: big.NewInt(1000), PPM: 2500}
	x := &invoiceNet{tn: tn, hubDir: t.TempDir(), hubRouting: hubRouting}
	x.wallet = tn.startNode(0, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	x.hub = tn.startNode(1, nodeOpts{dir: x.hubDir, routing: hubRouting, wrap: hubWrap})
	x.merchantOpts = o.merchant
	x.merchantOpts.routing = fast
	if x.merchantOpts.dir == "" {
		x.merchantOpts.dir = t.TempDir()
	}
	x.merchantDir = x.merchantOpts.dir
	x.merchant = tn.startNode(2, x.merchantOpts)
	x.w, x.h, x.m = x.wallet.signer.Address(), x.hub.signer.Address(), x.merchant.signer.Address()
	x.ch1 = openChannel(t, x.wallet, x.hub, big.NewInt(invoiceNetDeposit), nil, time.Hour)
	x.ch2 = openChannel(t, x.hub, x.merchant, big.NewInt(invoiceNetDeposit), nil, time.Hour)
	x.m1, x.m2 = newModel(x.ch1, x.wallet, x.hub, invoiceNetDeposit), newModel(x.ch2, x.hub, x.merchant, invoiceNetDeposit)
	waitFor(t, "the wallet learns the hub -> merchant channel", func() bool {
		_, ok := x.wallet.RoutingGraph().Edge(x.ch2, x.h)
		return ok
	})
	return x
}

func (x *invoiceNet) payTo(to common.Address, amount int64, memo string) (PayToResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := PayToRequest{To: to, Amount: big.NewInt(amount), Memo: memo}
	rand.Read(req.PaymentID[:])
	return x.wallet.PayTo(ctx, req)
}

// unchanged checks that nothing is locked or paid on either channel since the model.
func (x *invoiceNet) unchanged(t *testing.T, what string) {
	t.Helper()
	x.m1.check(t, what, x.wallet, x.hub)
	x.m2.check(t, what, x.hub, x.merchant)
	for _, n := range []*Node{x.wallet, x.hub, x.merchant} {
		n.chans.Range(func(_, v any) bool {
			lc := v.(*liveChannel)
			lc.mu.Lock()
			locks := len(lc.st.Locks(lc.us)) + len(lc.st.Locks(lc.us.Other()))
			lc.mu.Unlock()
			if locks != 0 {
				t.Errorf("%s: %d locks pending on channel %s", what, locks, lc.id)
			}
			return true
		})
	}
}

// A wallet pays a merchant behind a hub by address alone: the invoice comes over the
// route, the merchant keeps the memo with it, and the merchant is paid exactly the amount.
func TestPayToWithoutSecretHashFetchesTheInvoiceOverTheRoute(t *testing.T) {
	x := newInvoiceNet(t, nil)
	const amount, fee = 1_000_001, 3501
	res, err := x.payTo(x.m, amount, "order 42")
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("pay by address without a hash: %+v %v", res, err)
	}
	x.m1.pay(x.w, x.h, amount+fee)
	x.m2.pay(x.h, x.m, amount)
	x.m1.eventually(t, "after the payment", x.wallet, x.hub)
	x.m2.eventually(t, "after the payment", x.hub, x.merchant)
	raw, ok, err := x.merchant.store.GetMeta(invoiceReqNamespace, common.Bytes2Hex(res.Payment.Lock.SecretHash[:]))
	ask, decoded := decodeInvoiceAsk(raw)
	if err != nil || !ok || !decoded || ask.Memo != "order 42" || ask.Payer != x.w {
		t.Fatalf("merchant's record of the invoice: %+v (found %v, %v)", ask, ok, err)
	}
	// A direct partner is asked the same way (a 1-hop route).
	if res, err := x.payTo(x.h, 700, ""); err != nil || len(res.Route.Hops) != 1 {
		t.Fatalf("pay the partner by address: %+v %v", res, err)
	}
	x.m1.pay(x.w, x.h, 700)
	x.m1.eventually(t, "after the 1-hop payment", x.wallet, x.hub)
}

// hashSwapper is a hub that answers invoice requests for the merchant with a hash of its
// own (it knows the secret), so it could claim the wallet's lock without paying the
// merchant. With resign it signs its forgery with its own key; otherwise it keeps the
// merchant's signature over the merchant's hash.
type hashSwapper struct {
	hostPassing
	hub     atomic.Pointer[Node]
	resign  bool
	swapped atomic.Int32
}

func (s *hashSwapper) TrySend(to common.Address, m p2p.Message) error {
	r, ok := m.(*p2p.InvoiceReply)
	hub := s.hub.Load()
	if !ok || r.Code != 0 || hub == nil {
		return s.Transport.TrySend(to, m)
	}
	own, err := hub.NewInvoice(context.Background(), r.Amount)
	if err != nil {
		return err
	}
	forged := *r
	forged.SecretHash = own.SecretHash
	if s.resign {
		inv := invoicing.Invoice{RequestID: r.RequestID, Payer: to, SecretHash: own.SecretHash, Amount: r.Amount, Expiry: r.Expiry}
		if forged.Sig, err = inv.Sign(hub.domain, hub.signer); err != nil {
			return err
		}
	}
	s.swapped.Add(1)
	return s.Transport.TrySend(to, &forged)
}

// A hub that substitutes its own secret hash in the merchant's reply is caught by the
// wallet before anything is locked: the reply is not signed by the merchant.
func TestPayToRefusesAnInvoiceTheHubSubstituted(t *testing.T) {
	for _, resign := range []bool{true, false} {
		swapper := &hashSwapper{resign: resign}
		x := newInvoiceNet(t, func(tr Transport) Transport { swapper.Transport = tr; return swapper })
		swapper.hub.Store(x.hub)
		_, err := x.payTo(x.m, 5000, "")
		if !errors.Is(err, ErrInvoiceForged) || swapper.swapped.Load() != 1 {
			t.Fatalf("resign %v: pay with a substituted hash: %v (swapped %d), want ErrInvoiceForged", resign, err, swapper.swapped.Load())
		}
		time.Sleep(200 * time.Millisecond) // time for a (wrong) lock to travel
		x.unchanged(t, "after the forged invoice")
	}
}

// hostPassing keeps a wrapped transport's libp2p host visible, so routing gossip runs.
type hostPassing struct{ Transport }

func (h hostPassing) Host() host.Host { return h.Transport.(interface{ Host() host.Host }).Host() }

// capturingTransport records what a node sends and can hold back nothing.
type capturingTransport struct {
	hostPassing
	mu   sync.Mutex
	sent []p2p.Message
}

func (c *capturingTransport) TrySend(to common.Address, m p2p.Message) error {
	c.mu.Lock()
	c.sent = append(c.sent, m)
	c.mu.Unlock()
	return c.Transport.TrySend(to, m)
}

func (c *capturingTransport) replies() []*p2p.InvoiceReply {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*p2p.InvoiceReply
	for _, m := range c.sent {
		if r, ok := m.(*p2p.InvoiceReply); ok {
			out = append(out, r)
		}
	}
	return out
}

// Replies nobody asked for are dropped: a hub relays none for a request it did not relay,
// and a payer takes none from a peer it did not ask.
func TestInvoiceRepliesForUnknownRequestsAreIgnored(t *testing.T) {
	capture := &capturingTransport{}
	x := newInvoiceNet(t, func(tr Transport) Transport { capture.Transport = tr; return capture })
	// The merchant replies to the hub for a request id the hub never relayed.
	if err := x.merchant.transport.Send(context.Background(), x.h, &p2p.InvoiceReply{RequestID: [16]byte{1}, SecretHash: [32]byte{2}, Amount: big.NewInt(1)}); err != nil {
		t.Fatal(err)
	}
	// The wallet is waiting for a request via the hub; the merchant (not the peer it
	// asked) answers it first with its own, signed invoice.
	id := [16]byte{9}
	x.wallet.invoices().mu.Lock()
	wait := pendingInvoice{via: x.h, reply: make(chan *p2p.InvoiceReply, 1)}
	x.wallet.invoices().pending[id] = wait
	x.wallet.invoices().mu.Unlock()
	x.wallet.onInvoiceReply(x.m, &p2p.InvoiceReply{RequestID: id, SecretHash: [32]byte{3}, Amount: big.NewInt(1)})
	select {
	case r := <-wait.reply:
		t.Fatalf("payer took a reply from a peer it did not ask: %+v", r)
	default:
	}
	time.Sleep(300 * time.Millisecond)
	if got := capture.replies(); len(got) != 0 {
		t.Fatalf("hub relayed %d replies for a request it never relayed", len(got))
	}
	if x.hub.invoices().relays.Len() != 0 {
		t.Fatal("hub holds relay entries")
	}
}

// Malformed requests are refused with a reply and change nothing: no invoice is stored,
// no relay entry is made; a flood past the per-peer limit is refused the same way.
func TestMalformedInvoiceRequestsChangeNothing(t *testing.T) {
	capture := &capturingTransport{}
	x := newInvoiceNet(t, func(tr Transport) Transport { capture.Transport = tr; return capture })
	invoices := func() int {
		es, err := x.hub.store.(*store.Store).ListMeta(invoiceNamespace)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	before := invoices()
	bad := map[string]*p2p.InvoiceRequest{
		"zero amount":         {RequestID: [16]byte{1}, Target: x.h, Amount: big.NewInt(0)},
		"no amount":           {RequestID: [16]byte{2}, Target: x.h},
		"amount over max":     {RequestID: [16]byte{3}, Target: x.h, Amount: new(big.Int).Add(channel.MaxAmount(), big.NewInt(1))},
		"zero request id":     {Target: x.h, Amount: big.NewInt(5)},
		"another target":      {RequestID: [16]byte{4}, Target: x.m, Amount: big.NewInt(5)},
		"route not to target": {RequestID: [16]byte{5}, Target: x.h, Amount: big.NewInt(5), Hops: []common.Address{x.m}},
		"loop back":           {RequestID: [16]byte{6}, Target: x.w, Amount: big.NewInt(5), Hops: []common.Address{x.w}},
		"no channel onwards":  {RequestID: [16]byte{7}, Target: common.Address{0xee}, Amount: big.NewInt(5), Hops: []common.Address{{0xee}}},
	}
	for name, m := range bad {
		x.hub.onInvoiceRequest(x.w, m)
		_ = name
	}
	waitFor(t, "a refusal for every bad request", func() bool { return len(capture.replies()) == len(bad) })
	for _, r := range capture.replies() {
		if r.Code == 0 || r.SecretHash != ([32]byte{}) {
			t.Fatalf("bad request answered with an invoice: %+v", r)
		}
	}
	// A stranger (no channel with the hub) gets nothing at all.
	x.hub.onInvoiceRequest(common.Address{0x55}, &p2p.InvoiceRequest{RequestID: [16]byte{8}, Target: x.h, Amount: big.NewInt(5)})
	// A flood from one partner: the burst passes, the rest is refused, nothing more stored.
	x.hub.invoices().created = invoicing.Limiter{Rate: 0.001, Burst: 3}
	for i := range 10 {
		x.hub.onInvoiceRequest(x.w, &p2p.InvoiceRequest{RequestID: [16]byte{0x80, byte(i)}, Payer: x.w, Target: x.h, Amount: big.NewInt(5)})
	}
	waitFor(t, "an answer to every request of the flood", func() bool { return len(capture.replies()) == len(bad)+10 })
	limited := 0
	for _, r := range capture.replies()[len(bad):] {
		if r.Code == invoiceRefusedLimited {
			limited++
		}
	}
	if limited != 7 || invoices() != before+3 {
		t.Fatalf("flood of 10 with a burst of 3: %d limited, %d invoices stored (want 7, %d)", limited, invoices(), before+3)
	}
	if x.hub.invoices().relays.Len() != 0 {
		t.Fatal("refused requests left relay entries")
	}
	x.unchanged(t, "after the bad requests")
}
