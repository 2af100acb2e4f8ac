package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/tower"
)

// Fifth attacker pass (ADR 0037, "Attacker pass"): the partner plays with the order and
// timing of its checkpoint endorsements, and the hub restarts in between.
//
//	go test ./node -run 'TestAttack5' -v

// newOlderProofNetWithPayee is newOlderProofNet with the payee's transport wrapped.
func newOlderProofNetWithPayee(t *testing.T, hub nodeOpts, payeeWrap func(Transport) Transport) *olderProofNet {
	tn := newTestNet(t)
	x := &olderProofNet{tn: tn, reader: chainReader(t, tn), hTap: &lockTap{}, hDir: t.TempDir()}
	x.a = tn.startNode(1, nodeOpts{})
	hub.dir = x.hDir
	hub.wrap = func(tr Transport) Transport { x.hTap.Transport = tr; return x.hTap }
	x.h = tn.startNode(2, hub)
	x.c = tn.startNode(3, nodeOpts{wrap: payeeWrap})
	x.idAH = openChannel(t, x.a, x.h, big.NewInt(1000), nil, time.Hour)
	x.idHC = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.payer, x.hub, x.payee = x.a.signer.Address(), x.h.signer.Address(), x.c.signer.Address()
	return x
}

// askedProof is the hub's proof of nonce it asked the payee to endorse (a checkpoint).
func (x *olderProofNet) askedProof(id channel.ID, nonce uint64) (channel.SignedProof, bool) {
	e := x.h.med.ref.end
	e.mu.Lock()
	defer e.mu.Unlock()
	ep, ok := e.asked[id][nonce]
	return ep.proof, ok
}

// endorsementOf is the payee's endorsement of the hub's proof p, signed by hand.
func endorsementOf(t *testing.T, by *Node, p channel.SignedProof) *p2p.CancelEndorsement {
	t.Helper()
	digest, err := by.domain.EndorsementDigest(p.BalanceProof)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := by.signer.SignDigest(digest)
	if err != nil {
		t.Fatal(err)
	}
	return &p2p.CancelEndorsement{Channel: p.Channel, Nonce: p.Nonce, Sig: sig}
}

// twoExpiredCheckpoints: two silent locks of the hub's to the payee (L1 100, L2 50, L2
// expiring 200 s later) expire one after the other; the payee withholds its endorsements
// (drop), so the hub asks for a checkpoint at each removal: m1 (L1 gone, L2 pending) and
// m2 (both gone). It returns both proofs.
func twoExpiredCheckpoints(t *testing.T, x *olderProofNet) (m1, m2 channel.SignedProof) {
	t.Helper()
	l1 := x.silentLock(t, 100)
	first := x.hTap.lastOn(t, x.idHC)
	head, err := x.reader.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	target := head.Time + 200
	if err := x.tn.chain.AdjustTime(200 * time.Second); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the payer sees the new chain time", func() bool { return x.a.med.now.Load() >= target && x.h.med.now.Load() >= target })
	l2 := x.silentLock(t, 50)
	second := x.hTap.lastOn(t, x.idHC)
	advanceTo(t, x.tn, x.reader, first.Lock.Expiration+1)
	waitFor(t, "the hub expires L1", func() bool { return !incomingPending(x.c, x.idHC, l1) && incomingPending(x.c, x.idHC, l2) })
	n1 := second.Proof.Nonce + 1
	var ok bool
	waitFor(t, "the hub asks for a checkpoint at L1's removal", func() bool { m1, ok = x.askedProof(x.idHC, n1); return ok })
	advanceTo(t, x.tn, x.reader, second.Lock.Expiration+1)
	waitFor(t, "the hub expires L2", func() bool { return !incomingPending(x.c, x.idHC, l2) })
	waitFor(t, "the hub asks for a checkpoint at L2's removal", func() bool { m2, ok = x.askedProof(x.idHC, n1+1); return ok })
	if m1.Locked == nil || m1.Locked.Int64() != 50 || m2.Locked != nil && m2.Locked.Sign() != 0 {
		t.Fatalf("fixture: m1 locks %v, m2 %v; want 50 and 0", m1.Locked, m2.Locked)
	}
	return m1, m2
}

