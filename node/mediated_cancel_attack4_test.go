package node

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
)

// TestAttack4WithheldEndorsementWithASilentPayerIsClaimedOnChain: the payer and the payee
// collude (they share the secret). The payee refuses the hub's lock, lets the hub cancel
// it and withholds its endorsement, so the hub keeps the payer's lock (ADR 0032). The
// payer then goes silent for good: it will never unlock. The payee closes the hub's
// channel with the older proof carrying the lock and registers the secret on chain —
// "early" right away, "last moment" a few seconds before the hub's outgoing lock
// expires. The payee's unlock after settle takes the lock from the hub; the hub is
// entitled to the payer's lock, which it must claim on chain (close the payer's channel,
// the secret registered by its expiration, unlock after settle). To the wei: the hub's
// payouts over both channels add up to its 1000 deposit; the payer gets 1000-250.
func TestAttack4WithheldEndorsementWithASilentPayerIsClaimedOnChain(t *testing.T) {
	for _, late := range []bool{false, true} {
		name := "early"
		if late {
			name = "last moment"
		}
		t.Run(name, func(t *testing.T) { silentPayerClaimedOnChain(t, late) })
	}
}

func silentPayerClaimedOnChain(t *testing.T, late bool) {
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
	if !x.hubPending(x.h, x.idAH, hash) || x.hubPending(x.c, x.idHC, hash) {
		t.Fatal("setup: want the payer's lock kept by the hub and the hub's lock to the payee cancelled")
	}
	lcH := x.h.channel(x.idAH)
	lcH.mu.Lock()
	in, _ := lcH.st.PendingLock(lcH.us.Other(), hash)
	lcH.mu.Unlock()
	if err := x.a.Close(); err != nil { // the payer goes silent
		t.Fatal(err)
	}
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	cheat := x.cheater(t)
	if late {
		advanceTo(t, x.tn, x.reader, sent.Lock.Expiration-20)
	}
	if _, err := cheat.Close(bg, x.idHC, &sent.Proof); err != nil {
		t.Fatalf("payee's close with the older proof: %v", err)
	}
	if _, err := cheat.RegisterSecret(bg, secret); err != nil {
		t.Fatal(err)
	}
	at, err := x.reader.SecretRegisteredAt(bg, hash)
	if err != nil || !mediate.RegisteredInTime(at, sent.Lock.Expiration) {
		t.Fatalf("setup: secret registered at %d (%v), the hub's outgoing lock expires at %d", at, err, sent.Lock.Expiration)
	}
	t.Logf("secret registered at %d; outgoing lock expires at %d, incoming at %d (claim deadline %d)", at, sent.Lock.Expiration, in.Expiration, x.h.med.cfg.ClaimDeadline(in))

	// The hub learns the secret from the chain; the silent payer never unlocks, so the hub
	// claims the payer's lock on chain from its claim deadline on.
	advanceTo(t, x.tn, x.reader, x.h.med.cfg.ClaimDeadline(in))
	waitFor(t, "the hub closes the silent payer's channel to claim its lock", func() bool { return channelStatus(x.h, x.idAH) == channel.StatusClosing })
	vHC, err := x.reader.Channel(bg, x.idHC)
	if err != nil {
		t.Fatal(err)
	}
	vAH, err := x.reader.Channel(bg, x.idAH)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, x.tn, x.reader, max(vHC.SettleAfter, vAH.SettleAfter)+1)
	waitFor(t, "the hub settles both channels", func() bool {
		return channelStatus(x.h, x.idHC) == channel.StatusSettled && channelStatus(x.h, x.idAH) == channel.StatusSettled
	})
	if _, err := cheat.Unlock(bg, x.idHC, x.hub, []channel.Lock{sent.Lock}); err != nil {
		t.Fatalf("payee's unlock of the lock it registered: %v", err)
	}
	waitFor(t, "the hub claims the payer's lock after settle", func() bool { return hasClaim(x.h, x.idAH, ClaimLockClaimed) })
	hc := payouts(t, x.reader, x.idHC, x.hub, x.payee)
	ah := payouts(t, x.reader, x.idAH, x.payer, x.hub)
	total := new(big.Int).Add(hc[x.hub], ah[x.hub])
	if total.Int64() != 1000 || ah[x.payer].Int64() != 1000-amount {
		t.Fatalf("hub's payouts %s (hub-payee %s + payer-hub %s), entitled to 1000; payee took %s, payer got %s (want %d)",
			total, hc[x.hub], ah[x.hub], hc[x.payee], ah[x.payer], 1000-amount)
	}
}

