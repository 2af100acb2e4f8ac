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

// Sixth attacker pass (ADR 0039 resends, ADR 0041): a partner that never acknowledges
// our lock proofs.
//
//	go test ./node -run 'TestAttack6' -v

// ackDropper drops the Acks its node sends while drop is set (a partner that takes our
// proofs and never acknowledges them); the test sends raw messages through the inner
// transport.
type ackDropper struct {
	Transport
	drop    atomic.Bool
	dropped atomic.Int32
}

func (f *ackDropper) Send(ctx context.Context, to common.Address, msg p2p.Message) error {
	if _, ok := msg.(*p2p.Ack); ok && f.drop.Load() {
		f.dropped.Add(1)
		return nil
	}
	return f.Transport.Send(ctx, to, msg)
}

// lockSendCounter counts the lock proofs (LockedTransfer, Unlock, LockExpired) its node
// sends to one peer (to, set once known).
type lockSendCounter struct {
	sendCounter
	to atomic.Pointer[common.Address]
}

func newLockSendCounter() *lockSendCounter {
	l := &lockSendCounter{}
	l.match = func(to common.Address, msg p2p.Message) bool {
		switch msg.(type) {
		case *p2p.LockedTransfer, *p2p.Unlock, *p2p.LockExpired:
			p := l.to.Load()
			return p != nil && *p == to
		}
		return false
	}
	return l
}

// unackedLockProofs is how many lock proofs of n's on id the partner has not acknowledged
// (the messages n keeps in memory, and on disk, to send again).
func unackedLockProofs(n *Node, id channel.ID) int {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	k := 0
	for _, m := range lc.lockMsgs {
		if m.nonce > lc.acked {
			k++
		}
	}
	return k
}

// ackFreeHub is payer -> hub -> payee C, where C drops every Ack it sends.
type ackFreeHub struct {
	tn         *testNet
	a, h, c    *Node
	idAH, idHC channel.ID
	counter    *lockSendCounter
	dropper    *ackDropper
	hub, payee common.Address
}

func newAckFreeHub(t *testing.T, hub CheckpointConfig) *ackFreeHub {
	tn := newTestNet(t)
	x := &ackFreeHub{tn: tn, counter: newLockSendCounter(), dropper: &ackDropper{}}
	x.a = tn.startNode(1, nodeOpts{})
	x.h = tn.startNode(2, nodeOpts{checkpoints: hub, wrap: func(tr Transport) Transport { x.counter.Transport = tr; return x.counter }})
	x.c = tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { x.dropper.Transport = tr; return x.dropper }})
	x.idAH = openChannel(t, x.a, x.h, big.NewInt(1000), nil, time.Hour)
	x.idHC = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.hub, x.payee = x.h.signer.Address(), x.c.signer.Address()
	x.counter.to.Store(&x.payee)
	return x
}

func (x *ackFreeHub) pay(t *testing.T, amount int64) (RoutedPayment, [32]byte, error) {
	t.Helper()
	inv := invoice(t, x.c, amount)
	res, err := routedPay(t, x.a, []common.Address{x.hub, x.payee}, amount, inv.SecretHash)
	return res, inv.SecretHash, err
}

// TestAttack6PartnerThatNeverAcksGetsABoundedBacklog: the payee C takes every lock proof
// of the hub's, reveals its secrets (so payments complete) and never acknowledges one.
// The hub keeps each unacknowledged proof's message, in memory and on disk, to send it
// again; nothing bounded them, so a partner could grow them without end at the rate
// payments reach it. With MaxUnacked 6 (three payments of two proofs), the fourth payment
// must be refused at the hub as a capacity refusal (the payer's lock removed, nothing of
// the hub's left locked), the backlog must stay at 6, and once C acknowledges again (the
// hub's periodic resend reaches it) payments flow. Balances match a model to the wei.
// Fails on the old code: the fourth payment and every later one go through, the backlog
// grows by two a payment.
func TestAttack6PartnerThatNeverAcksGetsABoundedBacklog(t *testing.T) {
	x := newAckFreeHub(t, CheckpointConfig{MaxUnacked: 6})
	x.dropper.drop.Store(true)
	payer := x.a.signer.Address()
	mAH, mHC := newModel(x.idAH, x.a, x.h, 1000), newModel(x.idHC, x.h, x.c, 1000)
	for range 3 {
		if res, _, err := x.pay(t, 10); err != nil || !res.Unlocked {
			t.Fatalf("payment under the backlog bound: %+v %v", res, err)
		}
		mAH.pay(payer, x.hub, 10)
		mHC.pay(x.hub, x.payee, 10)
	}
	waitFor(t, "the hub unlocked its three locks to C", func() bool { return unackedLockProofs(x.h, x.idHC) == 6 })
	for i := range 5 {
		res, hash, err := x.pay(t, 10)
		if err == nil {
			t.Fatalf("payment %d went through to a partner that acknowledged none of %d lock proofs: %+v (backlog %d)",
				i+4, 6+2*i, res, unackedLockProofs(x.h, x.idHC))
		}
		var refused *RouteRefusedError
		if !errors.As(err, &refused) || refused.Reason != mediate.ReasonCapacity {
			t.Fatalf("payment past the backlog bound: %v; want the hub's capacity refusal", err)
		}
		waitFor(t, "the payer's lock to the hub is removed", func() bool {
			return !incomingPending(x.h, x.idAH, hash) && !outgoingPending(x.a, x.idAH, hash)
		})
	}
	if got := unackedLockProofs(x.h, x.idHC); got != 6 {
		t.Fatalf("hub keeps %d unacknowledged lock proofs for C, want 6", got)
	}
	mAH.eventually(t, "payer-hub while capped", x.a, x.h)

	// C acknowledges again: the hub's resend (ADR 0039) brings its Ack, the backlog clears.
	x.dropper.drop.Store(false)
	deadline := time.Now().Add(45 * time.Second) // the resend waits lockResendAfter
	for unackedLockProofs(x.h, x.idHC) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the hub's backlog to C did not clear once C acknowledged: %d", unackedLockProofs(x.h, x.idHC))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if res, _, err := x.pay(t, 10); err != nil || !res.Unlocked {
		t.Fatalf("payment once C acknowledges: %+v %v", res, err)
	}
	mAH.pay(payer, x.hub, 10)
	mHC.pay(x.hub, x.payee, 10)
	mAH.eventually(t, "payer-hub", x.a, x.h)
	mHC.eventually(t, "hub-C", x.h, x.c)
}

