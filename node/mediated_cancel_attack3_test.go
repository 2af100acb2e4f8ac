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
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/p2p"
)

// Attacks on endorsed cancels (ADR 0032) and forward records (mediated_forwarded.go) by
// peers of an honest hub that cheat together. Real nodes (embedded chain, libp2p,
// leveldb); the hub's books are compared, on chain where it matters, with what it is
// entitled to, computed here.

// lastOn is the last LockedTransfer the tap saw sent on channel id.
func (l *lockTap) lastOn(t *testing.T, id channel.ID) p2p.LockedTransfer {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.locked) - 1; i >= 0; i-- {
		if l.locked[i].Proof.Channel == id {
			return l.locked[i]
		}
	}
	t.Fatalf("no LockedTransfer sent on %s", id)
	return p2p.LockedTransfer{}
}

// keyClient is a contracts client with devchain account i's key: that node acting on
// chain by hand.
func keyClient(t *testing.T, tn *testNet, i int) *contracts.Client {
	t.Helper()
	c, err := contracts.New(context.Background(), tn.chain.Client(), tn.chain.Contract(), tn.chain.Accounts()[i].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func incomingPending(n *Node, id channel.ID, hash [32]byte) bool {
	lc := n.channel(id)
	lc.mu.Lock()
	defer lc.mu.Unlock()
	_, ok := lc.st.PendingLock(lc.us.Other(), hash)
	return ok
}

// TestAttack3SecondRefusalOnTheHashPassesAnUnendorsedCancelUpstream: payer A1 locks 300
// to the hub for B on a hash the attackers chose; B refuses, the hub cancels, and B
// withholds its endorsement of the cancel. ADR 0032: the hub keeps A1's lock. Then A2,
// the attackers' second channel into the hub, locks 100 on the SAME hash for C, which
// refuses and endorses the hub's cancel at once. The hub passes C's refusal upstream to
// every incoming lock on the hash, A1's included, although the cancel on B's channel is
// still unendorsed. A1 cancels; B closes the hub's channel with the older proof carrying
// the 300 lock, registers the secret and unlocks after settle. The hub's entitlement:
// whatever B takes on chain for that lock, A1 pays it (the hub forwarded A1's lock): its
// total over B's channel and A1's is its 1000 deposit, to the wei.
func TestAttack3SecondRefusalOnTheHashPassesAnUnendorsedCancelUpstream(t *testing.T) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	tap := &lockTap{}
	filter := &endorseFilter{}
	filter.drop.Store(true)
	a1 := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { tap.Transport = tr; return tap }})
	b := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { filter.Transport = tr; return filter }})
	a2 := tn.startNode(4, nodeOpts{})
	c := tn.startNode(5, nodeOpts{})
	idA1H := openChannel(t, a1, h, big.NewInt(1000), nil, time.Hour)
	idA2H := openChannel(t, a2, h, big.NewInt(1000), nil, time.Hour)
	idHB := openChannel(t, h, b, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, refuser, other := h.signer.Address(), b.signer.Address(), c.signer.Address()

	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	const amount = 300
	first := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
		defer cancel()
		var id [16]byte
		rand.Read(id[:])
		_, err := a1.PayRouted(ctx, RoutedPayRequest{Hops: []common.Address{hub, refuser}, Amount: big.NewInt(amount), SecretHash: hash, PaymentID: id})
		first <- err
	}()
	waitFor(t, "the hub cancelled its lock to B and waits for B's endorsement", func() bool {
		unendorsed, _ := h.refusalUnendorsed(sentKey{idHB, hash})
		return unendorsed && !incomingPending(b, idHB, hash)
	})
	older := tap.lastOn(t, idHB)
	if older.Proof.Locked == nil || older.Proof.Locked.Int64() != amount {
		t.Fatalf("setup: B's older proof carries %v locked, want %d", older.Proof.Locked, amount)
	}

	// The second lock on the hash, through C, which refuses and endorses.
	if _, err := routedPay(t, a2, []common.Address{hub, other}, 100, hash); !errors.Is(err, ErrRouteRefused) {
		t.Fatalf("A2's payment through C: %v; want C's refusal", err)
	}
	time.Sleep(500 * time.Millisecond) // any refusal of A1's lock travels meanwhile
	kept := incomingPending(h, idA1H, hash)
	if err := <-first; kept && !errors.Is(err, ErrLockPending) {
		t.Fatalf("A1's payment: %v, want ErrLockPending (its lock kept)", err)
	}
	if unendorsed, _ := h.refusalUnendorsed(sentKey{idHB, hash}); !unendorsed {
		t.Fatal("setup: the cancel on B's channel counts as endorsed")
	}
	if !kept {
		t.Logf("the hub gave up A1's lock on %x though its cancel to B is unendorsed (C's refusal on the same hash was passed to every incoming lock)", hash[:4])
	}

	refuserCheats(t, cheatCase{tn: tn, reader: reader, a: a1, h: h, b: b, bKey: 3, idAH: idA1H, idHB: idHB, older: older, secret: secret, kept: kept})
	newModel(idA2H, a2, h, 1000).eventually(t, "A2-hub: A2's lock cancelled", a2, h)
	newModel(idHC, h, c, 1000).eventually(t, "hub-C: cancelled", h, c)
}

// cheatCase is a hub that forwarded a lock from a to b, which b refused; b holds older,
// the hub's proof that carries the lock, and knows secret. kept: the hub still holds a's
// lock.
type cheatCase struct {
	tn      *testNet
	reader  *contracts.Client
	a, h, b *Node
	bKey    int
	idAH    channel.ID
	idHB    channel.ID
	older   p2p.LockedTransfer
	secret  [32]byte
	kept    bool
}

