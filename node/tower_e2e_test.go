package node

import (
	"context"
	"math/big"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/tower"
)

// towerAccount is the devchain account that runs the watchtower and pays its gas.
const towerAccount = 3

// startTower runs a watchtower over the test chain with its own funded key and datadir.
func startTower(t testing.TB, tn *testNet, dir string) *tower.Tower {
	t.Helper()
	return startTowerAs(t, tn, dir, towerAccount)
}

// startTowerAs is startTower paying gas from devchain account i.
func startTowerAs(t testing.TB, tn *testNet, dir string, i int) *tower.Tower {
	t.Helper()
	key := tn.chain.Accounts()[i].Key
	cl, err := contracts.New(context.Background(), tn.chain.Client(), tn.chain.Contract(), key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tw, err := tower.New(tower.Config{
		Key: key, DataDir: dir, Chain: cl,
		ListenAddrs:  []string{"/ip4/127.0.0.1/tcp/0"},
		PollInterval: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("tower: %v", err)
	}
	if err := tw.Start(); err != nil {
		t.Fatalf("start tower: %v", err)
	}
	t.Cleanup(func() { tw.Close() })
	return tw
}

// startNodeWithTower runs a node for devchain account i that registers with tw.
func startNodeWithTower(t testing.TB, tn *testNet, i int, tw *tower.Tower, flush time.Duration) *Node {
	t.Helper()
	cfg := tn.config(tn.chain.Accounts()[i].Key, t.TempDir(), nil)
	cfg.Tower = tw.Addrs()[0].String()
	cfg.TowerFlush = flush
	n, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("node %d: %v", i, err)
	}
	if err := n.Start(context.Background()); err != nil {
		t.Fatalf("start node %d: %v", i, err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

func waitTowerHolds(t *testing.T, tw *tower.Tower, id channel.ID, nonce uint64) {
	t.Helper()
	waitFor(t, "the tower holds the wallet's newest proof", func() bool {
		got, ok, err := tw.Guarding(id, channel.PartyB) // the hub's payments to the wallet
		return err == nil && ok && got == nonce
	})
}

// hubClosesStale is the hub turning dishonest while the wallet is offline: it stops its
// node and closes with the wallet's payments to it on chain but none of its own payments
// to the wallet (nonce 0, older than any proof the wallet holds).
func hubClosesStale(t *testing.T, tn *testNet, hub *Node, id channel.ID, walletProof channel.SignedProof) *contracts.Client {
	t.Helper()
	if err := hub.Close(); err != nil {
		t.Fatal(err)
	}
	attacker := clientFor(t, tn, 2)
	if _, err := attacker.Close(context.Background(), id, &walletProof); err != nil {
		t.Fatalf("hub close: %v", err)
	}
	v, err := attacker.Channel(context.Background(), id)
	if err != nil || v.Status != channel.StatusClosing || v.NonceB != 0 {
		t.Fatalf("after the hub's close: %+v %v, want closing with none of the hub's payments", v, err)
	}
	return attacker
}

// settleAndCheck lets the challenge period pass, settles (the hub wants its money), and
// checks the payout from the ChannelSettled event against the wallet's best proof.
func settleAndCheck(t *testing.T, tn *testNet, cl *contracts.Client, id channel.ID, depWallet, depHub *big.Int, walletPaid, hubPaid channel.SignedProof) {
	t.Helper()
	if err := tn.chain.AdjustTime(testChallenge + 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Settle(context.Background(), id); err != nil {
		t.Fatalf("settle: %v", err)
	}
	balA, balB := settledOnChain(t, cl, id)
	wantA := new(big.Int).Sub(depWallet, walletPaid.Transferred)
	wantA.Add(wantA, hubPaid.Transferred)
	wantB := new(big.Int).Sub(depHub, hubPaid.Transferred)
	wantB.Add(wantB, walletPaid.Transferred)
	if balA.Cmp(wantA) != 0 || balB.Cmp(wantB) != 0 {
		t.Fatalf("settled wallet=%s hub=%s, want wallet=%s hub=%s (the wallet's best proof: nonce %d, %s)",
			balA, balB, wantA, wantB, hubPaid.Nonce, hubPaid.Transferred)
	}
}

// paidBoth makes the wallet pay the hub 5 x 100 and the hub pay the wallet 10 x 1,000,
// and returns the newest proof of each direction as the wallet holds them.
func paidBoth(t *testing.T, wallet, hub *Node, id channel.ID) (walletPaid, hubPaid channel.SignedProof) {
	t.Helper()
	payScript(t, wallet, hub, id)
	v, err := wallet.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Sent[channel.PartyA], v.Sent[channel.PartyB]
}

func TestTowerDefendsAnOfflineWalletAgainstAStaleClose(t *testing.T) {
	tn := newTestNet(t)
	tw := startTower(t, tn, t.TempDir())
	wallet := startNodeWithTower(t, tn, 1, tw, 20*time.Millisecond)
	hub := tn.startNode(2, nodeOpts{})
	id := openChannel(t, wallet, hub, eth(5), eth(10), testChallenge)
	walletPaid, hubPaid := paidBoth(t, wallet, hub, id)
	if hubPaid.Nonce != 10 {
		t.Fatalf("wallet holds the hub's nonce %d, want 10", hubPaid.Nonce)
	}
	waitTowerHolds(t, tw, id, hubPaid.Nonce)
	if tw.Guarded() != 1 {
		t.Fatalf("tower guards %d records after 10 payments on one channel, want 1", tw.Guarded())
	}

	// The wallet goes offline for the whole challenge period.
	if err := wallet.Close(); err != nil {
		t.Fatal(err)
	}
	chk := hubClosesStale(t, tn, hub, id, walletPaid)
	waitOnChainNonce(t, chk, id, channel.PartyB, hubPaid.Nonce)
	settleAndCheck(t, tn, chk, id, eth(5), eth(10), walletPaid, hubPaid)
}

func TestTowerRestartedDefendsACloseThatHappenedWhileItWasDown(t *testing.T) {
	tn := newTestNet(t)
	towerDir := t.TempDir()
	tw := startTower(t, tn, towerDir)
	wallet := startNodeWithTower(t, tn, 1, tw, 20*time.Millisecond)
	hub := tn.startNode(2, nodeOpts{})
	id := openChannel(t, wallet, hub, eth(5), eth(10), testChallenge)
	walletPaid, hubPaid := paidBoth(t, wallet, hub, id)
	waitTowerHolds(t, tw, id, hubPaid.Nonce)
	if err := wallet.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}

	chk := hubClosesStale(t, tn, hub, id, walletPaid)
	for range 5 {
		tn.chain.Commit()
	}
	time.Sleep(200 * time.Millisecond)
	if v, _ := chk.Channel(context.Background(), id); v.NonceB != 0 {
		t.Fatalf("defended with no tower running: nonce %d", v.NonceB)
	}

	startTower(t, tn, towerDir)
	waitOnChainNonce(t, chk, id, channel.PartyB, hubPaid.Nonce)
	settleAndCheck(t, tn, chk, id, eth(5), eth(10), walletPaid, hubPaid)
}

// startTowerOn is startTower on fixed listen addresses, so a restarted tower keeps its
// multiaddr (same key, same port).
func startTowerOn(t testing.TB, tn *testNet, dir string, listen []string) *tower.Tower {
	t.Helper()
	key := tn.chain.Accounts()[towerAccount].Key
	cl, err := contracts.New(context.Background(), tn.chain.Client(), tn.chain.Contract(), key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tw, err := tower.New(tower.Config{Key: key, DataDir: dir, Chain: cl, ListenAddrs: listen, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("tower: %v", err)
	}
	if err := tw.Start(); err != nil {
		t.Fatalf("start tower: %v", err)
	}
	t.Cleanup(func() { tw.Close() })
	return tw
}

// Proofs received while the tower is unreachable are kept and registered once it is back.
func TestNodeRegistersWithATowerThatWasDown(t *testing.T) {
	tn := newTestNet(t)
	dir := t.TempDir()
	tw := startTower(t, tn, dir)
	full := tw.Addrs()[0]
	listen, _ := ma.SplitFunc(full, func(c ma.Component) bool { return c.Protocol().Code == ma.P_P2P })
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}

	cfg := tn.config(tn.chain.Accounts()[1].Key, t.TempDir(), nil)
	cfg.Tower = full.String()
	cfg.TowerFlush = 20 * time.Millisecond
	wallet, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := wallet.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wallet.Close() })
	hub := tn.startNode(2, nodeOpts{})
	id := openChannel(t, wallet, hub, eth(5), eth(10), testChallenge)
	for range 4 {
		mustPay(t, hub, id, 1000)
	}
	time.Sleep(300 * time.Millisecond) // a few failed attempts while the tower is down
	// A proof being sent is taken off the queue for the attempt (sending) and put back
	// when it fails: both count as kept.
	if wallet.tower.queued()+int(wallet.tower.sending.Load()) == 0 {
		t.Fatal("the received proof left the queue while the tower was down")
	}

	tw2 := startTowerOn(t, tn, dir, []string{listen.String()})
	if tw2.Addrs()[0].String() != full.String() {
		t.Fatalf("restarted tower at %s, want %s", tw2.Addrs()[0], full)
	}
	waitTowerHolds(t, tw2, id, 4)
	waitFor(t, "the queue to drain", func() bool { return wallet.tower.queued() == 0 })
}
