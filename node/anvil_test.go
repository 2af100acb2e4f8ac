package node

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// TestNodesOverAnvilByRPCURL runs the same node code against Anvil over JSON-RPC, the
// way a daemon reaches a real chain, instead of the injected in-process backend.
func TestNodesOverAnvilByRPCURL(t *testing.T) {
	url := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	accs := devchain.TestAccounts()
	deployer, _, err := contracts.Deploy(ctx, mustBackend(t, url), accs[0].Key, contracts.Options{})
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	start := func(i int) *Node {
		n, err := New(ctx, Config{
			DataDir: t.TempDir(), Key: accs[i].Key, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"},
			ChainURL: url, Contract: deployer.Contract(), PollInterval: 50 * time.Millisecond,
		})
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		if err := n.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	a, b := start(1), start(2)
	id := openChannel(t, a, b, eth(1), eth(1), time.Hour)
	payMany(t, a, id, 100, 4, func(int) int64 { return 10 })
	payMany(t, b, id, 50, 4, func(int) int64 { return 3 })
	res, err := b.CloseChannel(ctx, id, false)
	if err != nil {
		t.Fatalf("cooperative close: %v", err)
	}
	wantA := new(big.Int).Sub(eth(1), big.NewInt(1000-150))
	wantB := new(big.Int).Add(eth(1), big.NewInt(1000-150))
	if res.Balances[0].Cmp(wantA) != 0 || res.Balances[1].Cmp(wantB) != 0 {
		t.Fatalf("paid out A=%s B=%s, want A=%s B=%s", res.Balances[0], res.Balances[1], wantA, wantB)
	}
	waitFor(t, "a sees the channel settled", func() bool { v, _ := a.Channel(ctx, id); return v.Status == channel.StatusSettled })
	info, err := a.Info(ctx)
	if err != nil || info.ChainID.Int64() != devchain.ChainID || !strings.HasSuffix(info.ListenAddrs[0], info.PeerID) {
		t.Fatalf("info %+v, %v", info, err)
	}
}

func mustBackend(t *testing.T, url string) contracts.Backend {
	t.Helper()
	c, err := contracts.Dial(context.Background(), url, [20]byte{}, devchain.TestAccounts()[0].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Disconnect)
	return c.Backend()
}