// TestAttack5EndorsementsOutOfOrderKeepTheNewestCheckpoint: the payee endorses the hub's
// newer checkpoint m2 and, right behind it, the older m1 it was also asked for. The hub
// prunes the tombstones through m2 (L2's among them) and must keep m2 as its endorsed
// proof, in memory and on disk: after a restart it is m2 that its defense puts on chain
// over an older proof. The payee then closes with m1 (which carries L2, 50) while the
// restarted hub is online. Entitlement: nothing was paid, the hub gets its 1000. Fails if
// the second endorsement's batch overwrites the stored endorsement (and the prune floor)
// with m1: the restarted hub then holds m1, does not defend, and cannot rebuild m1's list
// (L2's tombstone is pruned): 50 frozen.
func TestAttack5EndorsementsOutOfOrderKeepTheNewestCheckpoint(t *testing.T) {
	filter := &endorseFilter{}
	filter.drop.Store(true)
	x := newOlderProofNetWithPayee(t, nodeOpts{checkpoints: CheckpointConfig{Every: 1}},
		func(tr Transport) Transport { filter.Transport = tr; return filter })
	m1, m2 := twoExpiredCheckpoints(t, x)
	bg := context.Background()
	for _, m := range []channel.SignedProof{m2, m1} {
		if err := filter.Transport.Send(bg, x.hub, endorsementOf(t, x.c, m)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the hub prunes through m2", func() bool {
		return x.h.med.ref.end.endorsedNonce(x.idHC) == m2.Nonce && x.h.tombstoneCount(x.idHC) == 0
	})
	time.Sleep(300 * time.Millisecond) // the second endorsement's batch, if any, is committed
	if _, floor, err := x.h.store.(tombStorage).Tombstones(x.idHC, channel.PartyA); err != nil || floor != m2.Nonce {
		t.Errorf("stored prune floor %d (%v); want m2's nonce %d", floor, err, m2.Nonce)
	}
	x.restartHub(t, nodeOpts{checkpoints: CheckpointConfig{Every: 1}})
	if got := x.h.med.ref.end.endorsedNonce(x.idHC); got != m2.Nonce {
		t.Errorf("restarted hub's endorsed nonce %d; want m2's %d (m1 is %d)", got, m2.Nonce, m1.Nonce)
	}
	x.cheatAndSettle(t, m1, func(uint64) {
		waitForQuiet(func() bool { // the defense, if the hub knows m2 (the challenge period is long)
			v, err := x.reader.Channel(context.Background(), x.idHC)
			return err == nil && v.NonceA == m2.Nonce
		})
	})
	x.hubGetsAll(t, 1000, 0)
}

// towerHubNet is payer -> hub -> payee with a watchtower (paid by account 9) for the hub,
// a checkpoint asked at every tombstone, the hub's transport tapped and the payee's
// endorsements dropped (filter). hubOpts restart the hub on its datadir.
func towerHubNet(t *testing.T, tn *testNet) (x *olderProofNet, tw *tower.Tower, twDir string, hubOpts nodeOpts, filter *endorseFilter) {
	t.Helper()
	filter = &endorseFilter{}
	filter.drop.Store(true)
	twDir = t.TempDir()
	tw = startTowerAs(t, tn, twDir, 9)
	tap := &towerTap{}
	x = &olderProofNet{tn: tn, reader: chainReader(t, tn), hTap: &tap.lockTap, hDir: t.TempDir()}
	hubOpts = nodeOpts{checkpoints: CheckpointConfig{Every: 1}, tower: tw.Addrs()[0].String()}
	x.a = tn.startNode(1, nodeOpts{})
	o := hubOpts
	o.dir, o.wrap = x.hDir, func(tr Transport) Transport { tap.Transport = tr; return tap }
	x.h = tn.startNode(2, o)
	x.c = tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { filter.Transport = tr; return filter }})
	x.idAH = openChannel(t, x.a, x.h, big.NewInt(1000), nil, time.Hour)
	x.idHC = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.payer, x.hub, x.payee = x.a.signer.Address(), x.h.signer.Address(), x.c.signer.Address()
	return x, tw, twDir, hubOpts, filter
}

