package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// A payer that pays its lock short on unlock: every proof is signed with the payer's
// real key, so only the hub's own copy of the locks stands between it and the loss.

// TestAttack2CheatingUnlocksChangeNothingAtTheHub: two locks of the payer are pending at
// the hub (70 and 30, held by the payee). The payer, knowing the 70's secret, sends
//   - an Unlock whose proof moves transferred by 69 instead of 70;
//   - an Unlock naming the 70's secret whose proof removes the 30 instead (and pays 70);
//   - an honest unlock proof of the 70 carried with the 30's secret;
//   - an Unlock ahead of its turn (nonce + 2, as if reordered before a lock).
//
// Each is refused and changes nothing; then the payee releases both secrets and the hub
// ends with exactly 100 from the payer, having paid exactly 100 to the payee.
func TestAttack2CheatingUnlocksChangeNothingAtTheHub(t *testing.T) {
	x := newThreeNodes(t)
	var s1, s2 [32]byte
	rand.Read(s1[:])
	rand.Read(s2[:])
	h1, h2 := channel.SecretHash(s1), channel.SecretHash(s2)
	expectInvoice(t, x.c, h1, big.NewInt(70))
	expectInvoice(t, x.c, h2, big.NewInt(30))
	done := make(chan error, 2)
	for _, p := range []struct {
		amount int64
		hash   [32]byte
	}{{70, h1}, {30, h2}} {
		go func() {
			_, err := routedPay(t, x.a, x.route, p.amount, p.hash)
			done <- err
		}()
	}
	waitFor(t, "the payee holds both locks", func() bool { return partnerSeesNonce(x.c, x.idHC) == 2 })

	lcA := x.a.channel(x.idAH)
	lcA.mu.Lock()
	cheat := lcA.st.Clone()
	l1, _ := lcA.st.PendingLock(lcA.us, h1)
	base := lcA.st.Nonce(lcA.us)
	lcA.mu.Unlock()
	now := x.a.med.now.Load()
	honest, err := cheat.PrepareLockUpdate(lcA.us, channel.Unlock(s1), now, x.a.signer)
	if err != nil {
		t.Fatal(err)
	}
	resign := func(bp channel.BalanceProof) channel.SignedProof {
		d, err := x.a.chain.Domain().BalanceProofDigest(bp)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := x.a.signer.SignDigest(d)
		if err != nil {
			t.Fatal(err)
		}
		return channel.SignedProof{BalanceProof: bp, Sig: sig}
	}
	short := honest.BalanceProof
	short.Transferred = new(big.Int).Sub(honest.Transferred, big.NewInt(1))
	wrongLock := honest.BalanceProof
	wrongLock.Locked = big.NewInt(70)
	root, err := channel.LocksRoot([]channel.Lock{l1})
	if err != nil {
		t.Fatal(err)
	}
	wrongLock.LocksRoot = root
	ahead := honest.BalanceProof
	ahead.Nonce = base + 2
	msgs := []*p2p.Unlock{
		{Proof: resign(short), Secret: s1},
		{Proof: resign(wrongLock), Secret: s1},
		{Proof: honest, Secret: s2},
		{Proof: resign(ahead), Secret: s1},
	}
	before := counterValue(x.h.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(channel.ErrLocksMismatch))))
	for _, m := range msgs {
		if err := x.a.transport.Send(context.Background(), x.hub, m); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the hub refuses the mismatched unlocks", func() bool {
		return counterValue(x.h.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(channel.ErrLocksMismatch)))) >= before+3
	})
	time.Sleep(300 * time.Millisecond)
	lcH := x.h.channel(x.idAH)
	lcH.mu.Lock()
	_, p1 := lcH.st.PendingLock(lcH.us.Other(), h1)
	_, p2 := lcH.st.PendingLock(lcH.us.Other(), h2)
	nonce := lcH.st.Nonce(lcH.us.Other())
	lcH.mu.Unlock()
	if !p1 || !p2 || nonce != base {
		t.Fatalf("a cheating unlock moved the hub's copy: locks pending %v %v, payer nonce %d (want %d)", p1, p2, nonce, base)
	}
	if v, _ := x.h.Channel(context.Background(), x.idAH); v.Balance[1].Sign() != 0 {
		t.Fatalf("the hub credits %s from cheating unlocks", v.Balance[1])
	}

	// Honest end: the payee releases both secrets; every hop unlocks.
	learnSecret(t, x.c, s1, big.NewInt(70))
	learnSecret(t, x.c, s2, big.NewInt(30))
	for range 2 {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("routed payment: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the routed payments did not complete")
		}
	}
	x.ah.pay(x.payer, x.hub, 100)
	x.hc.pay(x.hub, x.payee, 100)
	x.ah.eventually(t, "payer-hub", x.a, x.h)
	x.hc.eventually(t, "hub-payee", x.h, x.c)
}

