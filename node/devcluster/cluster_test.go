package devcluster

import (
	"context"
	"math/big"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/node"
)

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

// TestClusterPaysOverETHAndTokenChannelsAndCleansUp runs three nodes, opens an ETH and
// an ERC-20 channel, pays both ways, survives a node restart from its datadir, and
// leaves no datadir behind.
func TestClusterPaysOverETHAndTokenChannelsAndCleansUp(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	base := t.TempDir()
	c, err := New(ctx, Options{Nodes: 3, BaseDir: base})
	if err != nil {
		t.Fatalf("new cluster: %v", err)
	}
	defer c.Close()

	if got := len(c.Members()); got != 3 {
		t.Fatalf("members = %d, want 3", got)
	}
	for _, m := range c.Members() {
		if m.Node() == nil {
			t.Fatalf("node %d not running", m.Index)
		}
	}

	ethID, err := c.OpenChannel(ctx, 0, 1, common.Address{}, ether(2), ether(1), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	token, err := c.DeployToken(ctx, "Test", "TST", ether(100), 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	tokID, err := c.OpenTokenChannel(ctx, 2, 0, token, ether(3), ether(4), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Node(0).Channel(ctx, tokID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Token != token || v.Deposit[channel.PartyA].Cmp(ether(3)) != 0 || v.Deposit[channel.PartyB].Cmp(ether(4)) != 0 {
		t.Fatalf("token channel on node 0: token %s deposits %v", v.Token, v.Deposit)
	}

	pay := func(i int, id channel.ID, amount int64) {
		t.Helper()
		if _, err := c.Node(i).Pay(ctx, node.PayRequest{Channel: id, Amount: big.NewInt(amount)}); err != nil {
			t.Fatalf("node %d pays %d on %s: %v", i, amount, id, err)
		}
	}
	pay(0, ethID, 10)
	pay(1, ethID, 3)
	pay(2, tokID, 7)
	pay(0, tokID, 2)

	// Node 1 comes back from its datadir knowing its channel and what it received.
	if err := c.Restart(ctx, 1); err != nil {
		t.Fatalf("restart node 1: %v", err)
	}
	v, err = c.Node(1).Channel(ctx, ethID)
	if err != nil {
		t.Fatalf("channel after restart: %v", err)
	}
	if got := v.Sent[channel.PartyA].Transferred; got == nil || got.Int64() != 10 {
		t.Fatalf("after restart node 1 holds node 0's transferred %v, want 10", got)
	}
	pay(0, ethID, 5)

	// Chain reads are independent of the nodes.
	bal, err := c.Funder().TokenBalance(ctx, token, c.Member(2).Address)
	if err != nil || bal.Cmp(ether(97)) != 0 {
		t.Fatalf("token balance of node 2 = %v (%v), want 97 ether", bal, err)
	}
	evs, err := c.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opened := 0
	for _, e := range evs {
		if _, ok := e.(contracts.ChannelOpened); ok {
			opened++
		}
	}
	if opened != 2 {
		t.Fatalf("ChannelOpened events = %d, want 2", opened)
	}

	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if c.Node(0) != nil {
		t.Fatal("node 0 still running after Close")
	}
	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("Close left %d entries in %s", len(entries), base)
	}
}

func TestNewRejectsImpossibleNodeCounts(t *testing.T) {
	for _, n := range []int{-1, 10, 100} {
		if c, err := New(context.Background(), Options{Nodes: n}); err == nil {
			c.Close()
			t.Errorf("New with %d nodes succeeded", n)
		}
	}
}

// TestCloseStopsEveryGoroutine: a cluster leaves nothing running behind it, so the
// demo and benchmarks can run one after another in one process.
func TestCloseStopsEveryGoroutine(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := New(ctx, Options{Nodes: 2, BaseDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.OpenChannel(ctx, 0, 1, common.Address{}, ether(1), nil, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Node(0).Pay(ctx, node.PayRequest{Channel: id, Amount: big.NewInt(1)}); err != nil {
		t.Fatal(err)
	}
	if len(ours()) == 0 {
		t.Fatal("no cluster goroutines seen while it runs: the leak check would prove nothing")
	}
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	leaked := ours()
	for len(leaked) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		leaked = ours()
	}
	if len(leaked) > 0 {
		t.Fatalf("%d goroutines still running after Close:\n%s", len(leaked), strings.Join(leaked, "\n\n"))
	}
}

// ours lists running goroutines other than the test runner's and go-ethereum's
// process-wide sender cache (started once per process, by design never stopped).
func ours() []string {
	buf := make([]byte, 1<<20)
	var out []string
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "txSenderCacher") || strings.Contains(g, "testing.") || strings.Contains(g, "runtime.goexit") && !strings.Contains(g, "created by") {
			continue
		}
		out = append(out, g)
	}
	return out
}
