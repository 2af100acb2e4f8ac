package node

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/tower/wire"
)

// towerTap is a lockTap that still reaches a watchtower (the tap hides the transport's
// OpenStream).
type towerTap struct{ lockTap }

func (l *towerTap) OpenStream(ctx context.Context, info peer.AddrInfo, proto protocol.ID) (network.Stream, error) {
	return l.Transport.(streamOpener).OpenStream(ctx, info, proto)
}

// TestTowerDefendsAnOfflineHubWithItsEndorsedProof: the payee refuses the hub's lock and
// endorses the cancel proof (ADR 0032); the hub hands that endorsed proof of its own to
// its watchtower and goes offline. The payee closes with the hub's older proof that still
// carries the lock and registers the secret. With the hub's node down, the tower puts the
// endorsed proof on chain (updateProofFor), so after settle nothing is held for the
// payee to unlock: the hub keeps its whole deposit. Before, a tower took only proofs a
// client received, and the payee's unlock took the cancelled lock from the hub.
func TestTowerDefendsAnOfflineHubWithItsEndorsedProof(t *testing.T) {
	tn := newTestNet(t)
	tw := startTowerAs(t, tn, t.TempDir(), 9)
	tap := &towerTap{}
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{tower: tw.Addrs()[0].String(), wrap: func(tr Transport) Transport { tap.Transport = tr; return tap }})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	_ = idAH
	x := &refusedHub{tn: tn, a: a, h: h, c: c, idAH: idAH, idHC: idHC, tap: &tap.lockTap,
		payer: a.signer.Address(), hub: h.signer.Address(), payee: c.signer.Address(), reader: chainReader(t, tn)}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	secret, sent, err := x.refusedLock(t, ctx, 250)
	var refused *RouteRefusedError
	if !errors.As(err, &refused) || refused.Reason != mediate.ReasonUnknownInvoice {
		t.Fatalf("payment to a payee without the invoice: %v; want its refusal", err)
	}
	older := sent.Proof
	cancelNonce := older.Nonce + 1
	if got := h.med.ref.end.endorsedNonce(idHC); got != cancelNonce {
		t.Fatalf("hub's endorsed nonce %d, want the cancel's %d", got, cancelNonce)
	}
	// The hub opened hub-payee, so it is A: the tower guards A's payments.
	waitFor(t, "the tower holds the hub's endorsed cancel proof", func() bool {
		got, ok, err := tw.Guarding(idHC, channel.PartyA)
		return err == nil && ok && got == cancelNonce
	})
	if !h.towerHoldsOwn(idHC, cancelNonce) {
		t.Fatal("the hub does not know the tower answered for its endorsed proof")
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}

	cheat := x.cheater(t)
	if _, err := cheat.Close(ctx, idHC, &older); err != nil {
		t.Fatalf("payee's close with the older proof: %v", err)
	}
	if _, err := cheat.RegisterSecret(ctx, secret); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the tower puts the hub's endorsed proof on chain", func() bool {
		v, err := x.reader.Channel(context.Background(), idHC)
		return err == nil && v.NonceA == cancelNonce
	})
	v, err := x.reader.Channel(ctx, idHC)
	if err != nil {
		t.Fatal(err)
	}
	advanceTo(t, tn, x.reader, v.SettleAfter+1)
	if _, err := cheat.Settle(ctx, idHC); err != nil {
		t.Fatalf("settle: %v", err)
	}
	if _, err := cheat.Unlock(ctx, idHC, x.hub, []channel.Lock{sent.Lock}); err == nil {
		t.Fatal("the payee unlocked the cancelled lock after settle")
	}
	got := payouts(t, x.reader, idHC, x.hub, x.payee)
	if got[x.hub].Int64() != 1000 || got[x.payee].Sign() != 0 {
		t.Fatalf("payouts: hub %s (want 1000, its whole deposit), payee %s (want 0)", got[x.hub], got[x.payee])
	}
}

