package node

import (
	"context"
	"crypto/rand"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// Adversarial tests of the mediated protocol (issue 18): a partner of an honest hub
// cheats, and the hub's books are checked against what it is entitled to, computed by
// the test from first principles (what it was paid, what it forwarded, its fee), to the
// wei. Real nodes: embedded chain, libp2p on loopback, leveldb.

// partnerSeesNonce is the nonce of the latest proof n holds from its partner on id.
func partnerSeesNonce(n *Node, id channel.ID) uint64 {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.st.Nonce(lc.us.Other())
}

// latestOwnProof is n's latest signed proof on id, exactly as it sent it.
func latestOwnProof(t *testing.T, n *Node, id channel.ID) channel.SignedProof {
	t.Helper()
	lc := n.channel(id)
	lc.mu.Lock()
	p, ok := lc.st.Latest(lc.us)
	lc.mu.Unlock()
	if !ok {
		t.Fatalf("%s has no proof on %s", n.signer.Address(), id)
	}
	return p
}

// TestAttack2RepeatedProofCannotSmuggleAForgedLock: the payer re-sends its latest proof
// (an exact repeat, which the hub acknowledges without checking it again) in a
// LockedTransfer whose lock the proof does not carry: 500 wei on the hash of an invoice
// of its accomplice, the payee. The hub holds no lock of the payer on that hash, so it is
// entitled to forward nothing: had it forwarded, the payee's reveal would make it pay
// 500 out of its own deposit with nothing upstream to pay it back.
func TestAttack2RepeatedProofCannotSmuggleAForgedLock(t *testing.T) {
	x := newThreeNodes(t)
	mustPay(t, x.a, x.idAH, 10) // the payer's latest proof: a direct payment
	x.ah.pay(x.payer, x.hub, 10)
	x.ah.eventually(t, "after the direct payment", x.a, x.h)

	inv := invoice(t, x.c, 500) // the accomplice releases its secret to whoever pays 500
	proof := latestOwnProof(t, x.a, x.idAH)
	now, err := x.a.chainNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	forged := channel.Lock{Amount: big.NewInt(500), Expiration: now + 3*mediate.DefaultRevealMargin, SecretHash: inv.SecretHash}
	msg := &p2p.LockedTransfer{Proof: proof, Lock: forged, Target: x.payee, Amount: big.NewInt(500), Hops: []common.Address{x.payee}}
	if err := x.a.transport.Send(context.Background(), x.hub, msg); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // forwarding, reveal and unlock take a few ms when they happen

	if n := partnerSeesNonce(x.c, x.idHC); n != 0 {
		v, _ := x.c.Channel(context.Background(), x.idHC)
		t.Fatalf("the hub forwarded a lock its payer never signed: the payee saw hub proof %d and balances %v (hub entitled to lose 0, it holds no incoming lock on %x)",
			n, v.Balance, inv.SecretHash)
	}
	x.ah.check(t, "payer-hub: only the direct payment", x.a, x.h)
	x.hc.check(t, "hub-payee: nothing forwarded", x.h, x.c)
}

// TestAttack2RepeatedLockedTransferIsForwardedOnce: the payer's genuine LockedTransfer
// is forwarded to the payee; then the payer re-sends the same message (same proof, same
// lock) naming another next hop, D, with which the hub also has a channel. The hops are
// not signed, and a repeat is acknowledged and acted on again. One incoming lock covers
// one outgoing lock: the hub must not lock to D too. (If it did, the payer, who chose the
// hash, hands the secret to C and D, and the hub pays twice for one incoming lock.)
func TestAttack2RepeatedLockedTransferIsForwardedOnce(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	d := tn.startNode(4, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	idHD := openChannel(t, h, d, big.NewInt(1000), nil, time.Hour)
	hub, payee, other := h.signer.Address(), c.signer.Address(), d.signer.Address()
	mAH, mHC, mHD := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 1000), newModel(idHD, h, d, 1000)

	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	// Both accomplices accept a lock on the hash and hold it (no secret yet).
	expectInvoice(t, c, hash, big.NewInt(300))
	expectInvoice(t, d, hash, big.NewInt(300))
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, a, []common.Address{hub, payee}, 300, hash)
		done <- err
	}()
	waitFor(t, "the payee holds the forwarded lock", func() bool { return partnerSeesNonce(c, idHC) == 1 })

	lcA := a.channel(idAH)
	lcA.mu.Lock()
	lock, ok := lcA.st.PendingLock(lcA.us, hash)
	lcA.mu.Unlock()
	if !ok {
		t.Fatal("the payer's lock is gone")
	}
	proof := latestOwnProof(t, a, idAH)
	repeat := &p2p.LockedTransfer{Proof: proof, Lock: lock, Target: other, Amount: big.NewInt(300), Hops: []common.Address{other}}
	if err := a.transport.Send(context.Background(), hub, repeat); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := partnerSeesNonce(d, idHD); n != 0 {
		t.Fatalf("the hub forwarded one incoming lock of 300 twice (to %s and, on a repeat naming other hops, to %s: D saw hub proof %d)", payee, other, n)
	}

	// The payment completes once: the payee learns its secret.
	learnSecret(t, c, secret, big.NewInt(300))
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("routed payment: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the routed payment did not complete")
	}
	mAH.pay(a.signer.Address(), hub, 300)
	mHC.pay(hub, payee, 300)
	mAH.eventually(t, "payer-hub", a, h)
	mHC.eventually(t, "hub-payee", h, c)
	mHD.eventually(t, "hub-D: nothing", h, d)
}

