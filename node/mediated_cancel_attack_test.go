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
)

// Refusals under attack and across restarts (ADR 0026): what a cheating payer or a forged
// refusal can do (nothing), and that a refusal survives a restart and a repeat.

// holdLock has the payer lock amount to the payee through the hub on a hash the payee
// has an invoice for but no secret: every hop holds its lock until told otherwise.
func (x *threeNodes) holdLock(t *testing.T, amount int64) ([32]byte, chan error) {
	t.Helper()
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, x.c, hash, big.NewInt(amount))
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, x.a, x.route, amount, hash)
		done <- err
	}()
	x.payeeHoldsLock(t)
	return secret, done
}

func (x *threeNodes) pending(t *testing.T, n *Node, id channel.ID, payerOf *Node, hash [32]byte) bool {
	t.Helper()
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	p := lc.us
	if payerOf != n {
		p = lc.us.Other()
	}
	_, ok := lc.st.PendingLock(p, hash)
	return ok
}

// TestCheatingCancelsAndRefusalsChangeNothing: the counterparty cheats.
//   - The payer cancels (an early LockExpired, signed after marking its own copy refused)
//     a lock the hub never refused: rejected, the hub's lock and nonce stay.
//   - A LockRefused from a peer that is not the lock's receiver (the payer names the
//     hub's channel to the payee), and one for a lock the hub does not have pending
//     there: nothing is recorded, nothing cancelled.
//   - A refusal that arrives once the hub knows the secret is ignored: the hub unlocks.
func TestCheatingCancelsAndRefusalsChangeNothing(t *testing.T) {
	x := newThreeNodes(t)
	secret, done := x.holdLock(t, 70)
	hash := channel.SecretHash(secret)

	// 1. Early cancel of an unrefused lock.
	lcA := x.a.channel(x.idAH)
	lcA.mu.Lock()
	cheat := lcA.st.Clone()
	if err := cheat.MarkLockRefused(lcA.us, hash); err != nil {
		lcA.mu.Unlock()
		t.Fatal(err)
	}
	proof, err := cheat.PrepareLockUpdate(lcA.us, channel.CancelLock(hash), x.a.med.now.Load(), x.a.signer)
	lcA.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	before := counterValue(x.h.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(channel.ErrLockNotExpired))))
	if err := x.a.transport.Send(context.Background(), x.hub, &p2p.LockExpired{Proof: proof, SecretHash: hash}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub rejects the cancel of a lock it never refused", func() bool {
		return counterValue(x.h.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(channel.ErrLockNotExpired)))) > before
	})
	lcH := x.h.channel(x.idAH)
	lcH.mu.Lock()
	_, still := lcH.st.PendingLock(lcH.us.Other(), hash)
	nonce := lcH.st.Nonce(lcH.us.Other())
	lcH.mu.Unlock()
	if !still || nonce != proof.Nonce-1 {
		t.Fatalf("hub took an unsolicited cancel (pending %v, payer nonce %d, cancel nonce %d)", still, nonce, proof.Nonce)
	}

	// 2. Forged refusals: from the payer about the hub's channel to the payee, and from
	// the payee about a hash the hub has no lock on.
	var other [32]byte
	rand.Read(other[:])
	forged := []struct {
		from *Node
		msg  *p2p.LockRefused
	}{
		{x.a, &p2p.LockRefused{Channel: x.idHC, SecretHash: hash, Reason: uint16(mediate.ReasonCapacity)}},
		{x.a, &p2p.LockRefused{Channel: x.idAH, SecretHash: hash, Reason: uint16(mediate.ReasonCapacity)}},
		{x.c, &p2p.LockRefused{Channel: x.idHC, SecretHash: other, Reason: uint16(mediate.ReasonCapacity)}},
	}
	for _, f := range forged {
		if err := f.from.transport.Send(context.Background(), x.hub, f.msg); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(700 * time.Millisecond) // several mediation ticks
	x.h.med.ref.mu.Lock()
	recorded := len(x.h.med.ref.out) + len(x.h.med.ref.in)
	x.h.med.ref.mu.Unlock()
	if recorded != 0 || !x.pending(t, x.h, x.idHC, x.h, hash) || !x.pending(t, x.h, x.idAH, x.a, hash) {
		t.Fatalf("forged refusals changed the hub: %d refusals recorded, locks pending out %v in %v", recorded,
			x.pending(t, x.h, x.idHC, x.h, hash), x.pending(t, x.h, x.idAH, x.a, hash))
	}
	select {
	case err := <-done:
		t.Fatalf("payment ended on forged refusals: %v", err)
	default:
	}

	// 3. The hub knows the secret (as if revealed on chain), then the payee refuses:
	// the hub must unlock, not cancel.
	x.h.med.mu.Lock()
	x.h.med.secrets[hash] = secret
	x.h.med.mu.Unlock()
	x.h.onLockRefused(x.payee, &p2p.LockRefused{Channel: x.idHC, SecretHash: hash, Reason: uint16(mediate.ReasonUnderpaid)})
	x.h.med.ref.mu.Lock()
	_, taken := x.h.med.ref.out[sentKey{x.idHC, hash}]
	x.h.med.ref.mu.Unlock()
	if taken {
		t.Fatal("the hub took a refusal of a lock whose secret it knows")
	}
	x.h.med.wake()
	x.hc.pay(x.hub, x.payee, 70)
	waitFor(t, "the hub unlocks its lock to the payee", func() bool { return !x.pending(t, x.h, x.idHC, x.h, hash) })
	x.hc.eventually(t, "hub-payee: unlocked, not cancelled", x.h, x.c)
}