// TestAttack2HubCollectsOnlyWhatItForwarded: the same invoice hash reaches the hub twice,
// from two wallets (a merchant's invoice paid by two customers). The hub forwards the
// first lock and the merchant is paid once. For the second wallet's lock the hub forwards
// nothing, so it is entitled to nothing from it: the second wallet must end with its
// whole deposit (its lock refused and cancelled, or expired), not pay the hub 100 for a
// payment that never went further.
func TestAttack2HubCollectsOnlyWhatItForwarded(t *testing.T) {
	tn := newTestNet(t)
	a1 := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	a2 := tn.startNode(4, nodeOpts{})
	id1 := openChannel(t, a1, h, big.NewInt(1000), nil, time.Hour)
	id2 := openChannel(t, a2, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, merchant := h.signer.Address(), c.signer.Address()
	route := []common.Address{hub, merchant}
	m1, m2, mc := newModel(id1, a1, h, 1000), newModel(id2, a2, h, 1000), newModel(idHC, h, c, 1000)

	inv := invoice(t, c, 100)
	if _, err := routedPay(t, a1, route, 100, inv.SecretHash); err != nil {
		t.Fatalf("first customer: %v", err)
	}
	m1.pay(a1.signer.Address(), hub, 100)
	mc.pay(hub, merchant, 100)
	m1.eventually(t, "first customer-hub", a1, h)
	mc.eventually(t, "hub-merchant", h, c)

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	var pid [16]byte
	rand.Read(pid[:])
	res, err := a2.PayRouted(ctx, RoutedPayRequest{Hops: route, Amount: big.NewInt(100), SecretHash: inv.SecretHash, PaymentID: pid})
	if n := partnerSeesNonce(c, idHC); n != 2 {
		t.Fatalf("merchant saw hub proof %d after the second customer's lock, want 2 (nothing more forwarded)", n)
	}
	if err == nil && res.Unlocked {
		v, _ := a2.Channel(context.Background(), id2)
		t.Fatalf("the second customer's lock was unlocked to the hub (balances %v) though the hub forwarded nothing for it: the hub collected 100 it is not entitled to", v.Balance)
	}
	m2.eventually(t, "second customer-hub: its lock back", a2, h)
	mc.check(t, "hub-merchant: paid once", h, c)
}

// TestAttack2LockOnAClosingChannelIsNotForwarded: the payer closes its channel with the
// hub on chain, then sends a new LockedTransfer on it (signed on its copy from before the
// close). Whatever the hub put on chain cannot carry that lock, so forwarding it would be
// paying downstream with nothing upstream: the hub must refuse it and forward nothing.
func TestAttack2LockOnAClosingChannelIsNotForwarded(t *testing.T) {
	x := newThreeNodes(t)
	mustPay(t, x.a, x.idAH, 30)
	inv := invoice(t, x.c, 200) // the accomplice payee reveals to whoever pays 200
	lcA := x.a.channel(x.idAH)
	lcA.mu.Lock()
	before := lcA.st.Clone()
	lcA.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := x.a.CloseChannel(ctx, x.idAH, true); err != nil {
		t.Fatalf("payer's close: %v", err)
	}
	waitFor(t, "the hub sees the close", func() bool { return channelStatus(x.h, x.idAH) != channel.StatusOpen })

	now := x.a.med.now.Load()
	lock := channel.Lock{Amount: big.NewInt(200), Expiration: now + 3*mediate.DefaultRevealMargin, SecretHash: inv.SecretHash}
	proof, err := before.PrepareLockUpdate(lcA.us, channel.AddLock(lock), now, x.a.signer)
	if err != nil {
		t.Fatal(err)
	}
	msg := &p2p.LockedTransfer{Proof: proof, Lock: lock, Target: x.payee, Amount: big.NewInt(200), Hops: []common.Address{x.payee}}
	if err := x.a.transport.Send(context.Background(), x.hub, msg); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := partnerSeesNonce(x.c, x.idHC); n != 0 {
		t.Fatalf("the hub forwarded a lock received on a closing channel (payee saw hub proof %d)", n)
	}
	lcH := x.h.channel(x.idAH)
	lcH.mu.Lock()
	_, took := lcH.st.PendingLock(lcH.us.Other(), inv.SecretHash)
	lcH.mu.Unlock()
	if took {
		t.Fatal("the hub took a lock on a closing channel")
	}
	x.hc.check(t, "hub-payee: nothing forwarded", x.h, x.c)
}
