package node

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/p2p"
)

// Endorsed cancels (ADR 0032) between real nodes (embedded chain, libp2p, leveldb): a
// payee refuses the hub's lock, the hub cancels it, and the payee cheats afterwards with
// the hub's older proof that still carries the lock.

// lockTap records the LockedTransfers a node sends: the proofs its partner holds.
type lockTap struct {
	Transport
	mu     sync.Mutex
	locked []p2p.LockedTransfer
}

func (l *lockTap) Send(ctx context.Context, to common.Address, msg p2p.Message) error {
	if m, ok := msg.(*p2p.LockedTransfer); ok {
		l.mu.Lock()
		l.locked = append(l.locked, *m)
		l.mu.Unlock()
	}
	return l.Transport.Send(ctx, to, msg)
}

func (l *lockTap) last(t *testing.T) p2p.LockedTransfer {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.locked) == 0 {
		t.Fatal("no LockedTransfer sent")
	}
	return l.locked[len(l.locked)-1]
}

// endorseFilter drops the CancelEndorsements its node sends while drop is set (a
// receiver that withholds them); the test sends its own through the inner transport.
type endorseFilter struct {
	Transport
	drop    atomic.Bool
	dropped atomic.Int32
}

func (f *endorseFilter) Send(ctx context.Context, to common.Address, msg p2p.Message) error {
	if _, ok := msg.(*p2p.CancelEndorsement); ok && f.drop.Load() {
		f.dropped.Add(1)
		return nil
	}
	return f.Transport.Send(ctx, to, msg)
}

// refusedHub is payer -> hub -> payee, the hub's transport tapped and the payee's filtered.
type refusedHub struct {
	tn                *testNet
	a, h, c           *Node
	idAH, idHC        channel.ID
	tap               *lockTap
	filter            *endorseFilter
	reader            *contracts.Client
	payer, hub, payee common.Address
	hDir              string
}

func newRefusedHub(t *testing.T) *refusedHub {
	tn := newTestNet(t)
	x := &refusedHub{tn: tn, tap: &lockTap{}, filter: &endorseFilter{}, hDir: t.TempDir()}
	x.a = tn.startNode(1, nodeOpts{})
	x.h = tn.startNode(2, nodeOpts{dir: x.hDir, wrap: func(tr Transport) Transport { x.tap.Transport = tr; return x.tap }})
	x.c = tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { x.filter.Transport = tr; return x.filter }})
	x.idAH = openChannel(t, x.a, x.h, big.NewInt(1000), nil, time.Hour)
	x.idHC = openChannel(t, x.h, x.c, big.NewInt(1000), nil, time.Hour)
	x.payer, x.hub, x.payee = x.a.signer.Address(), x.h.signer.Address(), x.c.signer.Address()
	x.reader = chainReader(t, tn)
	return x
}

