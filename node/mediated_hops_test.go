package node

import (
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/store"
)

// threeNodes is payer -> hub -> payee with the payer and the hub funding their channel.
type threeNodes struct {
	tn           *testNet
	a, h, c      *Node
	hDir         string
	ah, hc       *model
	route        []common.Address
	idAH, idHC   channel.ID
	payer, payee common.Address
	hub          common.Address
}

func newThreeNodes(t *testing.T) *threeNodes {
	tn := newTestNet(t)
	x := &threeNodes{tn: tn, hDir: t.TempDir()}
	x.a = tn.startNode(1, nodeOpts{})
	x.h = tn.startNode(2, nodeOpts{dir: x.hDir})
	x.c = tn.startNode(3, nodeOpts{})
	x.idAH = openChannel(t, x.a, x.h, big.NewInt(1000), nil, time.Hour)
	x.idHC = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.ah = newModel(x.idAH, x.a, x.h, 1000)
	x.hc = newModel(x.idHC, x.h, x.c, 1000)
	x.payer, x.hub, x.payee = x.a.signer.Address(), x.h.signer.Address(), x.c.signer.Address()
	x.route = []common.Address{x.hub, x.payee}
	return x
}

// payeeHoldsLock waits until the payee holds a pending lock from the hub.
func (x *threeNodes) payeeHoldsLock(t *testing.T) {
	t.Helper()
	waitFor(t, "the payee holds the forwarded lock", func() bool {
		lc := x.c.channel(x.idHC)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us.Other())) == 1
	})
}

func TestLockedPaymentTwoHops(t *testing.T) {
	x := newThreeNodes(t)
	for i, amount := range []int64{200, 1, 99} {
		inv := invoice(t, x.c, amount)
		res, err := routedPay(t, x.a, x.route, amount, inv.SecretHash)
		if err != nil || !res.Unlocked {
			t.Fatalf("routed payment %d: %+v %v", i, res, err)
		}
		x.ah.pay(x.payer, x.hub, amount)
		x.hc.pay(x.hub, x.payee, amount)
		x.ah.eventually(t, "payer-hub channel", x.a, x.h)
		x.hc.eventually(t, "hub-payee channel", x.h, x.c)
	}
	// The hub forwarded with a reveal margin: its outgoing lock expired a margin before
	// its incoming one (checked on the payee's log of what it was sent).
	if got := x.h.med.cfg.InitiatorExpiration(0, 1); got != 2*mediate.DefaultRevealMargin {
		t.Fatalf("default margin composes to %d", got)
	}
}

