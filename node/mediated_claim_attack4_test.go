// Attacks on the unlock after settle with an older proof of ours (issue 18, ADR 0037):
// the partner closes with a proof of ours from before some of its locks were removed off
// chain; the node rebuilds that proof's list from its tombstones, or puts its endorsed
// checkpoint on chain over it.
//
//	go test ./node -run TestAttack4OlderProof -v

package node

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// TestAttack4OlderProofWithAnExpiredLockFreezesTheHubsDeposit: the payee holds the hub's
// forwarded lock of 100 and never reveals; the lock expires and the hub removes it off
// chain (LockExpired, acknowledged by the payee); the payer's lock to the hub expires too.
// Nobody paid anybody: the hub is entitled to its whole 1000 deposit in hub-payee. The
// payee then closes with the hub's OLDER proof, the one that carries the expired lock
// (its transferred amount is the same, so this costs the payee nothing), and goes
// offline. The hub cannot put its newer proof on chain (only cancels are endorsed, ADR
// 0032), and after settle its unlock needs the older proof's lock list, which is no
// prefix of its current (empty) one (ADR 0027, "limit"): the 100 stays held in the
// contract for ever. The payee can freeze any amount of the hub's deposit this way
// (up to MaxLocks locks it lets expire), at no cost.
func TestAttack4OlderProofWithAnExpiredLockFreezesTheHubsDeposit(t *testing.T) {
	tn := newTestNet(t)
	reader := chainReader(t, tn)
	hTap, aTap := &lockTap{}, &lockTap{}
	a := tn.startNode(1, nodeOpts{wrap: func(tr Transport) Transport { aTap.Transport = tr; return aTap }})
	h := tn.startNode(2, nodeOpts{wrap: func(tr Transport) Transport { hTap.Transport = tr; return hTap }})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	payer, hub, payee := a.signer.Address(), h.signer.Address(), c.signer.Address()
	hash := silentHash(t, c, 100)
	go routedPay(t, a, []common.Address{hub, payee}, 100, hash) //nolint:errcheck // the lock expires
	waitFor(t, "the payee holds the hub's lock", func() bool { return incomingPending(c, idHC, hash) })
	older := hTap.lastOn(t, idHC)
	in := aTap.lastOn(t, idAH)

	advanceTo(t, tn, reader, older.Lock.Expiration+1)
	waitFor(t, "the hub expires its lock to the payee off chain", func() bool {
		return !incomingPending(c, idHC, hash) && partnerSeesNonce(c, idHC) == older.Proof.Nonce+1
	})
	advanceTo(t, tn, reader, in.Lock.Expiration+a.med.cfg.Margin()+600)
	waitFor(t, "the payer expires its lock to the hub", func() bool { return !incomingPending(h, idAH, hash) })
	newModel(idAH, a, h, 1000).eventually(t, "payer-hub: nothing moved", a, h)
	newModel(idHC, h, c, 1000).eventually(t, "hub-payee: nothing moved", h, c)

	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	cheat := keyClient(t, tn, 3)
	if _, err := cheat.Close(bg, idHC, &older.Proof); err != nil {
		t.Fatalf("payee's close with the older proof: %v", err)
	}
	v, err := reader.Channel(bg, idHC)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, reader, v.SettleAfter+1)
	waitFor(t, "the hub settles", func() bool { return channelStatus(h, idHC) == channel.StatusSettled })
	ok := waitForQuiet(func() bool {
		recv, held, err := reader.PendingUnlock(bg, idHC, hub)
		return err == nil && recv == (common.Address{}) && held.Sign() == 0
	})
	got := payouts(t, reader, idHC, hub, payee)
	_, held, _ := reader.PendingUnlock(bg, idHC, hub)
	if !ok || got[hub].Int64() != 1000 || got[payee].Sign() != 0 {
		t.Fatalf("hub-payee: hub got %s, payee %s, %v of the hub's still held in the contract; the hub is entitled to its 1000 (the lock expired unrevealed and was removed off chain; payer %s paid nothing)",
			got[hub], got[payee], held, payer)
	}
}