// TestAttack5TowerHoldsAnOlderCheckpointThanTheHubPruned: the hub hands its endorsed
// checkpoint m1 to its watchtower; the tower is then unreachable while the payee endorses
// m2 and the hub prunes through m2 (L2's tombstone: L2 is in m1's list). The hub goes
// offline; the payee closes with the hub's older proof p0 (L1 and L2); the tower, back,
// puts m1 on chain over it (all it holds); the hub comes back after settle. Entitlement:
// nothing was paid, the hub gets its 1000. Fails while pruning does not wait for the
// tower to hold m2 (towerHoldsOwn): m1 is below the prune floor, its list (L2, 50) is
// not rebuilt and stays frozen.
func TestAttack5TowerHoldsAnOlderCheckpointThanTheHubPruned(t *testing.T) {
	tn := newTestNet(t)
	x, tw, twDir, hubOpts, filter := towerHubNet(t, tn)

	m1, m2 := twoExpiredCheckpoints(t, x)
	p0 := x.hTap.lastOn(t, x.idHC).Proof // L2's lock: carries L1 and L2
	bg := context.Background()
	if err := filter.Transport.Send(bg, x.hub, endorsementOf(t, x.c, m1)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the tower holds the hub's checkpoint m1", func() bool {
		got, ok, err := tw.Guarding(x.idHC, channel.PartyA)
		return err == nil && ok && got == m1.Nonce && x.h.towerHoldsOwn(x.idHC, m1.Nonce)
	})
	tw.Close() // unreachable from here on
	if err := filter.Transport.Send(bg, x.hub, endorsementOf(t, x.c, m2)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub stores the endorsement of m2", func() bool { return x.h.med.ref.end.endorsedNonce(x.idHC) == m2.Nonce })
	waitForQuiet(func() bool { return x.h.tombstoneCount(x.idHC) == 0 }) // pruned, if it does not wait for the tower
	if err := x.h.Close(); err != nil {
		t.Fatal(err)
	}
	tw = startTowerAs(t, tn, twDir, 9) // the tower is back; the hub stays offline
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := keyClient(t, tn, 3).Close(bg, x.idHC, &p0); err != nil {
		t.Fatalf("payee's close with the older proof: %v", err)
	}
	waitFor(t, "the tower puts m1 on chain", func() bool {
		v, err := x.reader.Channel(bg, x.idHC)
		return err == nil && v.NonceA == m1.Nonce
	})
	v, err := x.reader.Channel(bg, x.idHC)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, x.reader, v.SettleAfter+1)
	o := hubOpts
	o.dir, o.staticPeers, o.tower = x.hDir, []string{addrOf(t, x.a)}, tw.Addrs()[0].String()
	x.h = tn.startNode(2, o)
	waitFor(t, "the hub settles", func() bool { return channelStatus(x.h, x.idHC) == channel.StatusSettled })
	x.hubGetsAll(t, 1000, 0)
}

