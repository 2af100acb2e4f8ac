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
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
)

// Forward records (mediated_forwarded.go) against the honest initiator's retry: the
// records refuse a second incoming lock on a hash already forwarded, and must not refuse
// the initiator's retry on the same hash through the same hub once its first lock was
// refused downstream and cancelled.

// TestAttack3RetryOnTheSameHashThroughTheSameHubIsForwarded: payer -> H -> D1 -> payee is
// the cheapest route by the payer's graph, but D1's channel to the payee holds less than
// the amount: D1 refuses, H cancels its lock to D1 (D1 endorses), H refuses the payer's
// lock, the payer cancels and PayTo retries payer -> H -> D2 -> payee on the SAME hash
// over the SAME channel into H. H must forward it (its forward record of the first lock
// went with the cancel) and the payment completes. Every channel is checked to the wei.
func TestAttack3RetryOnTheSameHashThroughTheSameHubIsForwarded(t *testing.T) {
	tn := newTestNet(t)
	quiet := RoutingConfig{NoAnnounce: true}
	d2Fee := routing.FeePolicy{Flat: big.NewInt(10)}
	payer := tn.startNode(1, nodeOpts{routing: quiet})
	h := tn.startNode(2, nodeOpts{routing: quiet})
	d1 := tn.startNode(3, nodeOpts{routing: quiet})
	d2 := tn.startNode(4, nodeOpts{routing: RoutingConfig{NoAnnounce: true, Fees: d2Fee}})
	payee := tn.startNode(5, nodeOpts{routing: quiet})
	p, hub, a1, a2, c := payer.signer.Address(), h.signer.Address(), d1.signer.Address(), d2.signer.Address(), payee.signer.Address()
	idPH := openChannel(t, payer, h, big.NewInt(1000), nil, time.Hour)
	idH1 := openChannel(t, h, d1, big.NewInt(1000), nil, time.Hour)
	idH2 := openChannel(t, h, d2, big.NewInt(1000), nil, time.Hour)
	id1C := openChannel(t, d1, payee, big.NewInt(100), nil, time.Hour)
	id2C := openChannel(t, d2, payee, big.NewInt(1000), nil, time.Hour)
	staleEdge(t, payer, idPH, p, hub, 1000, routing.FeePolicy{})
	staleEdge(t, payer, idH1, hub, a1, 1000, routing.FeePolicy{})
	staleEdge(t, payer, idH2, hub, a2, 1000, routing.FeePolicy{})
	staleEdge(t, payer, id1C, a1, c, 1000, routing.FeePolicy{})
	staleEdge(t, payer, id2C, a2, c, 1000, d2Fee)
	mPH, mH1, mH2 := newModel(idPH, payer, h, 1000), newModel(idH1, h, d1, 1000), newModel(idH2, h, d2, 1000)
	m1C, m2C := newModel(id1C, d1, payee, 100), newModel(id2C, d2, payee, 1000)

	inv := invoice(t, payee, 300)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := payer.PayTo(ctx, PayToRequest{To: c, Amount: big.NewInt(300), MaxFee: big.NewInt(10), SecretHash: inv.SecretHash})
	if err != nil || !res.Payment.Unlocked {
		t.Fatalf("pay with a retry through the same hub: %+v %v", res, err)
	}
	if res.Attempts != 2 || len(res.Route.Hops) != 3 || res.Route.Hops[0].To != hub || res.Route.Hops[1].To != a2 {
		t.Fatalf("attempts %d, route %+v; want the second attempt via H then D2", res.Attempts, res.Route.Hops)
	}
	mPH.pay(p, hub, 310)
	mH2.pay(hub, a2, 310)
	m2C.pay(a2, c, 300)
	mPH.eventually(t, "payer-H: paid once (the refused lock cancelled)", payer, h)
	mH1.eventually(t, "H-D1: the refused lock cancelled", h, d1)
	mH2.eventually(t, "H-D2", h, d2)
	m1C.eventually(t, "D1-payee: nothing moved", d1, payee)
	m2C.eventually(t, "D2-payee", d2, payee)
}