// TestAttack4RestartWhileWaitingForTheEndorsement: the payee refuses the hub's lock and
// withholds its endorsement of the hub's cancel; the hub restarts while it waits (its
// wait is in the store: meta cancelwait). The restarted hub must still keep the payer's
// lock until it holds the endorsement:
//   - "withheld": the payee never endorses; it closes with the older proof and registers
//     the secret. The restarted hub learns the secret on chain, reveals it to the honest
//     payer and is unlocked; the payee's unlock after settle takes the lock from the hub.
//   - "endorsed after restart": the payee endorses once the restarted hub asks again; the
//     hub then refuses upstream (the payer cancels), and when the payee cheats with the
//     older proof the hub's watcher puts the endorsed cancel on chain.
//
// Either way, to the wei, the hub's payouts over both channels total its 1000 deposit.
func TestAttack4RestartWhileWaitingForTheEndorsement(t *testing.T) {
	for _, endorse := range []bool{false, true} {
		name := "withheld"
		if endorse {
			name = "endorsed after restart"
		}
		t.Run(name, func(t *testing.T) { restartWhileWaiting(t, endorse) })
	}
}

func restartWhileWaiting(t *testing.T, endorse bool) {
	x := newRefusedHub(t)
	x.filter.drop.Store(true)
	const amount = 180
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	secret, sent, err := x.refusedLock(t, ctx, amount)
	if !errors.Is(err, ErrLockPending) {
		t.Fatalf("routed payment whose refusal is not endorsed: %v; want ErrLockPending", err)
	}
	hash := channel.SecretHash(secret)
	if err := x.h.Close(); err != nil {
		t.Fatal(err)
	}
	if endorse {
		x.filter.drop.Store(false)
	}
	x.h = x.tn.startNode(2, nodeOpts{dir: x.hDir, staticPeers: []string{addrOf(t, x.a), addrOf(t, x.c)}})
	waitFor(t, "the restarted hub reconnects", func() bool {
		return x.h.transport.Connected(x.payer) && x.h.transport.Connected(x.payee)
	})
	ah := newModel(x.idAH, x.a, x.h, 1000)
	cancelNonce := sent.Proof.Nonce + 1
	if endorse {
		waitFor(t, "the restarted hub holds the endorsement", func() bool { return x.h.med.ref.end.endorsedNonce(x.idHC) == cancelNonce })
		ah.eventually(t, "payer-hub: the refusal passed upstream, the payer's lock cancelled", x.a, x.h)
	} else {
		time.Sleep(3 * time.Second) // the hub asks again at least once meanwhile
		if !x.hubPending(x.h, x.idAH, hash) {
			t.Fatal("the restarted hub gave up the payer's lock without an endorsement of its cancel")
		}
	}
	if err := x.c.Close(); err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	cheat := x.cheater(t)
	if _, err := cheat.Close(bg, x.idHC, &sent.Proof); err != nil {
		t.Fatalf("payee's close with the older proof: %v", err)
	}
	if _, err := cheat.RegisterSecret(bg, secret); err != nil {
		t.Fatal(err)
	}
	if endorse {
		waitFor(t, "the hub puts its endorsed cancel on chain", func() bool {
			v, err := x.reader.Channel(bg, x.idHC)
			return err == nil && v.NonceA == cancelNonce
		})
	} else {
		ah.pay(x.payer, x.hub, amount)
		ah.eventually(t, "payer-hub: the payer unlocked once the restarted hub revealed the secret it learnt on chain", x.a, x.h)
	}
	v, err := x.reader.Channel(bg, x.idHC)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, x.tn, x.reader, v.SettleAfter+1)
	waitFor(t, "the hub settles", func() bool { return channelStatus(x.h, x.idHC) == channel.StatusSettled })
	_, uerr := cheat.Unlock(bg, x.idHC, x.hub, []channel.Lock{sent.Lock})
	t.Logf("payee's on-chain unlock of the cancelled lock: %v", uerr)
	got := payouts(t, x.reader, x.idHC, x.hub, x.payee)
	hv, err := x.h.Channel(bg, x.idAH)
	if err != nil {
		t.Fatal(err)
	}
	if total := new(big.Int).Add(got[x.hub], hv.Balance[x.h.channel(x.idAH).us]); total.Int64() != 1000 {
		t.Fatalf("hub's total %s (hub-payee on chain %s + payer-hub %s), entitled to 1000; the payee took %s", total, got[x.hub], hv.Balance[x.h.channel(x.idAH).us], got[x.payee])
	}
}