// cheater is a contracts client with the payee's key: the payee acting on chain by hand.
func (x *refusedHub) cheater(t *testing.T) *contracts.Client {
	t.Helper()
	c, err := contracts.New(context.Background(), x.tn.chain.Client(), x.tn.chain.Contract(), x.tn.chain.Accounts()[3].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// refusedLock has the payer pay the payee through the hub on a hash the payee has no
// invoice for: the payee refuses. It returns the secret (which the payee "learns" later)
// and the hub's proof carrying the lock, which the payee keeps.
func (x *refusedHub) refusedLock(t *testing.T, ctx context.Context, amount int64) ([32]byte, p2p.LockedTransfer, error) {
	t.Helper()
	var secret [32]byte
	rand.Read(secret[:])
	var id [16]byte
	rand.Read(id[:])
	_, err := x.a.PayRouted(ctx, RoutedPayRequest{Hops: []common.Address{x.hub, x.payee}, Amount: big.NewInt(amount), SecretHash: channel.SecretHash(secret), PaymentID: id})
	return secret, x.tap.last(t), err
}

func (x *refusedHub) hubPending(n *Node, id channel.ID, hash [32]byte) bool {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	_, ok := lc.st.PendingLock(lc.us.Other(), hash)
	return ok
}

// TestEndorsedCancelDefeatsTheRefusersOlderProof (ADR 0032): the payee refuses the
// hub's lock; the hub cancels it, gets the payee's endorsement of the cancel proof, and
// only then refuses upstream (the payer's lock is cancelled). The payee then closes the
// channel on chain with the hub's older proof that carries the lock and registers the
// secret. The hub's watcher puts the endorsed cancel proof on chain (updateProofFor);
// after settle the payee's unlock finds nothing held: the hub lost nothing, to the wei.
// On the code before ADR 0032 the chain keeps the older proof and the payee's unlock
// takes the lock from the hub, whose upstream lock is gone.
func TestEndorsedCancelDefeatsTheRefusersOlderProof(t *testing.T) {
	x := newRefusedHub(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const amount = 300
	secret, sent, err := x.refusedLock(t, ctx, amount)
	older := sent.Proof
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonUnknownInvoice || refused.FailedNode != x.payee {
		t.Fatalf("payment to a payee without the invoice: %v; want its refusal", err)
	}
	hash := channel.SecretHash(secret)
	if older.Locked == nil || older.Locked.Int64() != amount || older.LocksRoot == ([32]byte{}) {
		t.Fatalf("the payee's older proof carries no lock: %+v", older.BalanceProof)
	}
	// The hub holds the payee's endorsement of the cancel proof, stored.
	cancelNonce := older.Nonce + 1
	if got := x.h.med.ref.end.endorsedNonce(x.idHC); got != cancelNonce {
		t.Fatalf("hub's endorsed nonce %d, want the cancel's %d", got, cancelNonce)
	}
	ah, hc := newModel(x.idAH, x.a, x.h, 1000), newModel(x.idHC, x.h, x.c, 1000)
	ah.eventually(t, "payer-hub: the lock cancelled", x.a, x.h)
	hc.eventually(t, "hub-payee: the lock cancelled", x.h, x.c)

	// The payee cheats: it stops its node, closes with the older proof, registers the secret.
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	cheat := x.cheater(t)
	if _, err := cheat.Close(ctx, x.idHC, &older); err != nil {
		t.Fatalf("cheater's close with the older proof: %v", err)
	}
	if _, err := cheat.RegisterSecret(ctx, secret); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub puts its endorsed cancel proof on chain", func() bool {
		v, err := x.reader.Channel(context.Background(), x.idHC)
		return err == nil && v.NonceA == cancelNonce // the hub opened hub-payee: it is A
	})
	v, err := x.reader.Channel(ctx, x.idHC)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, x.tn, x.reader, v.SettleAfter+1)
	waitFor(t, "the hub settles", func() bool { return channelStatus(x.h, x.idHC) == channel.StatusSettled })
	if sent.Lock.SecretHash != hash {
		t.Fatal("tapped another lock")
	}
	if _, err := cheat.Unlock(ctx, x.idHC, x.hub, []channel.Lock{sent.Lock}); err == nil {
		t.Fatal("the payee unlocked the cancelled lock after settle")
	}
	got := payouts(t, x.reader, x.idHC, x.hub, x.payee)
	if got[x.hub].Int64() != 1000 || got[x.payee].Sign() != 0 {
		t.Fatalf("payouts: hub %s (want 1000, its whole deposit), payee %s (want 0)", got[x.hub], got[x.payee])
	}
	// And the payer-hub channel is untouched: the payer's lock was cancelled.
	ah.eventually(t, "payer-hub after all", x.a, x.h)
}

