package node

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/tower"
)

// Sixth attacker pass (ADR 0037's tower-held prune bound, ADR 0041): a watchtower that
// cannot or will not hold our checkpoints.

// startTower9 is a watchtower paying gas from devchain account 9 (no node's key), on
// listen, guarding at most maxChannels proofs (0: the default).
func startTower9(t *testing.T, tn *testNet, dir, listen string, maxChannels int) *tower.Tower {
	t.Helper()
	key := tn.chain.Accounts()[9].Key
	cl, err := contracts.New(context.Background(), tn.chain.Client(), tn.chain.Contract(), key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tw, err := tower.New(tower.Config{Key: key, DataDir: dir, Chain: cl, ListenAddrs: []string{listen},
		PollInterval: 50 * time.Millisecond, MaxChannels: maxChannels})
	if err != nil {
		t.Fatalf("tower: %v", err)
	}
	if err := tw.Start(); err != nil {
		t.Fatalf("start tower: %v", err)
	}
	t.Cleanup(func() { tw.Close() })
	return tw
}

// TestAttack6FullTowerDoesNotCapTheChannelForGood: the hub's watchtower guards as many
// proofs as its operator allows (here one: the payer's proof to the hub) and answers
// "full" to the hub's endorsed checkpoints on its channel to the payee. "Full" is the
// tower's answer for a channel it guards nothing of: it will never put an older proof of
// ours on chain there, so nothing it could stand in for needs our tombstones. The hub
// waited for an answer that never comes: the channel never pruned, reached
// MaxTombstones (2) and took no new lock for good, although its partner endorsed every
// checkpoint. Each payment must be followed by a prune (tombstones back to 0), and five
// payments must pass. Fails on the old code: the first prune never happens.
func TestAttack6FullTowerDoesNotCapTheChannelForGood(t *testing.T) {
	tn := newTestNet(t)
	tw := startTower9(t, tn, t.TempDir(), "/ip4/127.0.0.1/tcp/0", 1)
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{checkpoints: CheckpointConfig{Every: 1, MaxTombstones: 2}, tower: tw.Addrs()[0].String()})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	mustPay(t, a, idAH, 1)
	waitFor(t, "the tower guards the payer's proof to the hub (it is full)", func() bool {
		_, ok, err := tw.Guarding(idAH, channel.PartyA)
		return err == nil && ok
	})
	hub, payee := h.signer.Address(), c.signer.Address()
	mAH, mHC := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 1000)
	mAH.pay(a.signer.Address(), hub, 1)
	for i := range 5 {
		inv := invoice(t, c, 10)
		if res, err := routedPay(t, a, []common.Address{hub, payee}, 10, inv.SecretHash); err != nil || !res.Unlocked {
			t.Fatalf("payment %d: %+v %v", i+1, res, err)
		}
		mAH.pay(a.signer.Address(), hub, 10)
		mHC.pay(hub, payee, 10)
		deadline := time.Now().Add(10 * time.Second)
		for h.tombstoneCount(idHC) != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("after payment %d the hub keeps %d tombstones: its endorsed checkpoints never prune while the tower answers full (endorsed %d, tower holds %d)",
					i+1, h.tombstoneCount(idHC), h.med.ref.end.endorsedNonce(idHC), h.tower.ownHeld(idHC))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if _, ok, _ := tw.Guarding(idHC, channel.PartyA); ok {
		t.Fatal("the full tower guards a proof of the hub's on its channel to the payee")
	}
	mAH.eventually(t, "payer-hub", a, h)
	mHC.eventually(t, "hub-payee", h, c)
}

