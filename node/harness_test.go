package node

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// testNet is one dev chain with nodes on real libp2p loopback and real leveldb.
type testNet struct {
	t     testing.TB
	chain *devchain.Chain
}

func newTestNet(t testing.TB) *testNet {
	t.Helper()
	c, err := devchain.New(devchain.Options{})
	if err != nil {
		t.Fatalf("devchain: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return &testNet{t: t, chain: c}
}

func eth(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

// nodeOpts tweak one test node.
type nodeOpts struct {
	dir         string
	staticPeers []string
	wrap        func(Transport) Transport
	peerLimits  p2p.Limits
	wrapChain   func(Chain) Chain
	logs        *logBuffer
	routing     RoutingConfig
	forwarding  ForwardingConfig
	invoices    InvoiceConfig
	tower       string // a watchtower's multiaddr (Config.Tower), flushed every 20 ms
	checkpoints CheckpointConfig
	backend     ChainBackend // in place of the dev chain's client
}

// startNode runs a node for devchain account i. A node is closed at test end unless the
// test closed it already.
func (tn *testNet) startNode(i int, o nodeOpts) *Node {
	tn.t.Helper()
	key := tn.chain.Accounts()[i].Key
	if o.dir == "" {
		o.dir = tn.t.TempDir()
		if d := os.Getenv("SLUICE_BENCH_DIR"); d != "" {
			o.dir, _ = os.MkdirTemp(d, "node")
		}
	}
	n, err := tn.buildNode(key, o)
	if err != nil {
		tn.t.Fatalf("node %d: %v", i, err)
	}
	if err := n.Start(context.Background()); err != nil {
		tn.t.Fatalf("start node %d: %v", i, err)
	}
	tn.t.Cleanup(func() { n.Close() })
	return n
}

func (tn *testNet) config(key *ecdsa.PrivateKey, dir string, static []string) Config {
	return Config{
		DataDir: dir, Key: key,
		ListenAddrs:  []string{"/ip4/127.0.0.1/tcp/0"},
		StaticPeers:  static,
		ChainBackend: tn.chain.Client(), Contract: tn.chain.Contract(),
		PollInterval: 50 * time.Millisecond,
	}
}

func (tn *testNet) buildNode(key *ecdsa.PrivateKey, o nodeOpts) (*Node, error) {
	cfg := tn.config(key, o.dir, o.staticPeers)
	cfg.PeerLimits = o.peerLimits
	cfg.Routing = o.routing
	cfg.Forwarding = o.forwarding
	cfg.Invoices = o.invoices
	if o.tower != "" {
		cfg.Tower, cfg.TowerFlush = o.tower, 20*time.Millisecond
	}
	cfg.Checkpoints = o.checkpoints
	if o.backend != nil {
		cfg.ChainBackend = o.backend
	}
	if o.logs != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(o.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if o.wrap == nil && o.wrapChain == nil {
		return New(context.Background(), cfg)
	}
	if o.wrap == nil {
		o.wrap = func(t Transport) Transport { return t }
	}
	c := cfg.withDefaults()
	st, err := store.Open(filepath.Join(c.DataDir, "db"), store.Options{Logger: c.Logger})
	if err != nil {
		return nil, err
	}
	chain, err := dialChain(context.Background(), c)
	if err != nil {
		st.Close()
		return nil, err
	}
	if o.wrapChain != nil {
		chain = o.wrapChain(chain)
	}
	n, err := assemble(c, st, chain, func(h p2p.Handler) (Transport, error) {
		d := chain.Domain()
		t, err := p2p.New(p2p.Config{Key: c.Key, ListenAddrs: c.ListenAddrs, ChainID: d.ChainID, Contract: d.Contract, Handler: h, Logger: c.Logger, StaticPeers: c.StaticPeers})
		if err != nil {
			return nil, err
		}
		return o.wrap(t), nil
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	return n, nil
}

func addrOf(t testing.TB, n *Node) string {
	t.Helper()
	info, err := n.Info(context.Background())
	if err != nil || len(info.ListenAddrs) == 0 {
		t.Fatalf("node info: %v %v", info, err)
	}
	return info.ListenAddrs[0]
}

// openChannel opens a channel from a to b with deposit, and b deposits its own side.
func openChannel(t testing.TB, a, b *Node, depA, depB *big.Int, challenge time.Duration) channel.ID {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cv, err := a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, b), Deposit: depA, ChallengePeriod: challenge})
	if err != nil {
		t.Fatalf("open channel: %v", err)
	}
	waitFor(t, "partner learns the channel", func() bool { _, err := b.Channel(ctx, cv.ID); return err == nil })
	if depB != nil && depB.Sign() > 0 {
		if _, err := b.Deposit(ctx, cv.ID, depB); err != nil {
			t.Fatalf("partner deposit: %v", err)
		}
		waitFor(t, "opener sees the deposit", func() bool {
			v, err := a.Channel(ctx, cv.ID)
			return err == nil && v.Deposit[channel.PartyB].Cmp(depB) == 0
		})
	}
	waitFor(t, "both connected", func() bool { return len(a.transport.Peers()) > 0 && len(b.transport.Peers()) > 0 })
	return cv.ID
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func mustPay(t testing.TB, n *Node, id channel.ID, amount int64) PaymentView {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := n.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(amount)})
	if err != nil {
		t.Fatalf("pay %d: %v", amount, err)
	}
	return v
}

func balances(t testing.TB, n *Node, id channel.ID) string {
	t.Helper()
	v, err := n.Channel(context.Background(), id)
	if err != nil {
		t.Fatalf("channel %s: %v", id, err)
	}
	return fmt.Sprintf("A=%s B=%s", v.Balance[0], v.Balance[1])
}