// checkpointedWhileTowerDown is a payer with a watchtower that is down and a checkpoint
// every 4 tombstones: six routed payments to b, then b's endorsement of a checkpoint. It
// returns the payer, the channel, and the tower's datadir and listen address (to start it
// again at the same address).
func checkpointedWhileTowerDown(t *testing.T, tn *testNet) (a *Node, id channel.ID, dir string, listen ma.Multiaddr) {
	t.Helper()
	dir = t.TempDir()
	tw := startTower(t, tn, dir)
	full := tw.Addrs()[0]
	listen, _ = ma.SplitFunc(full, func(c ma.Component) bool { return c.Protocol().Code == ma.P_P2P })
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	a = tn.startNode(1, nodeOpts{tower: full.String(), checkpoints: CheckpointConfig{Every: 4, After: time.Hour}})
	b := tn.startNode(2, nodeOpts{})
	id = openChannel(t, a, b, big.NewInt(10_000), nil, time.Hour)
	for range 6 {
		inv := invoice(t, b, 10)
		if _, err := routedPay(t, a, []common.Address{b.signer.Address()}, 10, inv.SecretHash); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the partner endorses a checkpoint", func() bool { return a.med.ref.end.endorsedNonce(id) > 0 })
	return a, id, dir, listen
}

// towerHoldsOwn reports whether the watchtower, if n uses one, has answered for n's
// endorsed proof of id with nonce at least nonce (true without a tower).
func (n *Node) towerHoldsOwn(id channel.ID, nonce uint64) bool {
	return n.tower == nil || n.tower.ownHeld(id) >= nonce
}

// TestCheckpointPrunesOnlyWhatTheTowerCanStandIn: with a watchtower, an endorsed
// checkpoint prunes our tombstones only through the endorsed proof the tower holds. While
// we are offline the tower may put its (older) endorsed proof on chain over an even older
// one the partner closes with, and after settle we must still rebuild that proof's list.
// Here the tower is down when the partner endorses: nothing is pruned; once the tower is
// back and answers for the endorsed proof, the tombstones it covers go.
func TestCheckpointPrunesOnlyWhatTheTowerCanStandIn(t *testing.T) {
	tn := newTestNet(t)
	a, id, dir, listen := checkpointedWhileTowerDown(t, tn)
	time.Sleep(300 * time.Millisecond) // the endorsement's batch, had it pruned
	if got := a.tombstoneCount(id); got < 4 {
		t.Fatalf("%d tombstones left while the tower is down, want all (>= 4): pruned past what the tower holds", got)
	}

	tw2 := startTowerOn(t, tn, dir, []string{listen.String()})
	endorsed := a.med.ref.end.endorsedNonce(id)
	waitFor(t, "the tower holds our endorsed checkpoint", func() bool {
		got, ok, err := tw2.Guarding(id, channel.PartyA)
		return err == nil && ok && got >= endorsed
	})
	waitFor(t, "the tombstones the checkpoint covers are pruned", func() bool { return a.tombstoneCount(id) < 4 })
}

// TestCheckpointPrunesWithoutAnOlderTowerThatRefusesOurOwnProofs: a tower built before it
// took a payer's own endorsed proofs answers not_receiver. It will never stand in for
// them, so waiting for it would only fill the channel with tombstones up to the cap (no
// new locks): the node prunes as without a tower. Any other refusal (a channel the tower
// found settled) prunes nothing.
func TestCheckpointPrunesWithoutAnOlderTowerThatRefusesOurOwnProofs(t *testing.T) {
	tn := newTestNet(t)
	a, id, _, _ := checkpointedWhileTowerDown(t, tn)
	endorsed := a.med.ref.end.endorsedNonce(id)
	lc := a.channel(id)
	a.tower.ownRefused(lc, endorsed, wire.CodeNotDisputable)
	time.Sleep(300 * time.Millisecond)
	if got := a.tombstoneCount(id); got < 4 {
		t.Fatalf("%d tombstones after a not_disputable refusal, want all (>= 4)", got)
	}
	a.tower.ownRefused(lc, endorsed, wire.CodeNotReceiver)
	waitFor(t, "the checkpoint prunes without the older tower", func() bool { return a.tombstoneCount(id) < 4 })
}
