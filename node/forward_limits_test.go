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
	"github.com/sluicepay/sluice/p2p"
)

// hubNet is a payer, a hub and two payees of the hub: one honest, one that holds every
// lock it gets (it knows no secret for the hashes the payer uses on it).
type hubNet struct {
	tn              *testNet
	a, h, honest, g *Node
	idAH            channel.ID
}

func newHubNet(t *testing.T, fwd ForwardingConfig) *hubNet {
	tn := newTestNet(t)
	x := &hubNet{tn: tn}
	x.a = tn.startNode(1, nodeOpts{})
	x.h = tn.startNode(2, nodeOpts{forwarding: fwd})
	x.honest = tn.startNode(3, nodeOpts{})
	x.g = tn.startNode(4, nodeOpts{})
	x.idAH = openChannel(t, x.a, x.h, big.NewInt(10_000), nil, time.Hour)
	openChannel(t, x.h, x.honest, big.NewInt(10_000), nil, time.Hour)
	openChannel(t, x.h, x.g, big.NewInt(10_000), nil, time.Hour)
	return x
}

func (x *hubNet) route(to *Node) []common.Address {
	return []common.Address{x.h.signer.Address(), to.signer.Address()}
}

// holding is how many locks n holds from the hub.
func holding(n *Node, hub *Node) int {
	lc := n.openChannelWith(hub.signer.Address())
	if lc == nil {
		return 0
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return len(lc.st.Locks(lc.us.Other()))
}

// payAsync starts a routed payment and returns its outcome channel.
func payAsync(t *testing.T, n *Node, hops []common.Address, amount int64, hash [32]byte) chan error {
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, n, hops, amount, hash)
		done <- err
	}()
	return done
}

// silentHash is a hash payee has an invoice of amount for but no secret: it accepts the
// lock (a payee without the invoice refuses it, ADR 0026) and never reveals.
func silentHash(t *testing.T, payee *Node, amount int64) [32]byte {
	var h [32]byte
	rand.Read(h[:])
	expectInvoice(t, payee, h, big.NewInt(amount))
	return h
}

func TestHubRefusesForwardOverOutgoingPendingValue(t *testing.T) {
	x := newHubNet(t, ForwardingConfig{Limits: mediate.ForwardLimits{Out: mediate.PartnerLimits{MaxPendingValue: big.NewInt(150)}}})
	held := payAsync(t, x.a, x.route(x.g), 100, silentHash(t, x.g, 100))
	waitFor(t, "the griefer holds the first lock", func() bool { return holding(x.g, x.h) == 1 })

	// 100 more to the same partner would lock 200 with it: not forwarded.
	inv := invoice(t, x.g, 100)
	refused := payAsync(t, x.a, x.route(x.g), 100, inv.SecretHash)
	waitFor(t, "the hub counts the refusal", func() bool {
		return counterValue(x.h.fwd.refused.WithLabelValues("out_pending_value")) == 1
	})
	if n := holding(x.g, x.h); n != 1 {
		t.Fatalf("the partner holds %d locks, want 1: the limit did not hold", n)
	}
	// Another partner of the hub is served meanwhile.
	inv = invoice(t, x.honest, 100)
	if res, err := routedPay(t, x.a, x.route(x.honest), 100, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("honest payee while the other partner is at its limit: %+v %v", res, err)
	}

	if err := x.tn.chain.AdjustTime(3*mediate.DefaultRevealMargin*time.Second + 5*time.Second); err != nil {
		t.Fatal(err)
	}
	for _, done := range []chan error{held, refused} {
		if err := <-done; !errors.Is(err, ErrRouteFailed) {
			t.Fatalf("payment over the limit: %v, want ErrRouteFailed", err)
		}
	}
	// Once the held lock is gone the partner is under its limit again.
	waitFor(t, "the hub expires its lock to the partner", func() bool { return holding(x.g, x.h) == 0 })
	inv = invoice(t, x.g, 100)
	if res, err := routedPay(t, x.a, x.route(x.g), 100, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("payment after the held lock expired: %+v %v", res, err)
	}
}