// TestAttack6SyncFloodDoesNotMultiplyLockResends: C holds ten lock proofs of the hub's it
// never acknowledged, then sends 50 Syncs over two seconds claiming it holds none of the
// hub's proofs.
// Each such Sync made the hub answer with its own Sync, resending every unacknowledged
// lock proof first: 50 small messages bought 500 lock proofs (the amplification grows
// with the backlog). The hub must resend its lock proofs at most once a second per
// channel in answer to Syncs (and still resend them). Fails on the old code: 500 lock
// proofs sent.
func TestAttack6SyncFloodDoesNotMultiplyLockResends(t *testing.T) {
	x := newAckFreeHub(t, CheckpointConfig{})
	mustPay(t, x.h, x.idHC, 1) // a direct proof C acknowledged: the hub answers an older Received
	x.dropper.drop.Store(true)
	for range 5 {
		if res, _, err := x.pay(t, 10); err != nil || !res.Unlocked {
			t.Fatalf("payment: %+v %v", res, err)
		}
	}
	waitFor(t, "ten lock proofs unacknowledged", func() bool { return unackedLockProofs(x.h, x.idHC) == 10 })
	before := x.counter.sent.Load()
	start := time.Now()
	sync := &p2p.Sync{Channel: x.idHC, Deposits: [2]*big.Int{big.NewInt(1000), big.NewInt(0)}, Withdrawn: [2]*big.Int{big.NewInt(0), big.NewInt(0)}}
	for range 50 { // over about two seconds: the answers of at least one are resends
		if err := x.dropper.Transport.Send(context.Background(), x.hub, sync); err != nil {
			t.Fatal(err)
		}
		time.Sleep(40 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	resent := x.counter.sent.Load() - before
	if resent == 0 {
		t.Fatal("the hub resent nothing to a partner that says it lacks its proofs")
	}
	if limit := 10 * (int64(time.Since(start)/time.Second) + 2); resent > limit {
		t.Fatalf("50 Syncs made the hub send %d lock proofs in %v; want at most %d (ten, once a second)", resent, time.Since(start), limit)
	}
}

// TestAttack6AcksOfOtherNoncesMoveNothingTheyShouldNot: C acknowledges nonces the hub
// never signed (far above its latest) and then old ones. The hub's acknowledged nonce
// must never pass its latest proof (the backlog bound subtracts it) nor go down, and
// payments keep flowing through C. Fails if an Ack of an unsigned nonce were taken as is
// (the backlog would wrap and refuse every lock) or an old one lowered it.
func TestAttack6AcksOfOtherNoncesMoveNothingTheyShouldNot(t *testing.T) {
	x := newAckFreeHub(t, CheckpointConfig{MaxUnacked: 6})
	x.dropper.drop.Store(true)
	for range 2 {
		if res, _, err := x.pay(t, 10); err != nil || !res.Unlocked {
			t.Fatalf("payment: %+v %v", res, err)
		}
	}
	latest := latestOwnProof(t, x.h, x.idHC).Nonce
	bg := context.Background()
	for _, nonce := range []uint64{latest + 1000, 1<<64 - 1, 1, latest - 1} {
		if err := x.dropper.Transport.Send(bg, x.hub, &p2p.Ack{Channel: x.idHC, Nonce: nonce}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the hub takes C's Ack", func() bool { return ackedBy(x.h, x.idHC) == latest })
	time.Sleep(200 * time.Millisecond)
	if got := ackedBy(x.h, x.idHC); got != latest {
		t.Fatalf("the hub's acknowledged nonce is %d, want its latest %d", got, latest)
	}
	for range 4 { // C's own Acks stay dropped: payments are admitted up to the bound again
		if res, _, err := x.pay(t, 10); err != nil {
			if got := unackedLockProofs(x.h, x.idHC); got > 6 {
				t.Fatalf("backlog %d past the bound", got)
			}
			var refused *RouteRefusedError
			if !errors.As(err, &refused) || refused.Reason != mediate.ReasonCapacity {
				t.Fatalf("payment after the odd Acks: %v", err)
			}
			return
		} else if !res.Unlocked {
			t.Fatalf("payment after the odd Acks: %+v", res)
		}
	}
	t.Fatal("four payments of two proofs each passed a bound of six unacknowledged proofs")
}
