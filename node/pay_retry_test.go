package node

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// ackHolder is the payee's real transport with its Acks held back while holding, as a
// frozen (SIGSTOPped) payee holds them: a Send of an Ack blocks until released or the
// node closes. Everything else goes through, so the payee still stores what it gets.
type ackHolder struct {
	Transport
	mu      sync.Mutex
	release chan struct{} // nil while Acks flow
}

func (h *ackHolder) hold() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.release == nil {
		h.release = make(chan struct{})
	}
}

func (h *ackHolder) let() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.release != nil {
		close(h.release)
		h.release = nil
	}
}

func (h *ackHolder) Send(ctx context.Context, to common.Address, m p2p.Message) error {
	if m.Type() == p2p.TypeAck {
		h.mu.Lock()
		r := h.release
		h.mu.Unlock()
		if r != nil {
			select {
			case <-r:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return h.Transport.Send(ctx, to, m)
}

func payWithin(n *Node, req PayRequest, d time.Duration) (PaymentView, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return n.Pay(ctx, req)
}

// wantRetryHint checks that err is a deadline that tells the caller to retry with pid.
func wantRetryHint(t *testing.T, what string, v PaymentView, err error, pid store.PaymentID) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s reported success (nonce %d) with the payee's Ack still held", what, v.Proof.Nonce)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "retry with payment id "+pid.String()) {
		t.Fatalf("%s: %v, want a deadline with the hint to retry with payment id %s", what, err, pid)
	}
}

func payeeHolds(t *testing.T, n *Node, id channel.ID, nonce uint64) {
	t.Helper()
	waitFor(t, "the payee stores the proof", func() bool {
		v, err := n.Channel(context.Background(), id)
		return err == nil && v.Sent[channel.PartyA].Nonce == nonce
	})
}

func TestRetryOfAnUnacknowledgedPaymentReportsSuccessOnlyAfterTheAck(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	holder := &ackHolder{}
	b := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { holder.Transport = tr; return holder }})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)

	paid := PayRequest{Channel: id, Amount: big.NewInt(3), PaymentID: [16]byte{0xaa}}
	first, err := payWithin(a, paid, 10*time.Second)
	if err != nil || first.Repeat {
		t.Fatalf("first payment: %+v %v, want a fresh success", first, err)
	}

	holder.hold()
	pid := store.PaymentID{0xbb}
	req := PayRequest{Channel: id, Amount: big.NewInt(5), PaymentID: pid}
	v, err := payWithin(a, req, 300*time.Millisecond)
	wantRetryHint(t, "first attempt", v, err, pid)
	payeeHolds(t, b, id, 2)

	v, err = payWithin(a, req, 300*time.Millisecond)
	wantRetryHint(t, "retry while the payee holds its Ack", v, err, pid)

	// An acknowledged payment is answered from what the payer knows: no Ack needed.
	again, err := payWithin(a, paid, 2*time.Second)
	if err != nil || !again.Repeat || again.Proof.Nonce != 1 || again.PaymentID != paid.PaymentID {
		t.Fatalf("retry of the acknowledged payment: %+v %v, want nonce 1 marked as a repeat", again, err)
	}

	done := make(chan error, 1)
	var got PaymentView
	go func() {
		var err error
		got, err = payWithin(a, req, 20*time.Second)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("retry returned before the payee acknowledged: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	holder.let()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("retry once the payee acknowledged: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("retry did not complete after the Ack")
	}
	if got.Proof.Nonce != 2 || got.Proof.Transferred.Int64() != 8 || !got.Repeat {
		t.Fatalf("retry result nonce %d transferred %s repeat %v, want nonce 2, 8, a repeat", got.Proof.Nonce, got.Proof.Transferred, got.Repeat)
	}
	for name, n := range map[string]*Node{"payer": a, "payee": b} {
		if v, _ := n.Channel(context.Background(), id); v.Sent[channel.PartyA].Nonce != 2 || v.Sent[channel.PartyA].Transferred.Int64() != 8 {
			t.Fatalf("%s holds nonce %d transferred %s, want exactly the two payments", name, v.Sent[0].Nonce, v.Sent[0].Transferred)
		}
	}
}

func TestRetryAfterTheCallerGaveUpJoinsConcurrentRetriesWithoutPayingTwice(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	holder := &ackHolder{}
	b := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { holder.Transport = tr; return holder }})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)

	holder.hold()
	pid := store.PaymentID{0xcc}
	req := PayRequest{Channel: id, Amount: big.NewInt(9), PaymentID: pid}
	v, err := payWithin(a, req, 300*time.Millisecond)
	wantRetryHint(t, "first attempt", v, err, pid)

	var (
		wg       sync.WaitGroup
		released atomic.Bool
	)
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := payWithin(a, req, 20*time.Second)
			switch {
			case err == nil && !released.Load():
				err = errors.New("retry reported success before the payee acknowledged")
			case err == nil && (v.Proof.Nonce != 1 || !v.Repeat):
				err = fmt.Errorf("retry answered nonce %d repeat %v, want the original nonce 1 as a repeat", v.Proof.Nonce, v.Repeat)
			}
			errs <- err
		}()
	}
	time.Sleep(200 * time.Millisecond)
	released.Store(true)
	holder.let()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent retry: %v", err)
		}
	}
	if v, _ := a.Channel(context.Background(), id); v.Sent[0].Nonce != 1 {
		t.Fatalf("payer signed %d proofs for one payment id", v.Sent[0].Nonce)
	}
}