// TestAttack6TowerOutageCapsAndNamesTheTower: the hub's watchtower is unreachable (an
// attacker who cuts that link, or a tower restart) while an honest payee endorses every
// checkpoint. Pruning waits for the tower (ADR 0037 amendment: safety over liveness), so
// the channel reaches MaxTombstones and refuses new locks: a capacity refusal, the payer's
// lock removed, nothing of the hub's locked. The hub's warning must name the cause the
// operator can act on (the tower), not blame the partner, which endorsed; once the tower
// is back the hub prunes and payments flow again. Fails on the old code: the warning said
// "partner endorses no checkpoint".
func TestAttack6TowerOutageCapsAndNamesTheTower(t *testing.T) {
	tn := newTestNet(t)
	twDir := t.TempDir()
	tw := startTower9(t, tn, twDir, "/ip4/127.0.0.1/tcp/0", 0)
	full := tw.Addrs()[0]
	listen, _ := ma.SplitFunc(full, func(c ma.Component) bool { return c.Protocol().Code == ma.P_P2P })
	logs := &logBuffer{}
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{checkpoints: CheckpointConfig{Every: 1, MaxTombstones: 2}, tower: full.String(), logs: logs})
	c := tn.startNode(3, nodeOpts{})
	idAH := openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, payee := h.signer.Address(), c.signer.Address()
	pay := func() (RoutedPayment, [32]byte, error) {
		inv := invoice(t, c, 10)
		res, err := routedPay(t, a, []common.Address{hub, payee}, 10, inv.SecretHash)
		return res, inv.SecretHash, err
	}
	tw.Close() // unreachable from here on
	mAH, mHC := newModel(idAH, a, h, 1000), newModel(idHC, h, c, 1000)
	for range 2 {
		if res, _, err := pay(); err != nil || !res.Unlocked {
			t.Fatalf("payment under the cap: %+v %v", res, err)
		}
		mAH.pay(a.signer.Address(), hub, 10)
		mHC.pay(hub, payee, 10)
	}
	waitFor(t, "the payee endorses the hub's checkpoint", func() bool {
		return h.med.ref.end.endorsedNonce(idHC) == latestOwnProof(t, h, idHC).Nonce
	})
	if got := h.tombstoneCount(idHC); got != 2 {
		t.Fatalf("tombstones while the tower is down: %d, want 2 (nothing pruned)", got)
	}
	_, hash, err := pay()
	var refused *RouteRefusedError
	if err == nil || !errors.As(err, &refused) {
		t.Fatalf("payment at the cap: %v; want the hub's capacity refusal", err)
	}
	waitFor(t, "the payer's lock to the hub is removed", func() bool {
		return !incomingPending(h, idAH, hash) && !outgoingPending(a, idAH, hash)
	})
	warn := ""
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "level=WARN") && strings.Contains(line, "no new locks on this channel") {
			warn = line
		}
	}
	if !strings.Contains(warn, "watchtower") || strings.Contains(warn, "partner endorses no checkpoint") {
		t.Fatalf("the cap's warning does not name the unreachable tower as its cause: %q", warn)
	}
	startTower9(t, tn, twDir, listen.String(), 0)
	deadline := time.Now().Add(60 * time.Second) // the link's backoff grows to 30 s
	for h.tombstoneCount(idHC) != 0 {
		if time.Now().After(deadline) {
			var tower []string
			for _, line := range strings.Split(logs.String(), "\n") {
				if strings.Contains(line, "tower") {
					tower = append(tower, line)
				}
			}
			t.Fatalf("the hub keeps %d tombstones after the tower is back; its tower log:\n%s", h.tombstoneCount(idHC), strings.Join(tower, "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if res, _, err := pay(); err != nil || !res.Unlocked {
		t.Fatalf("payment once the tower is back: %+v %v", res, err)
	}
	mAH.pay(a.signer.Address(), hub, 10)
	mHC.pay(hub, payee, 10)
	mAH.eventually(t, "payer-hub", a, h)
	mHC.eventually(t, "hub-payee", h, c)
}

// TestAttack6TowerBackAfterALongOutageUnblocksAtOnce: the hub's tower is down long enough
// for the link's backoff to grow past ten seconds (it doubles up to 30 s) while the
// honest payee endorses; the channel is at the cap. The tower comes back in the middle of
// a long backoff wait. The next refused lock must cut that wait short (at most once a
// second): the hub confirms its checkpoint with the tower, prunes and pays again within
// a few seconds. Fails on the old code: the link sleeps out its backoff (here about
// seven more seconds) with the channel refusing every lock.
func TestAttack6TowerBackAfterALongOutageUnblocksAtOnce(t *testing.T) {
	tn := newTestNet(t)
	twDir := t.TempDir()
	tw := startTower9(t, tn, twDir, "/ip4/127.0.0.1/tcp/0", 0)
	full := tw.Addrs()[0]
	listen, _ := ma.SplitFunc(full, func(c ma.Component) bool { return c.Protocol().Code == ma.P_P2P })
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{checkpoints: CheckpointConfig{Every: 1, MaxTombstones: 2}, tower: full.String()})
	c := tn.startNode(3, nodeOpts{})
	openChannel(t, a, h, big.NewInt(1000), nil, time.Hour)
	idHC := openChannel(t, h, c, big.NewInt(1000), nil, time.Hour)
	hub, payee := h.signer.Address(), c.signer.Address()
	pay := func() (RoutedPayment, error) {
		inv := invoice(t, c, 10)
		return routedPay(t, a, []common.Address{hub, payee}, 10, inv.SecretHash)
	}
	tw.Close()
	down := time.Now()
	for range 2 {
		if res, err := pay(); err != nil || !res.Unlocked {
			t.Fatalf("payment under the cap: %+v %v", res, err)
		}
	}
	waitFor(t, "the payee endorses the hub's checkpoint", func() bool {
		return h.med.ref.end.endorsedNonce(idHC) == latestOwnProof(t, h, idHC).Nonce
	})
	if _, err := pay(); err == nil {
		t.Fatal("a payment passed the cap while the tower is down")
	}
	// Backoff from 20 ms doubling: the wait that starts about 10.2 s after the first
	// failure lasts 10.24 s. The tower returns in its middle.
	time.Sleep(time.Until(down.Add(14 * time.Second)))
	startTower9(t, tn, twDir, listen.String(), 0)
	back := time.Now()
	for h.tombstoneCount(idHC) != 0 {
		if time.Since(back) > 4*time.Second {
			t.Fatalf("the hub keeps %d tombstones %v after the tower is back", h.tombstoneCount(idHC), time.Since(back))
		}
		_, _ = pay() // refused at the cap: each refusal may cut the link's backoff short
		time.Sleep(100 * time.Millisecond)
	}
	if res, err := pay(); err != nil || !res.Unlocked {
		t.Fatalf("payment once the tower is back: %+v %v", res, err)
	}
}