// refuserCheats: b stops its node, closes the hub's channel with the older proof,
// registers the secret and unlocks after settle. The hub is entitled to lose nothing:
// whatever b takes on chain for the lock, a pays it off chain (a's node is honest and
// unlocks once the hub reveals). Checked to the wei: the hub's total over both channels
// is its 1000 deposit with b.
func refuserCheats(t *testing.T, x cheatCase) {
	t.Helper()
	hub, refuser, payer := x.h.signer.Address(), x.b.signer.Address(), x.a.signer.Address()
	amount := x.older.Lock.Amount.Int64()
	if err := x.b.Close(); err != nil {
		t.Fatal(err)
	}
	cheat := keyClient(t, x.tn, x.bKey)
	bg := context.Background()
	if _, err := cheat.Close(bg, x.idHB, &x.older.Proof); err != nil {
		t.Fatalf("the refuser's close with the older proof: %v", err)
	}
	if _, err := cheat.RegisterSecret(bg, x.secret); err != nil {
		t.Fatal(err)
	}
	if x.kept {
		ah := newModel(x.idAH, x.a, x.h, 1000)
		ah.pay(payer, hub, amount)
		ah.eventually(t, "payer-hub: the payer unlocked the hub's incoming lock once the secret was public", x.a, x.h)
	} else {
		time.Sleep(2 * time.Second) // the hub has nothing left to claim upstream
	}
	v, err := x.reader.Channel(bg, x.idHB)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, x.tn, x.reader, v.SettleAfter+1)
	waitFor(t, "the hub settles the refuser's channel", func() bool { return channelStatus(x.h, x.idHB) == channel.StatusSettled })
	if _, err := cheat.Unlock(bg, x.idHB, hub, []channel.Lock{x.older.Lock}); err != nil {
		t.Logf("the refuser's unlock: %v", err)
	}
	got := payouts(t, x.reader, x.idHB, hub, refuser)
	hv, err := x.h.Channel(bg, x.idAH)
	if err != nil {
		t.Fatal(err)
	}
	fromA := hv.Balance[x.h.channel(x.idAH).us]
	if total := new(big.Int).Add(got[hub], fromA); total.Int64() != 1000 {
		t.Fatalf("hub's total %s (on chain from the refuser's channel %s + from the payer off chain %s), entitled to 1000: the refuser took %s with the older proof; the hub kept the payer's lock: %v",
			total, got[hub], fromA, got[refuser], x.kept)
	}
}

// TestAttack3RepeatWithOtherHopsRefusesTheForwardedLock: the payer and the refuser
// collude on a hash of their own. The payer locks 250 to the hub for the refuser; the
// refuser refuses, the hub cancels, the refuser withholds its endorsement, so the hub
// keeps the payer's lock (ADR 0032). The payer then re-sends its LockedTransfer (an exact
// repeat of its proof and lock) with other unsigned fields. A repeat of a forwarded lock
// is "forwarded at most once, whatever hops it names", but the hub decides it again
// before looking at its forward record:
//   - "payer as next hop": forward() finds no open channel with the next hop and refuses;
//   - "hub as target" (no hops): acceptAsTarget finds no invoice and refuses (a target's
//     refusal ignores the known-secret rule, and no outgoing lock is pending any more).
//
// The payer cancels the refused lock; the refuser closes with the older proof, registers
// the secret and unlocks after settle. The hub's entitlement: the payer pays whatever the
// refuser takes; its total is its deposit.
func TestAttack3RepeatWithOtherHopsRefusesTheForwardedLock(t *testing.T) {
	for _, asTarget := range []bool{false, true} {
		name := "payer as next hop"
		if asTarget {
			name = "hub as target"
		}
		t.Run(name, func(t *testing.T) { repeatRefusesTheForwardedLock(t, asTarget) })
	}
}

func repeatRefusesTheForwardedLock(t *testing.T, asTarget bool) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	aTap, hTap := &lockTap{}, &lockTap{}
	filter := &endorseFilter{}
	filter.drop.Store(true)
	a := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { aTap.Transport = tr; return aTap }})
	h := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { hTap.Transport = tr; return hTap }})
	b := tn.startNode(3, nodeOpts{wrap: func(tr Transport) Transport { filter.Transport = tr; return filter }})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHB := openChannel(t, h, b, big.NewInt(1000), nil, time.Hour)
	payer, hub, refuser := a.signer.Address(), h.signer.Address(), b.signer.Address()

	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		var id [16]byte
		rand.Read(id[:])
		a.PayRouted(ctx, RoutedPayRequest{Hops: []common.Address{hub, refuser}, Amount: big.NewInt(250), SecretHash: hash, PaymentID: id}) //nolint:errcheck // ends ErrLockPending or refused
	}()
	waitFor(t, "the hub cancelled its lock to the refuser and waits for the endorsement", func() bool {
		unendorsed, _ := h.refusalUnendorsed(sentKey{idHB, hash})
		return unendorsed && !incomingPending(b, idHB, hash)
	})
	older := hTap.lastOn(t, idHB)
	repeat := aTap.lastOn(t, idAH)
	repeat.Hops = []common.Address{payer}
	repeat.Target = payer
	if asTarget {
		repeat.Hops = nil
		repeat.Target = hub
	}
	if err := aTap.Transport.Send(context.Background(), hub, &repeat); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // a refusal and the payer's cancel take a few ms
	kept := incomingPending(h, idAH, hash)
	if !kept {
		t.Logf("the hub refused its payer's forwarded lock on a repeat (hops %v, target %s), its cancel to the refuser unendorsed", repeat.Hops, repeat.Target)
	}
	refuserCheats(t, cheatCase{tn: tn, reader: reader, a: a, h: h, b: b, bKey: 3, idAH: idAH, idHB: idHB, older: older, secret: secret, kept: kept})
}
