package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
)

// Fast failure (ADR 0026) between real nodes (embedded chain, libp2p, leveldb). No test
// here moves chain time: every refused lock is gone long before a reveal margin.

// staleEdge puts a channel side into n's graph as an outdated announcement would have it
// (a sequence no real announcement beats).
func staleEdge(t *testing.T, n *Node, id channel.ID, from, to common.Address, capacity int64, fee routing.FeePolicy) {
	t.Helper()
	e := routing.Edge{Channel: id, From: from, To: to, Capacity: big.NewInt(capacity), Fee: fee, Sequence: 1 << 62, Updated: time.Now()}
	if err := n.RoutingGraph().Upsert(e); err != nil {
		t.Fatal(err)
	}
}

// TestPayToRetriesAroundAHubWithoutCapacity: payer -> H1 -> payee is the cheapest route
// by the payer's graph, but H1's channel to the payee holds less than the amount; H1
// refuses, the payer's lock is cancelled, and the payment succeeds via payer -> H2 ->
// payee on the second attempt, without chain time moving. Every channel ends exact on
// both ends, with no lock left.
func TestPayToRetriesAroundAHubWithoutCapacity(t *testing.T) {
	tn := newTestNet(t)
	quiet := RoutingConfig{NoAnnounce: true}
	h2Fee := routing.FeePolicy{Flat: big.NewInt(10)}
	payer := tn.startNode(0, nodeOpts{routing: quiet})
	h1 := tn.startNode(1, nodeOpts{routing: quiet})
	h2 := tn.startNode(2, nodeOpts{routing: RoutingConfig{NoAnnounce: true, Fees: h2Fee}})
	payee := tn.startNode(3, nodeOpts{routing: quiet})
	p, a1, a2, c := payer.signer.Address(), h1.signer.Address(), h2.signer.Address(), payee.signer.Address()
	idP1 := openChannel(t, payer, h1, big.NewInt(1000), nil, time.Hour)
	idP2 := openChannel(t, payer, h2, big.NewInt(1000), nil, time.Hour)
	id1C := openChannel(t, h1, payee, big.NewInt(100), nil, time.Hour)
	id2C := openChannel(t, h2, payee, big.NewInt(1000), nil, time.Hour)
	mP1, mP2 := newModel(idP1, payer, h1, 1000), newModel(idP2, payer, h2, 1000)
	m1C, m2C := newModel(id1C, h1, payee, 100), newModel(id2C, h2, payee, 1000)
	staleEdge(t, payer, id1C, a1, c, 1000, routing.FeePolicy{})
	staleEdge(t, payer, id2C, a2, c, 1000, h2Fee)

	inv := invoice(t, payee, 300)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	res, err := payer.PayTo(ctx, PayToRequest{To: c, Amount: big.NewInt(300), MaxFee: big.NewInt(10), SecretHash: inv.SecretHash})
	took := time.Since(start)
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("pay with a retry: %+v %v", res, err)
	}
	if res.Attempts != 2 || len(res.Route.Hops) != 2 || res.Route.Hops[0].To != a2 || res.Route.Fee.Int64() != 10 {
		t.Fatalf("attempts %d, route %+v; want the second attempt via H2 for a fee of 10", res.Attempts, res.Route.Hops)
	}
	if took > 15*time.Second {
		t.Fatalf("payment with one refused route took %s", took)
	}
	t.Logf("paid via H2 after H1 refused in %s", took)
	mP2.pay(p, a2, 310)
	m2C.pay(a2, c, 300)
	mP1.eventually(t, "payer-H1: the refused lock is cancelled", payer, h1)
	m1C.eventually(t, "H1-payee: nothing moved", h1, payee)
	mP2.eventually(t, "payer-H2", payer, h2)
	m2C.eventually(t, "H2-payee", h2, payee)
}

// TestMediatorWithoutChannelToNextHopRefuses: the hub has no channel with the node the
// route names next; it refuses, the payer cancels at once and PayRouted says where.
func TestMediatorWithoutChannelToNextHopRefuses(t *testing.T) {
	x := newThreeNodes(t)
	stranger := common.HexToAddress("0x00000000000000000000000000000000000b0b0b")
	var hash [32]byte
	rand.Read(hash[:])
	start := time.Now()
	_, err := routedPay(t, x.a, []common.Address{x.hub, stranger}, 40, hash)
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonNoChannel || refused.FailedNode != x.hub {
		t.Fatalf("route over a missing channel: %v; want a no_channel refusal by the hub", err)
	}
	if !errors.Is(err, ErrRouteRefused) || !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("%v does not match ErrRouteRefused and ErrRouteFailed", err)
	}
	var nf *routing.NodeFailedError
	if !errors.As(err, &nf) || nf.Node != x.hub {
		t.Fatalf("%v names no failed node", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("refusal took %s", took)
	}
	x.ah.eventually(t, "payer-hub channel after the cancel", x.a, x.h)
	// The refusal record went with the lock.
	x.h.med.ref.mu.Lock()
	left := len(x.h.med.ref.in)
	x.h.med.ref.mu.Unlock()
	if left != 0 {
		t.Fatalf("hub keeps %d refusals after the cancel", left)
	}
	// The channel still carries a routed payment.
	inv := invoice(t, x.c, 20)
	if _, err := routedPay(t, x.a, x.route, 20, inv.SecretHash); err != nil {
		t.Fatalf("routed payment after a refusal: %v", err)
	}
	x.ah.pay(x.payer, x.hub, 20)
	x.hc.pay(x.hub, x.payee, 20)
	x.ah.eventually(t, "payer-hub", x.a, x.h)
	x.hc.eventually(t, "hub-payee", x.h, x.c)
}