// TestEndorsedCancelGoesOnChainWhenTheHubCloses (ADR 0032): after a refused, cancelled
// and endorsed lock the hub closes the channel itself. The chain then holds no proof of
// the hub's, so the payee could submit the older one (updateProof) late in the challenge
// period; the hub's watcher submits its endorsed cancel proof right after its close, and
// the payee's updateProof with the older proof is refused (StaleNonce). The payee's
// later updateProof calls with the cancel proof or newer ones would still count.
func TestEndorsedCancelGoesOnChainWhenTheHubCloses(t *testing.T) {
	x := newRefusedHub(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	secret, sent, err := x.refusedLock(t, ctx, 120)
	if !errors.Is(err, ErrRouteRefused) {
		t.Fatalf("refused payment: %v", err)
	}
	cancelNonce := sent.Proof.Nonce + 1
	waitFor(t, "the hub holds the endorsement", func() bool { return x.h.med.ref.end.endorsedNonce(x.idHC) == cancelNonce })
	// The payee's node stops first: its own watcher would otherwise put the hub's latest
	// proof on chain for it (defendClose), which is not what is tested here.
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := x.h.CloseChannel(ctx, x.idHC, true); err != nil {
		t.Fatalf("hub's unilateral close: %v", err)
	}
	waitFor(t, "the hub's endorsed cancel proof on chain after its own close", func() bool {
		v, err := x.reader.Channel(context.Background(), x.idHC)
		return err == nil && v.Status == channel.StatusClosing && v.NonceA == cancelNonce
	})
	cheat := x.cheater(t)
	if _, err := cheat.RegisterSecret(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if _, err := cheat.UpdateProof(ctx, sent.Proof); err == nil {
		t.Fatal("the payee's updateProof with the older proof was accepted")
	}
	v, err := x.reader.Channel(ctx, x.idHC)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, x.tn, x.reader, v.SettleAfter+1)
	waitFor(t, "the hub settles", func() bool { return channelStatus(x.h, x.idHC) == channel.StatusSettled })
	if _, err := cheat.Unlock(ctx, x.idHC, x.hub, []channel.Lock{sent.Lock}); err == nil {
		t.Fatal("the payee unlocked the cancelled lock after settle")
	}
	got := payouts(t, x.reader, x.idHC, x.hub, x.payee)
	if got[x.hub].Int64() != 1000 || got[x.payee].Sign() != 0 {
		t.Fatalf("payouts: hub %s (want 1000), payee %s (want 0)", got[x.hub], got[x.payee])
	}
}

// TestEndorsedCancelSurvivesARestart: the hub stops once it holds the payee's
// endorsement; the payee closes with the older proof while the hub is down. The
// restarted hub reloads the endorsement from its store and defends with it.
func TestEndorsedCancelSurvivesARestart(t *testing.T) {
	x := newRefusedHub(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	secret, sent, err := x.refusedLock(t, ctx, 75)
	if !errors.Is(err, ErrRouteRefused) {
		t.Fatalf("refused payment: %v", err)
	}
	cancelNonce := sent.Proof.Nonce + 1
	if err := x.h.Close(); err != nil {
		t.Fatal(err)
	}
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	cheat := x.cheater(t)
	if _, err := cheat.Close(ctx, x.idHC, &sent.Proof); err != nil {
		t.Fatalf("cheater's close with the older proof: %v", err)
	}
	if _, err := cheat.RegisterSecret(ctx, secret); err != nil {
		t.Fatal(err)
	}
	x.h = x.tn.startNode(2, nodeOpts{dir: x.hDir})
	if got := x.h.med.ref.end.endorsedNonce(x.idHC); got != cancelNonce {
		t.Fatalf("restarted hub's endorsed nonce %d, want %d", got, cancelNonce)
	}
	waitFor(t, "the restarted hub puts its endorsed cancel proof on chain", func() bool {
		v, err := x.reader.Channel(context.Background(), x.idHC)
		return err == nil && v.NonceA == cancelNonce
	})
}

func TestEndorsedRecordRoundTrip(t *testing.T) {
	p := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: channel.ID{1, 2}, Nonce: 1<<40 + 3, Transferred: big.NewInt(77),
		Locked: big.NewInt(5), LocksRoot: [32]byte{9}}, Sig: channel.Signature{4, 64: 27}}
	locks := []channel.Lock{{Amount: big.NewInt(2), Expiration: 99, SecretHash: [32]byte{1}}, {Amount: big.NewInt(3), Expiration: 100, SecretHash: [32]byte{2}}}
	for _, in := range []endorsedProof{
		{proof: p, sig: channel.Signature{7, 64: 28}, locks: locks, locksN: true},
		{proof: p, sig: channel.Signature{8}},
	} {
		b := encodeEndorsed(in)
		out, err := decodeEndorsed(b)
		if err != nil || !sameProof(out.proof, in.proof) || out.sig != in.sig || out.locksN != in.locksN || len(out.locks) != len(in.locks) {
			t.Fatalf("round trip: %+v %v, want %+v", out, err, in)
		}
		for i := range in.locks {
			if out.locks[i].Amount.Cmp(in.locks[i].Amount) != 0 || out.locks[i].Expiration != in.locks[i].Expiration || out.locks[i].SecretHash != in.locks[i].SecretHash {
				t.Fatalf("lock %d: %+v", i, out.locks[i])
			}
		}
		for cut := 1; cut < len(b); cut++ {
			if _, err := decodeEndorsed(b[:len(b)-cut]); err == nil {
				t.Fatalf("record cut by %d decoded", cut)
			}
		}
	}
	l, nonce, ok := decodeCancelWait(encodeCancelWait(locks[1], 12))
	if !ok || nonce != 12 || l.Amount.Int64() != 3 || l.Expiration != 100 || l.SecretHash != locks[1].SecretHash {
		t.Fatalf("cancel wait record: %+v %d %v", l, nonce, ok)
	}
}

