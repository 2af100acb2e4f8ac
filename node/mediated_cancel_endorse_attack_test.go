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
	"github.com/sluicepay/sluice/p2p"
)

// Endorsed cancels under attack (ADR 0032): a receiver that withholds its endorsement, and
// endorsements that are not exactly the receiver's of the cancel proof.

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