func TestLockedPaymentPayeeNeverReveals(t *testing.T) {
	x := newThreeNodes(t)
	var hash [32]byte // the payee knows no secret for it, only the invoice
	rand.Read(hash[:])
	expectInvoice(t, x.c, hash, big.NewInt(150))
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, x.a, x.route, 150, hash)
		done <- err
	}()
	x.payeeHoldsLock(t)
	// Locked amounts are not spendable meanwhile.
	lc := x.a.channel(x.idAH)
	lc.mu.Lock()
	spendable := lc.st.Spendable(lc.us)
	lc.mu.Unlock()
	if spendable.Int64() != 850 {
		t.Errorf("payer can spend %s while 150 is locked, want 850", spendable)
	}
	// A direct payment while a lock is pending keeps the lock (the Pay does not carry it;
	// the payee checks the payer's proof against its own copy).
	mustPay(t, x.a, x.idAH, 5)
	x.ah.pay(x.payer, x.hub, 5)
	select {
	case err := <-done:
		t.Fatalf("payment ended before its locks expired: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	// Past the first lock's expiration (two hops: three margins): every hop expires its lock.
	if err := x.tn.chain.AdjustTime(3*mediate.DefaultRevealMargin*time.Second + 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("payment with a silent payee: %v, want ErrRouteFailed", err)
	}
	x.ah.eventually(t, "payer-hub channel after expiry", x.a, x.h)
	x.hc.eventually(t, "hub-payee channel after expiry", x.h, x.c)
	// Everything is back: the channels still carry payments.
	inv := invoice(t, x.c, 10)
	if _, err := routedPay(t, x.a, x.route, 10, inv.SecretHash); err != nil {
		t.Fatalf("routed payment after expiry: %v", err)
	}
	x.ah.pay(x.payer, x.hub, 10)
	x.hc.pay(x.hub, x.payee, 10)
	x.ah.eventually(t, "payer-hub channel", x.a, x.h)
	x.hc.eventually(t, "hub-payee channel", x.h, x.c)
}

// expectInvoice gives n an invoice for hash without its secret: n accepts a lock on it
// but cannot release it (a payee that stays silent).
func expectInvoice(t *testing.T, n *Node, hash [32]byte, amount *big.Int) {
	t.Helper()
	done := make(chan error, 1)
	fill := func(b *store.Batch) error {
		return b.PutMeta(invoiceNamespace, common.Bytes2Hex(hash[:]), amount.Bytes())
	}
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSignal, done: done}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// learnSecret gives n a secret and an invoice for it, as NewInvoice would have.
func learnSecret(t *testing.T, n *Node, secret [32]byte, amount *big.Int) {
	t.Helper()
	h := channel.SecretHash(secret)
	done := make(chan error, 1)
	fill := func(b *store.Batch) error {
		b.PutSecret(secret)
		return b.PutMeta(invoiceNamespace, common.Bytes2Hex(h[:]), amount.Bytes())
	}
	if err := n.durable.enqueue(fill, afterCommit{kind: afterSignal, done: done}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	n.med.wake()
}

func TestLockedPaymentHubRestartsMidPayment(t *testing.T) {
	x := newThreeNodes(t)
	var secret [32]byte
	rand.Read(secret[:])
	expectInvoice(t, x.c, channel.SecretHash(secret), big.NewInt(250))
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, x.a, x.route, 250, channel.SecretHash(secret))
		done <- err
	}()
	x.payeeHoldsLock(t)

	// The hub stops with a lock in and a lock out, and comes back from disk.
	if err := x.h.Close(); err != nil {
		t.Fatalf("close hub: %v", err)
	}
	h2 := x.tn.startNode(2, nodeOpts{dir: x.hDir, staticPeers: []string{addrOf(t, x.a), addrOf(t, x.c)}})
	for _, id := range []channel.ID{x.idAH, x.idHC} {
		lc := h2.channel(id)
		lc.mu.Lock()
		n := len(lc.st.Locks(channel.PartyA)) + len(lc.st.Locks(channel.PartyB))
		lc.mu.Unlock()
		if n != 1 {
			t.Fatalf("restarted hub has %d pending locks on %s, want 1", n, id)
		}
	}
	// Now the payee learns the secret (its invoice) and releases it.
	learnSecret(t, x.c, secret, big.NewInt(250))
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("payment across the hub's restart: %v", err)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("payment did not resolve after the hub restarted")
	}
	x.ah.pay(x.payer, x.hub, 250)
	x.hc.pay(x.hub, x.payee, 250)
	x.ah.eventually(t, "payer-hub channel after restart", x.a, h2)
	x.hc.eventually(t, "hub-payee channel after restart", h2, x.c)
}

// Three hops: payer -> hub1 -> hub2 -> payee; every channel checked on both ends.
func TestLockedPaymentThreeHops(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	h1 := tn.startNode(2, nodeOpts{})
	h2 := tn.startNode(3, nodeOpts{})
	c := tn.startNode(4, nodeOpts{})
	m1 := newModel(openChannel(t, a, h1, big.NewInt(500), nil, time.Hour), a, h1, 500)
	m2 := newModel(openChannel(t, h1, h2, big.NewInt(500), nil, time.Hour), h1, h2, 500)
	m3 := newModel(openChannel(t, h2, c, big.NewInt(500), nil, time.Hour), h2, c, 500)
	inv := invoice(t, c, 123)
	route := []common.Address{h1.signer.Address(), h2.signer.Address(), c.signer.Address()}
	if _, err := routedPay(t, a, route, 123, inv.SecretHash); err != nil {
		t.Fatalf("3-hop payment: %v", err)
	}
	m1.pay(a.signer.Address(), h1.signer.Address(), 123)
	m2.pay(h1.signer.Address(), h2.signer.Address(), 123)
	m3.pay(h2.signer.Address(), c.signer.Address(), 123)
	m1.eventually(t, "payer-hub1", a, h1)
	m2.eventually(t, "hub1-hub2", h1, h2)
	m3.eventually(t, "hub2-payee", h2, c)
}