// recordingTransport is the payer's real transport that remembers the last
// LockedTransfer it sent and loses every message of type drop (the payer "never sends"
// them: a cheating payer that keeps its unlock).
type recordingTransport struct {
	Transport
	drop p2p.Type
	mu   sync.Mutex
	lt   *p2p.LockedTransfer
}

func (r *recordingTransport) Send(ctx context.Context, to common.Address, m p2p.Message) error {
	if lt, ok := m.(*p2p.LockedTransfer); ok {
		r.mu.Lock()
		r.lt = lt
		r.mu.Unlock()
	}
	if m.Type() == r.drop {
		return nil
	}
	return r.Transport.Send(ctx, to, m)
}

func (r *recordingTransport) lastLockedTransfer() *p2p.LockedTransfer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lt
}

// TestAttack2RepeatAfterTheHubRestartsIsNotForwardedAgain: the payer's lock was forwarded,
// the payee revealed and the hub unlocked to it (paid 200). The payer keeps its own
// unlock. The hub restarts; the payer then re-sends its LockedTransfer (an exact repeat
// of the proof the hub holds). The hub has already paid for that incoming lock once: it
// is entitled to forward nothing more (had it forwarded again, the payee, who knows the
// secret, is paid 200 a second time against one incoming lock of 200).
func TestAttack2RepeatAfterTheHubRestartsIsNotForwardedAgain(t *testing.T) {
	tn := newTestNet(t)
	rec := &recordingTransport{drop: p2p.TypeUnlock}
	a := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { rec.Transport = tr; return rec }})
	hDir := t.TempDir()
	h := tn.startNode(2, nodeOpts{dir: hDir})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, payee := h.signer.Address(), c.signer.Address()
	inv := invoice(t, c, 200)
	go routedPay(t, a, []common.Address{hub, payee}, 200, inv.SecretHash) //nolint:errcheck // the payer keeps its unlock
	hc := newModel(idHC, h, c, 1000)
	hc.pay(hub, payee, 200)
	hc.eventually(t, "the hub unlocked to the payee", h, c)
	if !(&threeNodes{}).pending(t, h, idAH, a, inv.SecretHash) {
		t.Fatal("setup: the hub's incoming lock is gone")
	}
	lt := rec.lastLockedTransfer()
	if lt == nil {
		t.Fatal("setup: no LockedTransfer recorded")
	}

	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	h2 := tn.startNode(2, nodeOpts{dir: hDir, staticPeers: []string{addrOf(t, a), addrOf(t, c)}})
	waitFor(t, "the restarted hub reconnects", func() bool { return h2.transport.Connected(a.signer.Address()) && h2.transport.Connected(payee) })
	if err := a.transport.Send(context.Background(), hub, lt); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := partnerSeesNonce(c, idHC); n != 2 {
		v, _ := c.Channel(context.Background(), idHC)
		t.Fatalf("after the repeat the payee saw hub proof %d (want 2: one lock, one unlock) and balances %v: the hub forwarded an incoming lock of 200 it had already paid out", n, v.Balance)
	}
	hc.check(t, "hub-payee: paid once", h2, c)
}