// TestUnlockWithTheEndorsedProofsLockList (ADR 0032 with ADR 0027): the hub's cancel
// proof still carries another lock L1 (held by the payee), which then expires, so the
// hub's latest proof has no lock. The payee cheats with the older proof (L1 and the
// refused lock); the hub defends with its endorsed cancel proof, whose list is [L1]: after
// settle the hub unlocks that list (its latest list is empty) and L1 comes back to it.
func TestUnlockWithTheEndorsedProofsLockList(t *testing.T) {
	x := newRefusedHub(t)
	var s1 [32]byte
	rand.Read(s1[:])
	h1 := channel.SecretHash(s1)
	expectInvoice(t, x.c, h1, big.NewInt(40))                      // the payee holds L1: it has no secret to reveal
	go routedPay(t, x.a, []common.Address{x.hub, x.payee}, 40, h1) //nolint:errcheck // L1 expires
	waitFor(t, "the payee holds L1", func() bool { return x.hubPending(x.c, x.idHC, h1) })
	l1 := x.tap.last(t).Lock

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	secret, sent, err := x.refusedLock(t, ctx, 60)
	if !errors.Is(err, ErrRouteRefused) {
		t.Fatalf("refused payment: %v", err)
	}
	cancelNonce := sent.Proof.Nonce + 1
	if got := x.h.med.ref.end.endorsedNonce(x.idHC); got != cancelNonce {
		t.Fatalf("endorsed nonce %d, want %d", got, cancelNonce)
	}
	if locks, ok := x.h.endorsedLocks(x.idHC); !ok || len(locks) != 1 || locks[0].SecretHash != h1 {
		t.Fatalf("endorsed proof's lock list %+v (%v), want [L1]", locks, ok)
	}
	// L1 expires: the hub's latest proof carries no lock.
	advanceTo(t, x.tn, x.reader, l1.Expiration+1)
	waitFor(t, "the hub expires L1", func() bool {
		lc := x.h.channel(x.idHC)
		lc.mu.Lock()
		defer lc.mu.Unlock()
		return len(lc.st.Locks(lc.us)) == 0 && lc.acked >= lc.st.Nonce(lc.us)
	})
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	ctx = context.Background()
	cheat := x.cheater(t)
	if _, err := cheat.Close(ctx, x.idHC, &sent.Proof); err != nil {
		t.Fatalf("cheater's close with the older proof: %v", err)
	}
	cheat.RegisterSecret(ctx, secret) //nolint:errcheck // too late to count either way
	waitFor(t, "the hub's endorsed cancel proof on chain", func() bool {
		v, err := x.reader.Channel(context.Background(), x.idHC)
		return err == nil && v.NonceA == cancelNonce
	})
	v, err := x.reader.Channel(ctx, x.idHC)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, x.tn, x.reader, v.SettleAfter+1)
	waitFor(t, "the hub unlocks its held lock L1 after settle", func() bool {
		recv, _, err := x.reader.PendingUnlock(context.Background(), x.idHC, x.hub)
		return channelStatus(x.h, x.idHC) == channel.StatusSettled && err == nil && recv == (common.Address{})
	})
	got := payouts(t, x.reader, x.idHC, x.hub, x.payee)
	if got[x.hub].Int64() != 1000 || got[x.payee].Sign() != 0 {
		t.Fatalf("payouts: hub %s (want 1000), payee %s (want 0)", got[x.hub], got[x.payee])
	}
}