// TestRefusalTravelsBackThroughTwoHubs: payer -> H1 -> H2 -> payee where H2 cannot carry
// the lock to the payee. H2 refuses; H1 cancels its lock to H2 and, once H2 acknowledged
// the cancel, refuses the payer's lock with H2's failure location; the payer's error
// names H2's channel to the payee. Nobody's balance moves, no lock is left.
func TestRefusalTravelsBackThroughTwoHubs(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	h1 := tn.startNode(2, nodeOpts{})
	h2 := tn.startNode(3, nodeOpts{})
	c := tn.startNode(4, nodeOpts{})
	m1 := newModel(openChannel(t, a, h1, big.NewInt(500), nil, time.Hour), a, h1, 500)
	m2 := newModel(openChannel(t, h1, h2, big.NewInt(500), nil, time.Hour), h1, h2, 500)
	id3 := openChannel(t, h2, c, big.NewInt(10), nil, time.Hour)
	m3 := newModel(id3, h2, c, 10)
	inv := invoice(t, c, 123)
	route := []common.Address{h1.signer.Address(), h2.signer.Address(), c.signer.Address()}
	start := time.Now()
	_, err := routedPay(t, a, route, 123, inv.SecretHash)
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonCapacity || refused.FailedChannel != id3 || refused.FailedNode != h2.signer.Address() {
		t.Fatalf("3-hop payment with no capacity at H2: %v; want H2's capacity refusal on %s", err, id3)
	}
	var cf *routing.ChannelFailedError
	if !errors.As(err, &cf) || cf.Channel != id3 {
		t.Fatalf("%v names no failed channel %s", err, id3)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("refusal over two hubs took %s", took)
	}
	m1.eventually(t, "payer-H1", a, h1)
	m2.eventually(t, "H1-H2", h1, h2)
	m3.eventually(t, "H2-payee", h2, c)
}