func TestRetryAfterAPayerRestartWaitsForTheAckOfASentPayment(t *testing.T) {
	tn := newTestNet(t)
	dir := t.TempDir()
	a := tn.startNode(1, nodeOpts{dir: dir})
	holder := &ackHolder{}
	b := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { holder.Transport = tr; return holder }})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)

	paid := PayRequest{Channel: id, Amount: big.NewInt(4), PaymentID: [16]byte{0x11}}
	if _, err := payWithin(a, paid, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	holder.hold()
	pid := store.PaymentID{0x22}
	req := PayRequest{Channel: id, Amount: big.NewInt(6), PaymentID: pid}
	v, err := payWithin(a, req, 300*time.Millisecond)
	wantRetryHint(t, "first attempt", v, err, pid)
	payeeHolds(t, b, id, 2)

	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a2 := tn.startNode(1, nodeOpts{dir: dir, staticPeers: []string{addrOf(t, b)}})
	waitFor(t, "reconnect", func() bool { return len(a2.transport.Peers()) > 0 })

	v, err = payWithin(a2, req, 300*time.Millisecond)
	wantRetryHint(t, "retry after restart", v, err, pid)

	// The Ack of the first payment was known before the restart: still answered at once.
	again, err := payWithin(a2, paid, 2*time.Second)
	if err != nil || !again.Repeat || again.Proof.Nonce != 1 {
		t.Fatalf("retry of the payment acknowledged before the restart: %+v %v", again, err)
	}

	done := make(chan error, 1)
	go func() { _, err := payWithin(a2, req, 20*time.Second); done <- err }()
	time.Sleep(100 * time.Millisecond)
	holder.let()
	if err := <-done; err != nil {
		t.Fatalf("retry after the payee acknowledged: %v", err)
	}
	if v, _ := b.Channel(context.Background(), id); v.Sent[0].Nonce != 2 || v.Sent[0].Transferred.Int64() != 10 {
		t.Fatalf("payee holds nonce %d transferred %s, want 2 and 10", v.Sent[0].Nonce, v.Sent[0].Transferred)
	}
	mustPay(t, a2, id, 1)
}

func TestRetryOfARejectedPaymentSucceedsOnlyOnceThePeerAcceptsItsProof(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	b.confirmations.Store(1 << 40) // b misses a's top-up for now
	if _, err := a.Deposit(ctx, id, big.NewInt(500)); err != nil {
		t.Fatal(err)
	}
	pid := store.PaymentID{0x33}
	req := PayRequest{Channel: id, Amount: big.NewInt(1200), PaymentID: pid}
	if _, err := payWithin(a, req, 10*time.Second); !errors.Is(err, channel.ErrOverdraft) {
		t.Fatalf("pay beyond what the payee has seen: %v, want its overdraft rejection", err)
	}
	v, err := payWithin(a, req, 300*time.Millisecond)
	wantRetryHint(t, "retry of a rejected payment", v, err, pid)

	b.confirmations.Store(0)
	v, err = payWithin(a, req, 20*time.Second)
	if err != nil || v.Proof.Nonce != 1 || !v.Repeat {
		t.Fatalf("retry once the payee can accept the proof: %+v %v", v, err)
	}
	if w, _ := b.Channel(ctx, id); w.Sent[0].Nonce != 1 || w.Sent[0].Transferred.Int64() != 1200 {
		t.Fatalf("payee holds nonce %d transferred %s, want 1 and 1200", w.Sent[0].Nonce, w.Sent[0].Transferred)
	}
}

func TestTheAckedNonceRidesAlongWithPaymentsAndIsExactAfterClose(t *testing.T) {
	tn := newTestNet(t)
	dir := t.TempDir()
	a := tn.startNode(1, nodeOpts{dir: dir})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1_000_000), nil, time.Hour)

	stored := func(n *Node) (uint64, bool) {
		v, found, err := n.store.GetMeta(ackedNamespace, id.String())
		if err != nil || (found && len(v) != 8) {
			t.Fatalf("acked nonce record: %x %v", v, err)
		}
		if !found {
			return 0, false
		}
		return binary.BigEndian.Uint64(v), true
	}
	// One at a time, so the Ack of each payment is known when the next is signed.
	for range ackedWriteStride + 2 {
		mustPay(t, a, id, 1)
	}
	waitFor(t, "the last payment's write is durable", func() bool { _, ok := stored(a); return ok })
	if got, _ := stored(a); got != ackedWriteStride {
		t.Fatalf("stored acked nonce %d while paying, want %d (written once, by payment %d)", got, ackedWriteStride, ackedWriteStride+1)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a2 := tn.startNode(1, nodeOpts{dir: dir})
	if got, _ := stored(a2); got != ackedWriteStride+2 {
		t.Fatalf("acked nonce after Close %d, want the exact %d", got, ackedWriteStride+2)
	}
	lc := a2.channel(id)
	lc.mu.Lock()
	acked := lc.acked
	lc.mu.Unlock()
	if acked != ackedWriteStride+2 {
		t.Fatalf("restarted node knows acked nonce %d, want %d", acked, ackedWriteStride+2)
	}
}
