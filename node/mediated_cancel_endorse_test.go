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

// TestWithheldEndorsementKeepsTheIncomingLock (ADR 0032): the payee refuses and lets the
// hub cancel, but never sends its endorsement of the cancel. The hub does not refuse
// upstream: the payer's lock stays pending (PayRouted ends with ErrLockPending), the hub
// keeps asking, and the lock resolves as an unrefused lock would. Either way the payee
// goes, the hub loses nothing:
//   - "cheats": the payee closes with the hub's older proof and registers the secret. The
//     hub learns the secret from the chain, reveals it upstream and is unlocked by the
//     payer; the payee's on-chain unlock takes the lock from the hub. Net zero, to the wei.
//   - "silent": chain time passes the payer's lock's expiration; the payer expires it.
//
// On the code before ADR 0032 the hub refused upstream at once (the payer's lock was
// cancelled), so in "cheats" the payee's claim was the hub's loss.
func TestWithheldEndorsementKeepsTheIncomingLock(t *testing.T) {
	for _, cheats := range []bool{true, false} {
		name := "silent"
		if cheats {
			name = "cheats"
		}
		t.Run(name, func(t *testing.T) { withheldEndorsement(t, cheats) })
	}
}

func withheldEndorsement(t *testing.T, cheats bool) {
	x := newRefusedHub(t)
	x.filter.drop.Store(true)
	const amount = 250
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	secret, sent, err := x.refusedLock(t, ctx, amount)
	if !errors.Is(err, ErrLockPending) {
		t.Fatalf("routed payment whose refusal is not endorsed: %v; want ErrLockPending", err)
	}
	hash := channel.SecretHash(secret)
	if !x.hubPending(x.h, x.idAH, hash) {
		t.Fatal("the hub gave up its incoming lock without an endorsement of its cancel")
	}
	if x.hubPending(x.c, x.idHC, hash) {
		t.Fatal("the payee still holds the refused lock: the cancel did not happen")
	}
	x.h.med.ref.mu.Lock()
	refusedUp := len(x.h.med.ref.in)
	x.h.med.ref.mu.Unlock()
	if refusedUp != 0 || x.h.med.ref.end.endorsedNonce(x.idHC) != 0 {
		t.Fatalf("hub refused %d incoming locks, endorsed nonce %d; want none", refusedUp, x.h.med.ref.end.endorsedNonce(x.idHC))
	}
	if x.filter.dropped.Load() < 2 {
		t.Fatalf("the hub asked %d times for the endorsement; want it to ask again", x.filter.dropped.Load())
	}
	ah, hc := newModel(x.idAH, x.a, x.h, 1000), newModel(x.idHC, x.h, x.c, 1000)
	hc.eventually(t, "hub-payee: the lock cancelled", x.h, x.c)

	if !cheats {
		advanceTo(t, x.tn, x.reader, sent.Lock.Expiration+x.a.med.cfg.Margin()+600)
		waitFor(t, "the payer expires its lock to the hub", func() bool { return !x.hubPending(x.h, x.idAH, hash) })
		ah.eventually(t, "payer-hub: nothing moved", x.a, x.h)
		hc.eventually(t, "hub-payee: nothing moved", x.h, x.c)
		return
	}

	// The payee cheats with the older proof and the secret.
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	cheat := x.cheater(t)
	bg := context.Background()
	if _, err := cheat.Close(bg, x.idHC, &sent.Proof); err != nil {
		t.Fatalf("cheater's close with the older proof: %v", err)
	}
	if _, err := cheat.RegisterSecret(bg, secret); err != nil {
		t.Fatal(err)
	}
	// The hub learns the secret on chain and is unlocked upstream.
	ah.pay(x.payer, x.hub, amount)
	ah.eventually(t, "payer-hub: the payer unlocked the hub's incoming lock", x.a, x.h)
	v, err := x.reader.Channel(bg, x.idHC)
	if err != nil {
		t.Fatal(err)
	}
	if v.NonceA != sent.Proof.Nonce {
		t.Fatalf("on-chain nonce of the hub's proofs %d, want the older proof's %d (nothing endorsed to replace it)", v.NonceA, sent.Proof.Nonce)
	}
	advanceTo(t, x.tn, x.reader, v.SettleAfter+1)
	waitFor(t, "the hub settles", func() bool { return channelStatus(x.h, x.idHC) == channel.StatusSettled })
	if _, err := cheat.Unlock(bg, x.idHC, x.hub, []channel.Lock{sent.Lock}); err != nil {
		t.Fatalf("payee's unlock of the lock it registered: %v", err)
	}
	got := payouts(t, x.reader, x.idHC, x.hub, x.payee)
	if got[x.hub].Int64() != 1000-amount || got[x.payee].Int64() != amount {
		t.Fatalf("hub-payee payouts: hub %s (want %d), payee %s (want %d)", got[x.hub], 1000-amount, got[x.payee], amount)
	}
	hv, err := x.h.Channel(bg, x.idAH)
	if err != nil {
		t.Fatal(err)
	}
	// What the hub paid on chain it got off chain from the payer: its total is its deposit.
	if total := new(big.Int).Add(got[x.hub], hv.Balance[channel.PartyB]); total.Int64() != 1000 {
		t.Fatalf("hub's total %s (on chain %s + payer-hub %s), want 1000", total, got[x.hub], hv.Balance[channel.PartyB])
	}
}