// TestMediatorRefusesUpstreamOnlyAfterItsCancelIsAcked: H2 refuses H1's lock, but H2's
// Acks are lost, so H1 cannot know that H2 took its cancel: H1 must not refuse the
// payer's lock meanwhile (its outgoing lock could still be held against it). Once H2's
// Ack gets through, the refusal travels on.
func TestMediatorRefusesUpstreamOnlyAfterItsCancelIsAcked(t *testing.T) {
	tn := newTestNet(t)
	lossy := &lossyTransport{lose: p2p.TypeAck}
	a := tn.startNode(1, nodeOpts{})
	h1 := tn.startNode(2, nodeOpts{})
	h2 := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	c := tn.startNode(4, nodeOpts{})
	idA1 := openChannel(t, a, h1, big.NewInt(500), nil, time.Hour)
	id12 := openChannel(t, h1, h2, big.NewInt(500), nil, time.Hour)
	openChannel(t, h2, c, big.NewInt(10), nil, time.Hour)
	m1, m2 := newModel(idA1, a, h1, 500), newModel(id12, h1, h2, 500)
	inv := invoice(t, c, 123)
	lossy.on.Store(true)
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, a, []common.Address{h1.signer.Address(), h2.signer.Address(), c.signer.Address()}, 123, inv.SecretHash)
		done <- err
	}()
	waitFor(t, "H1 cancelled its lock to H2", func() bool {
		lc := h1.channel(id12)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return lc.st.Nonce(lc.us) == 2 && len(lc.st.Locks(lc.us)) == 0
	})
	time.Sleep(time.Second) // several mediation ticks without H2's Ack
	h1.med.ref.mu.Lock()
	_, refusedUp := h1.med.ref.in[sentKey{idA1, inv.SecretHash}]
	h1.med.ref.mu.Unlock()
	if refusedUp {
		t.Fatal("H1 refused upstream before H2 acknowledged its cancel")
	}
	select {
	case err := <-done:
		t.Fatalf("payment ended before H2 acknowledged the cancel: %v", err)
	default:
	}
	// H2's Acks get through again; H1 re-sends its unacknowledged lock messages (as on a
	// reconnect) and H2 acknowledges the repeat.
	lossy.on.Store(false)
	h1.resendLockMsgs(h1.channel(id12))
	select {
	case err := <-done:
		if !errors.Is(err, ErrRouteRefused) {
			t.Fatalf("after H2's ack: %v, want a refusal", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the refusal did not travel on after H2's Ack")
	}
	m1.eventually(t, "payer-H1", a, h1)
	m2.eventually(t, "H1-H2", h1, h2)
}

// TestPayToRetriesThroughTheSameFirstHub: the retry goes over the same first channel with
// the same secret hash (payer -> H1 -> payee refused for capacity, then payer -> H1 -> H3
// -> payee): H1's refusal of the first lock must not stop it forwarding the second.
func TestPayToRetriesThroughTheSameFirstHub(t *testing.T) {
	tn := newTestNet(t)
	quiet := RoutingConfig{NoAnnounce: true}
	h3Fee := routing.FeePolicy{Flat: big.NewInt(5)}
	payer := tn.startNode(0, nodeOpts{routing: quiet})
	h1 := tn.startNode(1, nodeOpts{routing: quiet})
	h3 := tn.startNode(2, nodeOpts{routing: RoutingConfig{NoAnnounce: true, Fees: h3Fee}})
	payee := tn.startNode(3, nodeOpts{routing: quiet})
	p, a1, a3, c := payer.signer.Address(), h1.signer.Address(), h3.signer.Address(), payee.signer.Address()
	idP1 := openChannel(t, payer, h1, big.NewInt(1000), nil, time.Hour)
	id1C := openChannel(t, h1, payee, big.NewInt(50), nil, time.Hour)
	id13 := openChannel(t, h1, h3, big.NewInt(1000), nil, time.Hour)
	id3C := openChannel(t, h3, payee, big.NewInt(1000), nil, time.Hour)
	mP1, m1C := newModel(idP1, payer, h1, 1000), newModel(id1C, h1, payee, 50)
	m13, m3C := newModel(id13, h1, h3, 1000), newModel(id3C, h3, payee, 1000)
	staleEdge(t, payer, id1C, a1, c, 1000, routing.FeePolicy{})
	staleEdge(t, payer, id13, a1, a3, 1000, routing.FeePolicy{})
	staleEdge(t, payer, id3C, a3, c, 1000, h3Fee)

	inv := invoice(t, payee, 300)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := payer.PayTo(ctx, PayToRequest{To: c, Amount: big.NewInt(300), SecretHash: inv.SecretHash})
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("pay with a retry over the same first hub: %+v %v", res, err)
	}
	if res.Attempts != 2 || len(res.Route.Hops) != 3 || res.Route.Hops[0].Channel != idP1 {
		t.Fatalf("attempts %d, route %+v; want the second attempt via H1 and H3", res.Attempts, res.Route.Hops)
	}
	mP1.pay(p, a1, 305)
	m13.pay(a1, a3, 305)
	m3C.pay(a3, c, 300)
	mP1.eventually(t, "payer-H1", payer, h1)
	m1C.eventually(t, "H1-payee: nothing moved", h1, payee)
	m13.eventually(t, "H1-H3", h1, h3)
	m3C.eventually(t, "H3-payee", h3, payee)
}

// TestPayToDeadlineWithALockPendingSaysSo: the payee holds the lock and stays silent; the
// caller's deadline ends first. PayTo does not try another route (the lock may still be
// paid) and its error says the lock is pending; the lock then resolves on its own.
func TestPayToDeadlineWithALockPendingSaysSo(t *testing.T) {
	x := newThreeNodes(t)
	staleEdge(t, x.a, x.idHC, x.hub, x.payee, 1000, routing.FeePolicy{})
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, x.c, hash, big.NewInt(60))
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	res, err := x.a.PayTo(ctx, PayToRequest{To: x.payee, Amount: big.NewInt(60), SecretHash: hash})
	if !errors.Is(err, ErrLockPending) || !errors.Is(err, context.DeadlineExceeded) || res.Attempts != 1 {
		t.Fatalf("deadline with the lock at the payee: attempts %d, %v; want one attempt, ErrLockPending", res.Attempts, err)
	}
	if !x.pending(t, x.a, x.idAH, x.a, hash) {
		t.Fatal("the payer's lock is gone although nobody resolved it")
	}
	// The payee learns its secret after all: the payment completes without the caller.
	learnSecret(t, x.c, secret, big.NewInt(60))
	x.ah.pay(x.payer, x.hub, 60)
	x.hc.pay(x.hub, x.payee, 60)
	x.ah.eventually(t, "payer-hub after the late reveal", x.a, x.h)
	x.hc.eventually(t, "hub-payee after the late reveal", x.h, x.c)
}