func TestHubCountsLocksHeldToExpiryRefusesThenBansThePeer(t *testing.T) {
	x := newHubNet(t, ForwardingConfig{Griefing: mediate.GriefPolicy{RefuseAbove: 2, BanAbove: 3}})
	griefer := x.g.signer.Address()

	// One lock held to expiry: counted, the peer is still served.
	first := payAsync(t, x.a, x.route(x.g), 10, silentHash(t, x.g, 10))
	waitFor(t, "the griefer holds a lock", func() bool { return holding(x.g, x.h) == 1 })
	if err := x.tn.chain.AdjustTime(3*mediate.DefaultRevealMargin*time.Second + 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := <-first; !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("held payment: %v", err)
	}
	waitFor(t, "the hub counts the held lock", func() bool { return x.h.fwd.grief.Count(griefer, time.Now()) == 1 })
	if err := x.h.fwd.grief.Check(griefer, time.Now()); err != nil {
		t.Fatalf("one held lock already refused: %v", err)
	}
	inv := invoice(t, x.g, 10)
	if res, err := routedPay(t, x.a, x.route(x.g), 10, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("a peer with one held lock is still served: %+v %v", res, err)
	}

	// Three more at once (the slot-filling attack): past the refuse threshold, then the ban.
	var many []chan error
	for range 3 {
		many = append(many, payAsync(t, x.a, x.route(x.g), 10, silentHash(t, x.g, 10)))
	}
	waitFor(t, "the griefer holds three locks", func() bool { return holding(x.g, x.h) == 3 })
	bansBefore := x.h.transport.Stats().Bans[p2p.BanRefused]
	if err := x.tn.chain.AdjustTime(3*mediate.DefaultRevealMargin*time.Second + 5*time.Second); err != nil {
		t.Fatal(err)
	}
	for _, done := range many {
		if err := <-done; !errors.Is(err, ErrRouteFailed) {
			t.Fatalf("held payment: %v", err)
		}
	}
	waitFor(t, "the hub bans the griefer", func() bool { return x.h.transport.Stats().Bans[p2p.BanRefused] > bansBefore })
	if got := x.h.fwd.grief.Count(griefer, time.Now()); got != 4 {
		t.Fatalf("held locks counted: %d, want 4", got)
	}
	if got := counterValue(x.h.fwd.held.WithLabelValues(griefer.Hex(), "out")); got != 4 {
		t.Fatalf("held-to-expiry metric: %v, want 4", got)
	}
	if got := counterValue(x.h.fwd.griefBans); got < 1 {
		t.Fatalf("griefing bans metric: %v", got)
	}

	// The honest payee and the payer keep being served; nothing more is forwarded to the
	// griefer (refused even if it reconnects, while it is over the refuse threshold).
	inv = invoice(t, x.honest, 10)
	if res, err := routedPay(t, x.a, x.route(x.honest), 10, inv.SecretHash); err != nil || !res.Unlocked {
		t.Fatalf("honest payee after the ban: %+v %v", res, err)
	}
	if _, err := x.h.forwardAllowed(x.h.openChannelWith(x.a.signer.Address()), x.h.openChannelWith(griefer), channel.Lock{Amount: big.NewInt(1)}); !errors.Is(err, mediate.ErrForwardLimit) {
		t.Fatalf("forward to the griefer after the ban: %v, want ErrForwardLimit", err)
	}
	if got := counterValue(x.h.fwd.refused.WithLabelValues("out_held_locks")); got != 1 {
		t.Fatalf("refusals for held locks: %v, want 1", got)
	}
}

// TestPayerThatExpiresARevealedLockIsCounted: a payer that lets its lock expire although
// the payee revealed the secret to it (it kept what it owed; modelled by a reveal that
// never arrives) is counted against it on the payee, direction "in".
func TestPayerThatExpiresARevealedLockIsCounted(t *testing.T) {
	tn := newTestNet(t)
	lossy := &lossyTransport{lose: p2p.TypeSecretReveal}
	lossy.on.Store(true)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	inv := invoice(t, b, 40)
	done := payAsync(t, a, []common.Address{b.signer.Address()}, 40, inv.SecretHash)
	lc := b.openChannelWith(a.signer.Address())
	waitFor(t, "the payee reveals", func() bool { return b.revealedTo(lc, inv.SecretHash) })
	if err := tn.chain.AdjustTime(2*mediate.DefaultRevealMargin*time.Second + 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("payment whose payer never unlocked: %v", err)
	}
	payer := a.signer.Address()
	waitFor(t, "the payee counts the payer", func() bool { return b.fwd.grief.Count(payer, time.Now()) == 1 })
	// The tracker counts before the metric moves: wait for it too, then check it is one.
	waitFor(t, "the held-to-expiry metric (in) moves", func() bool { return counterValue(b.fwd.held.WithLabelValues(payer.Hex(), "in")) != 0 })
	if got := counterValue(b.fwd.held.WithLabelValues(payer.Hex(), "in")); got != 1 {
		t.Fatalf("held-to-expiry metric (in): %v", got)
	}
	// An expiry of a lock whose secret was never revealed is not an offence.
	done = payAsync(t, a, []common.Address{b.signer.Address()}, 10, silentHash(t, b, 10))
	waitFor(t, "the payee holds the lock", func() bool { return holding(b, a) == 1 })
	if err := tn.chain.AdjustTime(2*mediate.DefaultRevealMargin*time.Second + 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrRouteFailed) {
		t.Fatalf("unrevealed payment: %v", err)
	}
	waitFor(t, "the payer's lock is gone", func() bool { return holding(b, a) == 0 })
	time.Sleep(300 * time.Millisecond) // the follow-up of the expiry runs after its write
	if n := b.fwd.grief.Count(payer, time.Now()); n != 1 {
		t.Fatalf("payer counted %d times, want 1", n)
	}
}