// TestAttack3TwoPayersRaceTheSameHashThroughTheHub: two payers send the hub a lock on the
// same hash at the same moment, each for the same accomplice payee, which holds whatever
// it gets. One incoming lock is forwarded; the other must be refused and cancelled (the
// hub forwards nothing for it, so it must not be paid by it). When the payee releases
// the secret the hub pays it once and is paid once, by the payer it forwarded for. The
// hub's books: zero net, to the wei; the other payer paid nothing.
func TestAttack3TwoPayersRaceTheSameHashThroughTheHub(t *testing.T) {
	tn := newTestNet(t)
	a1 := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	a2 := tn.startNode(4, nodeOpts{})
	id1 := openChannel(t, a1, h, big.NewInt(1000), nil, time.Hour)
	id2 := openChannel(t, a2, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, payee := h.signer.Address(), c.signer.Address()
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, c, hash, big.NewInt(300))

	type result struct {
		payer *Node
		id    channel.ID
		err   error
	}
	results := make(chan result, 2)
	start := make(chan struct{})
	for _, p := range []struct {
		n  *Node
		id channel.ID
	}{{a1, id1}, {a2, id2}} {
		go func() {
			<-start
			_, err := routedPay(t, p.n, []common.Address{hub, payee}, 300, hash)
			results <- result{p.n, p.id, err}
		}()
	}
	close(start)
	waitFor(t, "the payee holds a forwarded lock", func() bool { return partnerSeesNonce(c, idHC) >= 1 })
	time.Sleep(time.Second) // the second lock is decided meanwhile
	if n := partnerSeesNonce(c, idHC); n != 1 {
		t.Fatalf("the payee saw hub proof %d: the hub forwarded both incoming locks on one hash", n)
	}
	learnSecret(t, c, secret, big.NewInt(300))
	var paid, refused []result
	for i := 0; i < 2; i++ {
		select {
		case r := <-results:
			if r.err == nil {
				paid = append(paid, r)
			} else {
				refused = append(refused, r)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("a payment did not end")
		}
	}
	if len(paid) != 1 || len(refused) != 1 || !errors.Is(refused[0].err, ErrRouteRefused) {
		t.Fatalf("paid %d, refused %d (%v); want one of each, the other refused", len(paid), len(refused), refused)
	}
	winner := newModel(paid[0].id, paid[0].payer, h, 1000)
	winner.pay(paid[0].payer.signer.Address(), hub, 300)
	winner.eventually(t, "the forwarded payer paid the hub once", paid[0].payer, h)
	newModel(refused[0].id, refused[0].payer, h, 1000).eventually(t, "the other payer's lock cancelled, nothing paid", refused[0].payer, h)
	hc := newModel(idHC, h, c, 1000)
	hc.pay(hub, payee, 300)
	hc.eventually(t, "hub-payee: paid once", h, c)
}

// TestAttack3RestartBetweenForwardAndAckForwardsOnce: the hub forwards the payer's lock to
// the payee, which never acknowledges it; the hub restarts before any Ack. The payer then
// re-sends its LockedTransfer naming another next hop, D (the hub has a channel with D).
// The forward record was written with the outgoing lock, so the restarted hub forwards
// nothing more; when the payee acknowledges again and releases the secret, the hub pays
// it once and is paid once. D sees nothing.
func TestAttack3RestartBetweenForwardAndAckForwardsOnce(t *testing.T) {
	tn := newTestNet(t)
	mute := &lossyTransport{lose: p2p.TypeAck}
	mute.on.Store(true)
	aTap := &lockTap{}
	a := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { aTap.Transport = tr; return aTap }})
	hDir := t.TempDir()
	h := tn.startNode(2, nodeOpts{dir: hDir})
	c := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { mute.Transport = tr; return mute }})
	d := tn.startNode(4, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	idHD := openChannel(t, h, d, big.NewInt(1000), nil, time.Hour)
	payer, hub, payee, other := a.signer.Address(), h.signer.Address(), c.signer.Address(), d.signer.Address()
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, c, hash, big.NewInt(300))
	expectInvoice(t, d, hash, big.NewInt(300))
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, a, []common.Address{hub, payee}, 300, hash)
		done <- err
	}()
	waitFor(t, "the payee holds the forwarded lock (unacknowledged)", func() bool { return partnerSeesNonce(c, idHC) == 1 })
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	h2 := tn.startNode(2, nodeOpts{dir: hDir, staticPeers: []string{addrOf(t, a), addrOf(t, c), addrOf(t, d)}})
	waitFor(t, "the restarted hub reconnects", func() bool {
		return h2.transport.Connected(payer) && h2.transport.Connected(payee) && h2.transport.Connected(other)
	})
	repeat := aTap.lastOn(t, idAH)
	repeat.Hops = []common.Address{other}
	repeat.Target = other
	if err := aTap.Transport.Send(context.Background(), hub, &repeat); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := partnerSeesNonce(d, idHD); n != 0 {
		t.Fatalf("the restarted hub forwarded the payer's one lock again, to D (D saw hub proof %d)", n)
	}
	mute.on.Store(false)
	learnSecret(t, c, secret, big.NewInt(300))
	select {
	case err := <-done:
		if err != nil {
			t.Logf("payer's PayRouted: %v (it resolves later)", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the payment did not end")
	}
	ah, hc, hd := newModel(idAH, a, h2, 1000), newModel(idHC, h2, c, 1000), newModel(idHD, h2, d, 1000)
	ah.pay(payer, hub, 300)
	hc.pay(hub, payee, 300)
	ah.eventually(t, "payer-hub: paid once", a, h2)
	hc.eventually(t, "hub-payee: paid once", h2, c)
	hd.eventually(t, "hub-D: nothing", h2, d)
}
