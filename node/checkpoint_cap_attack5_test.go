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
)

// TestAttack5PayerCannotUseAHubsCappedChannelToGriefOthers: payer -> hub -> payee C,
// where C (colluding with the payer) never endorses a checkpoint, and hub -> D, an honest
// payee. The payer drives the hub's channel to C to the tombstone cap (MaxTombstones 2).
// Its next payment to C must be refused cleanly: no proof leaves the hub for C, the
// payer's lock to the hub is removed (nothing of the hub's or the payer's stays locked),
// and payments through the same hub to D still go through: the cap is per channel, it
// neither spreads to the hub's other channels nor makes the hub sign more. Balances of
// all three channels match a model to the wei. Fails if the cap were global, if the
// refused forward left the upstream lock pending, or if the lock went out past the cap.
func TestAttack5PayerCannotUseAHubsCappedChannelToGriefOthers(t *testing.T) {
	tn := newTestNet(t)
	filter := &endorseFilter{}
	filter.drop.Store(true)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{checkpoints: CheckpointConfig{Every: 1, MaxTombstones: 2}})
	c := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { filter.Transport = tr; return filter }})
	d := tn.startNode(4, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	idHD := openChannel(t, h, d, big.NewInt(1000), nil, time.Hour)
	hub, toC, toD := h.signer.Address(), c.signer.Address(), d.signer.Address()
	mAH, mHC, mHD := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 1000), newModel(idHD, h, d, 1000)
	pay := func(to *Node, amount int64) (RoutedPayment, [32]byte, error) {
		inv := invoice(t, to, amount)
		res, err := routedPay(t, a, []common.Address{hub, to.signer.Address()}, amount, inv.SecretHash)
		return res, inv.SecretHash, err
	}
	for range 2 {
		if res, _, err := pay(c, 10); err != nil || !res.Unlocked {
			t.Fatalf("payment to C under the cap: %+v %v", res, err)
		}
		mAH.pay(a.signer.Address(), hub, 10)
		mHC.pay(hub, toC, 10)
	}
	waitFor(t, "the hub keeps two tombstones on its channel to C", func() bool { return h.tombstoneCount(idHC) == 2 })
	// C has the hub's last unlock (the hub counts its tombstone as it sends it).
	waitFor(t, "C holds the hub's latest proof", func() bool { return partnerSeesNonce(c, idHC) == latestOwnProof(t, h, idHC).Nonce })
	nonce := partnerSeesNonce(c, idHC)
	_, hash, err := pay(c, 10)
	if err == nil {
		t.Fatal("a payment to C went through past the hub's tombstone cap")
	}
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonCapacity {
		t.Fatalf("payment past the cap: %v; want the hub's capacity refusal (the payer tries another route)", err)
	}
	waitFor(t, "the payer's lock to the hub is removed", func() bool {
		return !incomingPending(h, idAH, hash) && !outgoingPending(a, idAH, hash)
	})
	if got := partnerSeesNonce(c, idHC); got != nonce {
		t.Fatalf("a proof left the hub for C past the cap: nonce %d -> %d", nonce, got)
	}
	for range 4 {
		if res, _, err := pay(d, 10); err != nil || !res.Unlocked {
			t.Fatalf("payment to D through the hub whose channel to C is capped: %+v %v", res, err)
		}
		mAH.pay(a.signer.Address(), hub, 10)
		mHD.pay(hub, toD, 10)
		// D endorses the hub's checkpoints (at most one a second): its channel is pruned
		// while the one to C stays at the cap.
		waitFor(t, "D endorses the hub's checkpoint", func() bool { return h.tombstoneCount(idHD) == 0 })
		if got := h.tombstoneCount(idHC); got != 2 {
			t.Fatalf("hub-C tombstones %d, want 2 (C endorses nothing)", got)
		}
	}
	mAH.eventually(t, "payer-hub", a, h)
	mHC.eventually(t, "hub-C", h, c)
	mHD.eventually(t, "hub-D", h, d)
}

// outgoingPending reports whether n holds a pending lock of its own on hash in id.
func outgoingPending(n *Node, id channel.ID, hash [32]byte) bool {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	_, ok := lc.st.PendingLock(lc.us, hash)
	return ok
}

// sendCounter counts the messages its node sends that match.
type sendCounter struct {
	Transport
	match func(to common.Address, msg p2p.Message) bool
	sent  atomic.Int64
}

func (c *sendCounter) Send(ctx context.Context, to common.Address, msg p2p.Message) error {
	if c.match(to, msg) {
		c.sent.Add(1)
	}
	return c.Transport.Send(ctx, to, msg)
}