// TestRefusingMediatorRestartsBeforeTheCancel: the hub refuses (no capacity towards the
// payee) but its LockRefused is lost, and it restarts. From disk it still refuses (it
// never forwards that lock), re-sends the refusal, and accepts the payer's cancel.
func TestRefusingMediatorRestartsBeforeTheCancel(t *testing.T) {
	tn := newTestNet(t)
	hDir := t.TempDir()
	lossy := &lossyTransport{lose: p2p.TypeLockRefused}
	lossy.on.Store(true)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{dir: hDir, wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(50), nil, time.Hour)
	mAH, mHC := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 50)
	inv := invoice(t, c, 80)
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, a, []common.Address{h.signer.Address(), c.signer.Address()}, 80, inv.SecretHash)
		done <- err
	}()
	waitFor(t, "the hub's refusal is durable", func() bool {
		h.med.ref.mu.Lock()
		defer h.med.ref.mu.Unlock()
		r, ok := h.med.ref.in[sentKey{idAH, inv.SecretHash}]
		return ok && r.durable
	})
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Fatalf("payment ended before the hub came back: %v", err)
	default:
	}
	h2 := tn.startNode(2, nodeOpts{dir: hDir, staticPeers: []string{addrOf(t, a), addrOf(t, c)}})
	lc := h2.channel(idAH)
	lc.mu.Lock()
	marked := lc.st.LockRefused(lc.us.Other(), inv.SecretHash)
	lc.mu.Unlock()
	if !marked {
		t.Fatal("the restarted hub lost its refusal")
	}
	select {
	case err := <-done:
		var refused *RouteRefusedError
		if !errors.As(err, &refused) || refused.Reason != mediate.ReasonCapacity || refused.FailedChannel != idHC {
			t.Fatalf("after the hub's restart: %v; want a capacity refusal naming %s", err, idHC)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the payer's lock was not cancelled after the hub restarted")
	}
	mAH.eventually(t, "payer-hub after the cancel", a, h2)
	mHC.eventually(t, "hub-payee: nothing forwarded", h2, c)
	lcc := c.channel(idHC)
	lcc.mu.Lock()
	n := lcc.st.Nonce(lcc.us.Other())
	lcc.mu.Unlock()
	if n != 0 {
		t.Fatalf("the payee saw hub nonce %d: the refused lock was forwarded", n)
	}
}

// TestRefusedLockIsNeverForwardedLater: the hub refuses a lock (no channel to the next
// hop) and its LockRefused is lost; then a channel to the next hop opens and the
// LockedTransfer is handled again (a repeat): the hub still does not forward it, and the
// re-sent refusal gets the lock cancelled.
func TestRefusedLockIsNeverForwardedLater(t *testing.T) {
	tn := newTestNet(t)
	lossy := &lossyTransport{lose: p2p.TypeLockRefused}
	lossy.on.Store(true)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { lossy.Transport = tr; return lossy }})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	mAH := newModel(idAH, a, h, 1000)
	inv := invoice(t, c, 40)
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, a, []common.Address{h.signer.Address(), c.signer.Address()}, 40, inv.SecretHash)
		done <- err
	}()
	waitFor(t, "the hub's refusal is durable", func() bool {
		h.med.ref.mu.Lock()
		defer h.med.ref.mu.Unlock()
		r, ok := h.med.ref.in[sentKey{idAH, inv.SecretHash}]
		return ok && r.durable
	})
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	lcA := a.channel(idAH)
	lcA.mu.Lock()
	lock, ok := lcA.st.PendingLock(lcA.us, inv.SecretHash)
	lcA.mu.Unlock()
	if !ok {
		t.Fatal("the payer's lock is gone before the refusal reached it")
	}
	h.forward(h.channel(idAH), &p2p.LockedTransfer{Lock: lock, Target: c.signer.Address(), Amount: big.NewInt(40), Hops: []common.Address{c.signer.Address()}})
	time.Sleep(300 * time.Millisecond)
	lc := c.channel(idHC)
	lc.mu.Lock()
	n := lc.st.Nonce(lc.us.Other())
	lc.mu.Unlock()
	if n != 0 {
		t.Fatalf("the hub forwarded a lock it had refused (payee saw hub nonce %d)", n)
	}
	lossy.on.Store(false)
	select {
	case err := <-done:
		var refused *RouteRefusedError
		if !errors.As(err, &refused) || refused.Reason != mediate.ReasonNoChannel {
			t.Fatalf("after the refusal got through: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the re-sent refusal did not get the lock cancelled")
	}
	mAH.eventually(t, "payer-hub after the cancel", a, h)
}