// TestAttack5SecretRegisteredAfterExpiryIsNoReceiverOnlyList: the payer and the payee
// collude. The payee holds the hub's lock L (100) on a hash only the payer knows; L
// expires and the hub removes it off chain, then the payer's lock to the hub expires
// too. The payer registers the secret on chain only now, after L's expiration, and the
// payee closes with the hub's older proof that carries L and goes offline. The rebuilt
// list [L] has a registered secret, but not in time: the contract returns L to the hub,
// so it is not a list "only the receiver gains" from (ADR 0037) and the hub must unlock
// it. Entitlement: nothing was paid, the hub gets its 1000. Fails if the receiver-only
// rule took any registration for an in-time one (100 frozen: the payee never unlocks).
func TestAttack5SecretRegisteredAfterExpiryIsNoReceiverOnlyList(t *testing.T) {
	x := newOlderProofNet(t, nodeOpts{})
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	expectInvoice(t, x.c, hash, big.NewInt(100))
	go routedPay(t, x.a, []common.Address{x.hub, x.payee}, 100, hash) //nolint:errcheck // the lock expires
	waitFor(t, "the payee holds the hub's lock", func() bool { return incomingPending(x.c, x.idHC, hash) })
	older := x.hTap.lastOn(t, x.idHC)
	advanceTo(t, x.tn, x.reader, older.Lock.Expiration+1)
	waitFor(t, "the hub expires its lock to the payee off chain", func() bool {
		return !incomingPending(x.c, x.idHC, hash) && partnerSeesNonce(x.c, x.idHC) == older.Proof.Nonce+1
	})
	advanceTo(t, x.tn, x.reader, older.Lock.Expiration+2*x.a.med.cfg.Margin()+600)
	waitFor(t, "the payer expires its lock to the hub", func() bool { return !incomingPending(x.h, x.idAH, hash) })
	bg := context.Background()
	rcpt, err := keyClient(t, x.tn, 1).RegisterSecret(bg, secret)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("L expires at %d; the secret is registered in block %d", older.Lock.Expiration, rcpt.BlockNumber)
	x.cheatAndSettle(t, older.Proof, nil)
	x.hubGetsAll(t, 1000, 0)
	newModel(x.idAH, x.a, x.h, 1000).eventually(t, "payer-hub: nothing moved", x.a, x.h)
}

// TestAttack5DeferredPruneHappensOnceTheTowerHoldsTheCheckpoint: the liveness side of
// waiting for the tower. The payee endorses m2 while the hub's tower is down: the hub
// keeps L2's tombstone (removed at m2). The hub then restarts and the tower is back: the
// restarted hub hands the tower m2 and, once it answered, prunes through m2 with no new
// endorsement and no lock change of its own. Fails if a prune deferred for the tower
// were never retried (tombstones kept until the next checkpoint, toward the cap).
func TestAttack5DeferredPruneHappensOnceTheTowerHoldsTheCheckpoint(t *testing.T) {
	tn := newTestNet(t)
	x, tw, twDir, hubOpts, filter := towerHubNet(t, tn)

	m1, m2 := twoExpiredCheckpoints(t, x)
	bg := context.Background()
	if err := filter.Transport.Send(bg, x.hub, endorsementOf(t, x.c, m1)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub prunes through m1 once the tower holds it", func() bool {
		_, floor, err := x.h.store.(tombStorage).Tombstones(x.idHC, channel.PartyA)
		return err == nil && floor == m1.Nonce
	})
	tw.Close()
	if err := filter.Transport.Send(bg, x.hub, endorsementOf(t, x.c, m2)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub stores the endorsement of m2", func() bool { return x.h.med.ref.end.endorsedNonce(x.idHC) == m2.Nonce })
	time.Sleep(500 * time.Millisecond)
	if n := x.h.tombstoneCount(x.idHC); n != 1 {
		t.Fatalf("tombstones while the tower lacks m2: %d, want 1 (L2's, kept for m1's list)", n)
	}
	if err := x.h.Close(); err != nil {
		t.Fatal(err)
	}
	tw = startTowerAs(t, tn, twDir, 9)
	o := hubOpts
	o.dir, o.staticPeers, o.tower = x.hDir, []string{addrOf(t, x.a), addrOf(t, x.c)}, tw.Addrs()[0].String()
	x.h = tn.startNode(2, o)
	waitFor(t, "the restarted hub prunes through m2 once the tower holds it", func() bool {
		ts, floor, err := x.h.store.(tombStorage).Tombstones(x.idHC, channel.PartyA)
		return err == nil && len(ts) == 0 && floor == m2.Nonce
	})
	if got, ok, err := tw.Guarding(x.idHC, channel.PartyA); err != nil || !ok || got != m2.Nonce {
		t.Fatalf("the tower guards nonce %d (%v, %v), want m2's %d", got, ok, err, m2.Nonce)
	}
}