// TestAttack2PayeeThatNeverAcknowledgesIsPaidExactlyOnce: the payee takes the hub's lock,
// reveals, takes the hub's unlock, and never acknowledges anything (and once sends an
// Ack for a proof the hub never signed). The hub keeps re-sending what is unacknowledged;
// a repeat must not pay twice, the hub must keep forwarding, and when the payee starts
// acknowledging again every balance is what the test computes: the payer paid each
// amount to the hub, the hub each amount to the payee, nothing more.
func TestAttack2PayeeThatNeverAcknowledgesIsPaidExactlyOnce(t *testing.T) {
	tn := newTestNet(t)
	mute := &lossyTransport{lose: p2p.TypeAck}
	mute.on.Store(true)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { mute.Transport = tr; return mute }})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	payer, hub, payee := a.signer.Address(), h.signer.Address(), c.signer.Address()
	route := []common.Address{hub, payee}
	ah, hc := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 1000)

	// A forged Ack far ahead of anything the hub signed.
	if err := mute.Transport.Send(context.Background(), hub, &p2p.Ack{Channel: idHC, Nonce: 1 << 40}); err != nil {
		t.Fatal(err)
	}
	for i, amount := range []int64{250, 100} {
		inv := invoice(t, c, amount)
		if _, err := routedPay(t, a, route, amount, inv.SecretHash); err != nil {
			t.Fatalf("payment %d to a payee that never acknowledges: %v", i, err)
		}
		ah.pay(payer, hub, amount)
		hc.pay(hub, payee, amount)
		ah.eventually(t, "payer-hub", a, h)
		hc.eventually(t, "hub-payee, unacknowledged", h, c)
	}
	lc := h.channel(idHC)
	lc.mu.Lock()
	acked, latest := lc.acked, lc.st.Nonce(lc.us)
	lc.mu.Unlock()
	if acked != 0 || latest != 4 {
		t.Fatalf("hub counts acked %d of latest %d: the forged Ack or a missing one was taken as delivery", acked, latest)
	}
	// Re-sends of the unacknowledged proofs (as on every Sync or reconnect) change nothing.
	h.resendLockMsgs(lc)
	h.resendLockMsgs(lc)
	time.Sleep(300 * time.Millisecond)
	hc.check(t, "hub-payee after re-sends", h, c)

	// The payee acknowledges again: a third payment, and the books still hold.
	mute.on.Store(false)
	inv := invoice(t, c, 50)
	if _, err := routedPay(t, a, route, 50, inv.SecretHash); err != nil {
		t.Fatalf("payment after the payee acknowledges again: %v", err)
	}
	ah.pay(payer, hub, 50)
	hc.pay(hub, payee, 50)
	ah.eventually(t, "payer-hub at the end", a, h)
	hc.eventually(t, "hub-payee at the end", h, c)
	waitFor(t, "the hub sees everything acknowledged", func() bool {
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return lc.acked == lc.st.Nonce(lc.us)
	})
}

// TestAttack2HubDoesNotForwardALockExpiringFarBeyondAnyRoute: the payer locks 300 to the
// hub with an expiration a year away (an honest initiator sets at most
// margin x (MaxHops + 1) ahead, 90 minutes at the default margin), for its accomplice,
// the payee, which holds the lock without revealing or refusing. Forwarded, the hub's
// outgoing capacity would be frozen for a year, and the hold counted as griefing only at
// expiry. The hub must refuse it (the payer cancels) and forward nothing.
func TestAttack2HubDoesNotForwardALockExpiringFarBeyondAnyRoute(t *testing.T) {
	x := newThreeNodes(t)
	var hash [32]byte
	rand.Read(hash[:])
	expectInvoice(t, x.c, hash, big.NewInt(300)) // the accomplice: holds whatever comes
	now, err := x.a.chainNow(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lock := channel.Lock{Amount: big.NewInt(300), Expiration: now + 365*24*3600, SecretHash: hash}
	msg := &p2p.LockedTransfer{Lock: lock, Target: x.payee, Amount: big.NewInt(300), Hops: []common.Address{x.payee}}
	if _, err := x.a.sendLockUpdate(x.a.channel(x.idAH), channel.AddLock(lock), now, msg, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if n := partnerSeesNonce(x.c, x.idHC); n != 0 {
		lc := x.h.channel(x.idHC)
		lc.mu.Lock()
		out, _ := lc.st.PendingLock(lc.us, hash)
		lc.mu.Unlock()
		t.Fatalf("the hub forwarded a lock expiring %d s from now (its outgoing lock expires at +%d s): its capacity to the payee is frozen that long (longest honest route: %d s)",
			lock.Expiration-now, out.Expiration-now, mediate.DefaultRevealMargin*(mediate.MaxHops+1))
	}
	x.ah.eventually(t, "payer-hub: the far lock refused and cancelled", x.a, x.h)
	x.hc.check(t, "hub-payee: nothing forwarded", x.h, x.c)
}