// countSends counts the messages of type M its node sends, to anyone.
func countSends[M p2p.Message]() *sendCounter {
	return &sendCounter{match: func(_ common.Address, msg p2p.Message) bool { _, ok := msg.(M); return ok }}
}

// TestAttack5RepeatFloodIsEndorsedAtMostOnceASecond: the hub (here the attacker) sends
// its latest proof to the payee as a checkpoint request 200 times as fast as it can. The
// payee acknowledges repeats but signs at most one endorsement a second per channel, so
// a partner cannot make it sign at message rate; its state is unchanged. Fails without
// the rate limit (repeatDue): ~200 signatures.
func TestAttack5RepeatFloodIsEndorsedAtMostOnceASecond(t *testing.T) {
	tn := newTestNet(t)
	counter := countSends[*p2p.CancelEndorsement]()
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { counter.Transport = tr; return counter }})
	id := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	mustPay(t, h, id, 10)
	m := newModel(id, h, c, 1000)
	m.pay(h.signer.Address(), c.signer.Address(), 10)
	m.eventually(t, "after the payment", h, c)
	lc := h.channel(id)
	lc.mu.Lock()
	latest, _ := lc.st.Latest(lc.us)
	lc.mu.Unlock()
	start := time.Now()
	for range 200 {
		if err := h.transport.Send(context.Background(), c.signer.Address(), &p2p.LockExpired{Proof: latest}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the payee endorses the repeat", func() bool { return counter.sent.Load() >= 1 })
	time.Sleep(500 * time.Millisecond)
	elapsed := time.Since(start)
	if got, limit := counter.sent.Load(), int64(elapsed/time.Second)+1; got > limit {
		t.Fatalf("the payee signed %d endorsements in %v for 200 repeats; want at most %d (one a second)", got, elapsed, limit)
	}
	if got := partnerSeesNonce(c, id); got != latest.Nonce {
		t.Fatalf("the payee's view moved: nonce %d, want %d", got, latest.Nonce)
	}
	m.eventually(t, "after the flood", h, c)
}

// TestAttack5CheckpointRepeatCannotDropALock: the payer (the attacker) holds a lock of
// 100 to the payee that has not expired. It sends "checkpoint requests" (LockExpired
// naming no lock) whose proofs drop that lock: one with the next nonce, one with the
// latest nonce (not an exact repeat). The payee must refuse both: the lock stays pending,
// its view of the payer's nonce does not move, and it endorses neither (it endorses only
// an exact repeat of the payer's latest proof, which it then does). Fails if a zero-hash
// removal were applied as a no-op on a proof whose list differs, or endorsed unchecked.
func TestAttack5CheckpointRepeatCannotDropALock(t *testing.T) {
	tn := newTestNet(t)
	counter := countSends[*p2p.CancelEndorsement]()
	h := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { counter.Transport = tr; return counter }})
	id := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	payee := c.signer.Address()
	hash := silentHash(t, c, 100)
	go routedPay(t, h, []common.Address{payee}, 100, hash) //nolint:errcheck // never revealed
	waitFor(t, "the payee holds the lock", func() bool { return incomingPending(c, id, hash) })
	lc := h.channel(id)
	lc.mu.Lock()
	latest, _ := lc.st.Latest(lc.us)
	lc.mu.Unlock()
	resign := func(bp channel.BalanceProof) channel.SignedProof {
		d, err := h.domain.BalanceProofDigest(bp)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := h.signer.SignDigest(d)
		if err != nil {
			t.Fatal(err)
		}
		return channel.SignedProof{BalanceProof: bp, Sig: sig}
	}
	next := latest.BalanceProof
	next.Nonce, next.Locked, next.LocksRoot = latest.Nonce+1, big.NewInt(0), [32]byte{}
	same := next
	same.Nonce = latest.Nonce
	bg := context.Background()
	for _, bp := range []channel.BalanceProof{next, same} {
		if err := h.transport.Send(bg, payee, &p2p.LockExpired{Proof: resign(bp)}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Second)
	if !incomingPending(c, id, hash) || partnerSeesNonce(c, id) != latest.Nonce || counter.sent.Load() != 0 {
		t.Fatalf("after the forged requests: lock pending %v, payee sees nonce %d (want %d), %d endorsements signed (want 0)",
			incomingPending(c, id, hash), partnerSeesNonce(c, id), latest.Nonce, counter.sent.Load())
	}
	if err := h.transport.Send(bg, payee, &p2p.LockExpired{Proof: latest}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the payee endorses the exact repeat", func() bool { return counter.sent.Load() == 1 })
	if !incomingPending(c, id, hash) {
		t.Fatal("the exact repeat removed the payee's lock")
	}
}
