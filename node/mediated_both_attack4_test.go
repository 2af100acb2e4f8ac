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
)

// TestAttack4SameHashBothWaysOnOneChannel: locks on one hash in both directions of the
// hub's channel with X, a cheat. First A pays 300 through the hub to X on hash h; X
// refuses, the hub cancels its lock and X endorses the cancel (the refusal goes back to A,
// who cancels). Then X itself pays 200 through the hub to C on the SAME hash; the hub
// forwards it (its earlier forward on h is over). C reveals, the hub pays C off chain;
// X goes silent, never unlocks, and closes the hub's channel with the hub's OLDER proof,
// which carries the cancelled 300 lock on h. The secret of h is public once the hub
// registers it to claim X's 200 lock, and it opens the older 300 lock too. The hub is
// entitled, to the wei: X's 200 lock (it paid C 200 for it), and to lose nothing on its
// cancelled 300 lock (it holds X's endorsement of the cancel): its payouts on H-X are its
// 1000 deposit plus 200, and H-C leaves it 800. A's channel is untouched.
func TestAttack4SameHashBothWaysOnOneChannel(t *testing.T) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	hTap := &lockTap{}
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { hTap.Transport = tr; return hTap }})
	x := tn.startNode(3, nodeOpts{})
	c := tn.startNode(4, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHX := openChannel(t, h, x, big.NewInt(1000), big.NewInt(1000), time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, cheater, payee := h.signer.Address(), x.signer.Address(), c.signer.Address()

	var secret [32]byte
	rand.Read(secret[:])
	hash := channel.SecretHash(secret)
	if _, err := routedPay(t, a, []common.Address{hub, cheater}, 300, hash); !errors.Is(err, ErrRouteRefused) {
		t.Fatalf("A's payment to X, which refuses: %v", err)
	}
	older := hTap.lastOn(t, idHX)
	if older.Proof.Locked == nil || older.Proof.Locked.Int64() != 300 {
		t.Fatalf("setup: the hub's older proof to X carries %v locked, want 300", older.Proof.Locked)
	}
	cancelNonce := older.Proof.Nonce + 1
	waitFor(t, "the hub holds X's endorsement of its cancel", func() bool { return h.med.ref.end.endorsedNonce(idHX) == cancelNonce })
	mAH := newModel(idAH, a, h, 1000)
	mAH.eventually(t, "A-hub: A's lock cancelled", a, h)

	expectInvoice(t, c, hash, big.NewInt(200))
	done := make(chan error, 1)
	go func() {
		_, err := routedPay(t, x, []common.Address{hub, payee}, 200, hash)
		done <- err
	}()
	waitFor(t, "C holds the hub's lock on the same hash", func() bool { return incomingPending(c, idHC, hash) })
	lcH := h.channel(idHX)
	lcH.mu.Lock()
	in, ok := lcH.st.PendingLock(lcH.us.Other(), hash)
	lcH.mu.Unlock()
	if !ok {
		t.Fatal("setup: the hub holds no lock from X")
	}
	if err := x.Close(); err != nil { // X goes silent: it never unlocks
		t.Fatal(err)
	}
	learnSecret(t, c, secret, big.NewInt(200))
	mHC := newModel(idHC, h, c, 1000)
	mHC.pay(hub, payee, 200)
	mHC.eventually(t, "hub-C: the hub paid C", h, c)

	bg := context.Background()
	cheat := keyClient(t, tn, 3)
	if _, err := cheat.Close(bg, idHX, &older.Proof); err != nil {
		t.Fatalf("X's close with the hub's older proof: %v", err)
	}
	waitFor(t, "the hub puts its endorsed cancel and X's latest proof on chain", func() bool {
		v, err := reader.Channel(bg, idHX)
		return err == nil && v.NonceA >= cancelNonce && v.NonceB > 0 // the hub opened H-X: it is A
	})
	waitFor(t, "the hub registers the secret to claim X's lock", func() bool {
		at, err := reader.SecretRegisteredAt(bg, hash)
		return err == nil && at != 0 && at <= in.Expiration
	})
	v, err := reader.Channel(bg, idHX)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "the hub settles H-X", func() bool { return channelStatus(h, idHX) == channel.StatusSettled })
	_, uerr := cheat.Unlock(bg, idHX, hub, []channel.Lock{older.Lock})
	t.Logf("X's on-chain unlock of the cancelled 300 lock: %v", uerr)
	waitFor(t, "the hub claims X's lock after settle", func() bool { return hasClaim(h, idHX, ClaimLockClaimed) })
	got := payouts(t, reader, idHX, hub, cheater)
	if got[hub].Int64() != 1200 || got[cheater].Int64() != 800 {
		t.Fatalf("H-X payouts: hub %s (entitled to 1000 + X's 200 lock), X %s (want 800)", got[hub], got[cheater])
	}
	mHC.eventually(t, "hub-C after all", h, c)
	mAH.eventually(t, "A-hub after all", a, h)
	select {
	case err := <-done:
		t.Logf("X's PayRouted: %v", err)
	default:
	}
}
