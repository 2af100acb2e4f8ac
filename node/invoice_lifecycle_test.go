package node

import (
	"context"
	"errors"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Tests of the payee's invoice lifecycle (ADR 0035): caps, expiry, the sweep.

// refusalDropper is a merchant's transport that never delivers its LockRefused: a lock
// it refuses stays pending (as if its payer had not cancelled it yet).
type refusalDropper struct {
	hostPassing
	dropped atomic.Int32
}

func (r *refusalDropper) Send(ctx context.Context, to common.Address, m p2p.Message) error {
	if _, ok := m.(*p2p.LockRefused); ok {
		r.dropped.Add(1)
		return nil
	}
	return r.Transport.Send(ctx, to, m)
}

// revealHolder is a merchant's transport that holds back its SecretReveals while hold is
// set (as if the hub were unreachable for them).
type revealHolder struct {
	hostPassing
	hold atomic.Bool
	held atomic.Int32
}

func (r *revealHolder) Send(ctx context.Context, to common.Address, m p2p.Message) error {
	if _, ok := m.(*p2p.SecretReveal); ok && r.hold.Load() {
		r.held.Add(1)
		return nil
	}
	return r.Transport.Send(ctx, to, m)
}

func (r *revealHolder) TrySend(to common.Address, m p2p.Message) error {
	if _, ok := m.(*p2p.SecretReveal); ok && r.hold.Load() {
		r.held.Add(1)
		return nil
	}
	return r.Transport.TrySend(to, m)
}

func countMeta(t *testing.T, n *Node, ns string) int {
	t.Helper()
	es, err := n.store.(*store.Store).ListMeta(ns)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func hasSecret(t *testing.T, n *Node, h [32]byte) bool {
	t.Helper()
	_, found, err := n.store.(*store.Store).GetSecret(h)
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// waitPast sleeps until the wall clock is past unix second expiry.
func waitPast(expiry uint64) {
	for uint64(time.Now().Unix()) < expiry {
		time.Sleep(50 * time.Millisecond)
	}
}

// A partner asking for invoices as fast as the rate limit lets it cannot make the payee
// store more than its cap per peer, nor the payee's own API more than the total cap; the
// requests past it get an invoice reply refusing them with the reason.
func TestInvoiceRequestsAtTheRateLimitStopAtTheOpenInvoiceCap(t *testing.T) {
	capture := &capturingTransport{}
	x := newInvoiceNet(t, func(tr Transport) Transport { capture.Transport = tr; return capture })
	// The hub is the target: a payee whose partner (the wallet) floods it.
	hb := x.hub.book()
	hb.mu.Lock()
	hb.cfg.MaxOpenPerPeer, hb.cfg.MaxOpen = 30, 120 // a lone asker may hold half the book, and payers that never paid half of that (ADR 0043)
	hb.mu.Unlock()
	before := countMeta(t, x.hub, invoiceNamespace)
	// 300 requests, within the creation limiter's burst (none is rate limited), in rounds
	// of 50 so that none meets the bound on invoices being written at once.
	const asked, round = 300, 50
	for sent := 0; sent < asked; sent += round {
		for i := sent; i < sent+round; i++ {
			m := &p2p.InvoiceRequest{RequestID: [16]byte{0x11, byte(i >> 8), byte(i)}, Payer: x.w, Target: x.h, Amount: big.NewInt(5)}
			if err := x.wallet.transport.Send(context.Background(), x.h, m); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "a reply to every request", func() bool { return len(capture.replies()) == sent+round })
	}
	issued, full := 0, 0
	for _, r := range capture.replies() {
		switch {
		case r.Code == 0:
			issued++
		case r.Code == invoiceRefusedLimited && r.Reason == "too many open invoices":
			full++
		default:
			t.Fatalf("unexpected refusal: %+v", r)
		}
	}
	if issued != 30 || full != asked-30 {
		t.Fatalf("%d invoices issued, %d refused as full; want 30, %d", issued, full, asked-30)
	}
	if got := countMeta(t, x.hub, invoiceNamespace) - before; got != 30 {
		t.Fatalf("the hub stored %d invoices for one partner, cap 30", got)
	}
	if got := countMeta(t, x.hub, invoiceOpenNamespace); got != 30 {
		t.Fatalf("%d open records, want 30", got)
	}
	// The node's own invoices fill the rest of the total cap, then are refused.
	for i := range 90 {
		if _, err := x.hub.NewInvoice(context.Background(), big.NewInt(7)); err != nil {
			t.Fatalf("own invoice %d under the total cap: %v", i, err)
		}
	}
	_, err := x.hub.NewInvoice(context.Background(), big.NewInt(7))
	if !errors.Is(err, ErrTooManyInvoices) || !errors.Is(err, channel.ErrRateLimited) {
		t.Fatalf("own invoice past the total cap: %v", err)
	}
	if got := countMeta(t, x.hub, invoiceNamespace) - before; got != 120 {
		t.Fatalf("%d invoices stored, total cap 120", got)
	}
	x.unchanged(t, "after the flood")
}

// Expired unpaid invoices (from sluice_invoice and over the wire) are deleted with their
// secrets and records by a sweep; a paid one and one whose lock the payee took (still
// pending) keep theirs. After a restart the sweep at start deletes what expired while the
// node was down.
func TestExpiredUnpaidInvoicesAreSwept(t *testing.T) {
	holder := &revealHolder{}
	x := newInvoiceNetWith(t, invoiceNetOpts{merchant: nodeOpts{
		invoices: InvoiceConfig{TTL: 4 * time.Second, SweepInterval: time.Hour},
		wrap:     func(tr Transport) Transport { holder.Transport = tr; return holder },
	}})
	ctx := context.Background()
	unpaidAPI, err := x.merchant.NewInvoice(ctx, big.NewInt(5000))
	if err != nil {
		t.Fatal(err)
	}
	hops := []common.Address{x.h, x.m}
	unpaidWire, err := x.wallet.FetchInvoice(ctx, hops, big.NewInt(6000), []byte("never paid"))
	if err != nil {
		t.Fatal(err)
	}
	paid, err := x.merchant.NewInvoice(ctx, big.NewInt(7000))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := x.wallet.PayTo(ctx, PayToRequest{To: x.m, Amount: big.NewInt(7000), SecretHash: paid.SecretHash}); err != nil || !res.Payment.Unlocked {
		t.Fatalf("pay the invoice before its expiry: %+v %v", res, err)
	}
	taken, err := x.merchant.NewInvoice(ctx, big.NewInt(8000))
	if err != nil {
		t.Fatal(err)
	}
	holder.hold.Store(true)
	payErr := make(chan error, 1)
	go func() {
		c, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		_, err := x.wallet.PayTo(c, PayToRequest{To: x.m, Amount: big.NewInt(8000), SecretHash: taken.SecretHash})
		payErr <- err
	}()
	waitFor(t, "the merchant takes the invoice", func() bool { _, ok := x.merchant.invoiceTakerOf(taken.SecretHash); return ok })
	if got := countMeta(t, x.merchant, invoiceReqNamespace); got != 1 {
		t.Fatalf("%d wire requests recorded", got)
	}
	if len(routedRecords(t, x.merchant)) < 2 {
		t.Fatal("no target record for the wire invoice")
	}
	waitPast(max(unpaidAPI.Expiry, unpaidWire.Expiry, taken.Expiry))
	if n := x.merchant.sweepInvoices(ctx, time.Now()); n != 2 {
		t.Fatalf("the sweep looked at %d invoices, want the 2 unpaid ones", n)
	}
	for _, h := range [][32]byte{unpaidAPI.SecretHash, unpaidWire.SecretHash} {
		if hasSecret(t, x.merchant, h) {
			t.Fatalf("secret of expired unpaid invoice %x kept", h)
		}
		if _, mine := x.merchant.invoiceAmount(h); mine {
			t.Fatalf("expired unpaid invoice %x kept", h)
		}
	}
	if got := countMeta(t, x.merchant, invoiceReqNamespace); got != 0 {
		t.Fatalf("%d wire requests kept", got)
	}
	for _, r := range routedRecords(t, x.merchant) {
		if r.SecretHash == unpaidWire.SecretHash {
			t.Fatalf("the expired invoice's target record kept: %+v", r)
		}
	}
	for _, h := range [][32]byte{paid.SecretHash, taken.SecretHash} {
		if !hasSecret(t, x.merchant, h) {
			t.Fatalf("secret of paid or taken invoice %x deleted", h)
		}
	}
	// The lock taken before the expiry is revealed for after it: the merchant is paid.
	holder.hold.Store(false)
	if err := <-payErr; err != nil {
		t.Fatalf("a lock taken before the invoice's expiry, revealed after it: %v", err)
	}
	if holder.held.Load() == 0 {
		t.Fatal("no reveal was held back: the test did not test the reveal after expiry")
	}
	if !hasSecret(t, x.merchant, taken.SecretHash) {
		t.Fatal("secret deleted after payment")
	}

	// Invoices that expire while the merchant is down are gone after its restart.
	down, err := x.merchant.NewInvoice(ctx, big.NewInt(9000))
	if err != nil {
		t.Fatal(err)
	}
	if err := x.merchant.Close(); err != nil {
		t.Fatal(err)
	}
	waitPast(down.Expiry)
	opts := x.merchantOpts
	opts.wrap = nil
	opts.staticPeers = []string{addrOf(t, x.hub)}
	m := x.tn.startNode(2, opts)
	waitFor(t, "the sweep at start", func() bool { return !hasSecret(t, m, down.SecretHash) })
	if _, mine := m.invoiceAmount(down.SecretHash); mine || countMeta(t, m, invoiceOpenNamespace) != 0 {
		t.Fatal("expired invoice kept over the restart")
	}
	for _, h := range [][32]byte{paid.SecretHash, taken.SecretHash} {
		if !hasSecret(t, m, h) {
			t.Fatalf("secret of paid invoice %x deleted at start", h)
		}
	}
}

// A lock that reaches the payee after its invoice expired is refused (invoice_expired),
// the payer's lock is cancelled and nothing moves; a lock the payee took before the
// expiry is still paid after it (TestExpiredUnpaidInvoicesAreSwept).
func TestLockAfterInvoiceExpiryIsRefused(t *testing.T) {
	x := newInvoiceNetWith(t, invoiceNetOpts{merchant: nodeOpts{invoices: InvoiceConfig{TTL: time.Second, SweepInterval: time.Hour}}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	inv, err := x.merchant.NewInvoice(ctx, big.NewInt(5000))
	if err != nil {
		t.Fatal(err)
	}
	waitPast(inv.Expiry)
	_, err = x.wallet.PayTo(ctx, PayToRequest{To: x.m, Amount: big.NewInt(5000), SecretHash: inv.SecretHash})
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonInvoiceExpired || refused.FailedNode != x.m {
		t.Fatalf("pay an expired invoice: %v, want refused by the payee: invoice_expired", err)
	}
	waitFor(t, "the refused locks are cancelled", func() bool {
		locks := 0
		for _, n := range []*Node{x.wallet, x.hub, x.merchant} {
			n.chans.Range(func(_, v any) bool {
				lc := v.(*liveChannel)
				lc.mu.Lock()
				locks += len(lc.st.Locks(lc.us)) + len(lc.st.Locks(lc.us.Other()))
				lc.mu.Unlock()
				return true
			})
		}
		return locks == 0
	})
	x.unchanged(t, "after the refused lock")
	if _, ok := x.merchant.invoiceTakerOf(inv.SecretHash); ok {
		t.Fatal("a refused lock took the invoice")
	}
}

// The first lock accepted takes the invoice: the same lock again is still revealed for, a
// lock on another channel or with another expiration is not, and a new lock after the
// expiry of an open invoice is refused.
func TestInvoiceIsTakenByOneLock(t *testing.T) {
	tn := newTestNet(t)
	n := tn.startNode(0, nodeOpts{invoices: InvoiceConfig{TTL: 2 * time.Second, SweepInterval: time.Hour}})
	ctx := context.Background()
	inv, err := n.NewInvoice(ctx, big.NewInt(10))
	if err != nil {
		t.Fatal(err)
	}
	take := func(ch channel.ID, exp uint64) (bool, error) {
		defer n.lockDecision(inv.SecretHash)()
		done := make(chan struct{})
		taken, err := n.takeInvoice(ch, channel.Lock{Amount: big.NewInt(10), Expiration: exp, SecretHash: inv.SecretHash}, func() { close(done) })
		if err == nil && !taken {
			<-done
		}
		return taken, err
	}
	if taken, err := take(channel.ID{1}, 100); err != nil || taken {
		t.Fatalf("first lock: %v %v", taken, err)
	}
	if taken, err := take(channel.ID{1}, 100); err != nil || !taken {
		t.Fatalf("the same lock again: %v %v", taken, err)
	}
	for _, other := range []struct {
		ch  channel.ID
		exp uint64
	}{{channel.ID{2}, 100}, {channel.ID{1}, 101}} {
		if _, err := take(other.ch, other.exp); !errors.Is(err, errInvoicePaid) || invoiceRefusalReason(err) != mediate.ReasonInvoicePaid {
			t.Fatalf("another lock: %v", err)
		}
	}
	if total, _ := n.book().counts(common.Address{}); total != 0 {
		t.Fatalf("a taken invoice still counts as open (%d)", total)
	}
	late, err := n.NewInvoice(ctx, big.NewInt(10))
	if err != nil {
		t.Fatal(err)
	}
	waitPast(late.Expiry)
	inv = late
	if _, err := take(channel.ID{3}, 100); !errors.Is(err, errInvoiceExpired) || invoiceRefusalReason(err) != mediate.ReasonInvoiceExpired {
		t.Fatalf("a new lock after the expiry: %v", err)
	}
}

// An expired invoice whose hash still guards a pending lock (one the payee refused and
// the payer has not cancelled) keeps its secret through the sweep.
func TestSweepKeepsAnExpiredInvoiceWithAPendingLock(t *testing.T) {
	dropper := &refusalDropper{}
	x := newInvoiceNetWith(t, invoiceNetOpts{merchant: nodeOpts{
		invoices: InvoiceConfig{TTL: time.Second, SweepInterval: time.Hour},
		wrap:     func(tr Transport) Transport { dropper.Transport = tr; return dropper },
	}})
	ctx := context.Background()
	inv, err := x.merchant.NewInvoice(ctx, big.NewInt(5000))
	if err != nil {
		t.Fatal(err)
	}
	waitPast(inv.Expiry)
	go func() {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, _ = x.wallet.PayTo(c, PayToRequest{To: x.m, Amount: big.NewInt(5000), SecretHash: inv.SecretHash})
	}()
	waitFor(t, "the merchant refuses the late lock", func() bool { return x.merchant.lockRefusedByUs(x.ch2, inv.SecretHash) })
	if dropper.dropped.Load() == 0 {
		waitFor(t, "the refusal is held back", func() bool { return dropper.dropped.Load() > 0 })
	}
	if n := x.merchant.sweepInvoices(ctx, time.Now()); n != 1 {
		t.Fatalf("the sweep looked at %d invoices, want 1", n)
	}
	if !hasSecret(t, x.merchant, inv.SecretHash) {
		t.Fatal("the secret of a hash guarding a pending lock was deleted")
	}
	if _, mine := x.merchant.invoiceAmount(inv.SecretHash); !mine {
		t.Fatal("the invoice of a hash guarding a pending lock was deleted")
	}
}

// The sweep goroutine ends with its context.
func TestInvoiceSweepStops(t *testing.T) {
	tn := newTestNet(t)
	n := tn.startNode(0, nodeOpts{invoices: InvoiceConfig{SweepInterval: 10 * time.Millisecond}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { n.runInvoiceSweep(ctx); close(done) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the invoice sweep did not stop with its context")
	}
}