// TestForgedEndorsementsChangeNothing (ADR 0032): while the hub waits for the payee's
// endorsement of its cancel, endorsements that are not exactly the payee's of that proof
// are refused: signed by another key, of the older proof (its own nonce, or passed off
// as the cancel's), naming another channel. None is stored, the hub still holds its
// incoming lock and keeps asking. The payee's genuine endorsement then passes the
// refusal upstream.
func TestForgedEndorsementsChangeNothing(t *testing.T) {
	x := newRefusedHub(t)
	x.filter.drop.Store(true)
	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, x.a, []common.Address{x.hub, x.payee}, 90, hash)
		done <- err
	}()
	k := sentKey{x.idHC, hash}
	waitFor(t, "the hub cancelled and waits for the endorsement", func() bool {
		unendorsed, _ := x.h.refusalUnendorsed(k)
		return unendorsed && !x.hubPending(x.c, x.idHC, hash)
	})
	older := x.tap.last(t).Proof
	lc := x.c.channel(x.idHC)
	lc.mu.Lock()
	cancelProof, _ := lc.st.Latest(lc.us.Other())
	lc.mu.Unlock()
	if cancelProof.Nonce != older.Nonce+1 {
		t.Fatalf("payee's latest proof of the hub: nonce %d, want the cancel %d", cancelProof.Nonce, older.Nonce+1)
	}
	endorse := func(keyIndex int, p channel.SignedProof) channel.Signature {
		s, err := channel.NewKeySigner(x.tn.chain.Accounts()[keyIndex].Key)
		if err != nil {
			t.Fatal(err)
		}
		d, err := x.h.domain.EndorsementDigest(p.BalanceProof)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := s.SignDigest(d)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	wrongSigner := counterValue(x.h.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(channel.ErrWrongSigner))))
	forged := []struct {
		name string
		msg  *p2p.CancelEndorsement
	}{
		{"signed by the payer's key", &p2p.CancelEndorsement{Channel: x.idHC, Nonce: cancelProof.Nonce, Sig: endorse(1, cancelProof)}},
		{"the older proof's, under its own nonce", &p2p.CancelEndorsement{Channel: x.idHC, Nonce: older.Nonce, Sig: endorse(3, older)}},
		{"the older proof's, passed off as the cancel's", &p2p.CancelEndorsement{Channel: x.idHC, Nonce: cancelProof.Nonce, Sig: endorse(3, older)}},
		{"naming the payer's channel", &p2p.CancelEndorsement{Channel: x.idAH, Nonce: cancelProof.Nonce, Sig: endorse(3, cancelProof)}},
		{"a later nonce", &p2p.CancelEndorsement{Channel: x.idHC, Nonce: cancelProof.Nonce + 1, Sig: endorse(3, cancelProof)}},
	}
	for _, f := range forged {
		if err := x.filter.Transport.Send(context.Background(), x.hub, f.msg); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Second)
	if got := x.h.med.ref.end.endorsedNonce(x.idHC); got != 0 {
		t.Fatalf("a forged endorsement was taken: endorsed nonce %d", got)
	}
	if rec, found, err := x.h.store.GetMeta(endorsedNamespace, channelKey(x.idHC)); err != nil || found {
		t.Fatalf("endorsement record stored: %x %v", rec, err)
	}
	if !x.hubPending(x.h, x.idAH, hash) {
		t.Fatal("the hub refused upstream on a forged endorsement")
	}
	// Two forgeries recover to another signer than the payee (the payer's key, the older
	// proof's digest under the cancel's nonce); the rest name nothing the hub waits on.
	if got := counterValue(x.h.metrics.rejects.WithLabelValues(rejectLabel(channel.Code(channel.ErrWrongSigner)))) - wrongSigner; got != 2 {
		t.Fatalf("wrong-signer rejects %v, want 2", got)
	}
	select {
	case err := <-done:
		t.Fatalf("PayRouted ended before the endorsement: %v", err)
	default:
	}

	// The genuine endorsement: the refusal travels on, the payer's lock is cancelled.
	if err := x.filter.Transport.Send(context.Background(), x.hub, &p2p.CancelEndorsement{Channel: x.idHC, Nonce: cancelProof.Nonce, Sig: endorse(3, cancelProof)}); err != nil {
		t.Fatal(err)
	}
	var refused *RouteRefusedError
	if err := <-done; !errors.As(err, &refused) || refused.FailedNode != x.payee {
		t.Fatalf("after the genuine endorsement: %v; want the payee's refusal", err)
	}
	if got := x.h.med.ref.end.endorsedNonce(x.idHC); got != cancelProof.Nonce {
		t.Fatalf("endorsed nonce %d, want %d", got, cancelProof.Nonce)
	}
	newModel(x.idAH, x.a, x.h, 1000).eventually(t, "payer-hub: cancelled", x.a, x.h)
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
