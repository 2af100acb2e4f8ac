package node

import (
	"bytes"
	"context"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// anvilNet is one Anvil with the contract deployed, for tests of how the node drives
// its transactions on a real JSON-RPC chain: Anvil can stop mining, raise the base fee
// and take the node's nonce with a transaction sent outside the node.
type anvilNet struct {
	t        *testing.T
	url      string
	rpc      *rpc.Client
	eth      *ethclient.Client
	contract common.Address
	accs     []devchain.Account
	proc     *anviltest.Anvil
}

func newAnvilNet(t *testing.T, args ...string) *anvilNet {
	t.Helper()
	proc := anviltest.StartProcess(t, args...)
	url := proc.URL
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Close)
	ec := ethclient.NewClient(rc)
	accs := devchain.TestAccounts()
	deployer, _, err := contracts.Deploy(ctx, ec, accs[0].Key, contracts.Options{})
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	return &anvilNet{t: t, url: url, rpc: rc, eth: ec, contract: deployer.Contract(), accs: accs, proc: proc}
}

// config is a node of Anvil account i reaching the chain at url (Anvil's own when empty).
func (an *anvilNet) config(i int, dir, url string) Config {
	if url == "" {
		url = an.url
	}
	return Config{
		DataDir: dir, Key: an.accs[i].Key, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"},
		ChainURL: url, Contract: an.contract, PollInterval: 50 * time.Millisecond,
		TxReplaceAfter: 500 * time.Millisecond,
	}
}

func (an *anvilNet) startWith(cfg Config) *Node {
	an.t.Helper()
	n, err := New(context.Background(), cfg)
	if err != nil {
		an.t.Fatalf("node: %v", err)
	}
	if err := n.Start(context.Background()); err != nil {
		an.t.Fatal(err)
	}
	an.t.Cleanup(func() { n.Close() })
	return n
}

func (an *anvilNet) start(i int, dir string) *Node {
	return an.startWith(an.config(i, dir, ""))
}

// client is a contracts client of Anvil account i, outside any node.
func (an *anvilNet) client(i int) *contracts.Client {
	an.t.Helper()
	c, err := contracts.New(context.Background(), an.eth, an.contract, an.accs[i].Key, contracts.Options{})
	if err != nil {
		an.t.Fatal(err)
	}
	return c
}

// call runs an Anvil RPC method (evm_mine, evm_setAutomine, anvil_setBalance, ...).
func (an *anvilNet) call(method string, args ...any) {
	an.t.Helper()
	if err := an.rpc.CallContext(context.Background(), nil, method, args...); err != nil {
		an.t.Fatalf("%s: %v", method, err)
	}
}

// useKeyOutside sends one transaction with account i's key straight to the chain, as
// an operator would with cast, and waits until it is mined: the node's nonce sequence
// is now behind.
func (an *anvilNet) useKeyOutside(i int, nonce *uint64) common.Hash {
	an.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n := uint64(0)
	if nonce != nil {
		n = *nonce
	} else {
		var err error
		if n, err = an.eth.PendingNonceAt(ctx, an.accs[i].Address); err != nil {
			an.t.Fatal(err)
		}
	}
	head, err := an.eth.HeaderByNumber(ctx, nil)
	if err != nil {
		an.t.Fatal(err)
	}
	tip := big.NewInt(2e9)
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip)
	to := an.accs[9].Address
	tx, err := types.SignNewTx(an.accs[i].Key, types.LatestSignerForChainID(big.NewInt(devchain.ChainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(devchain.ChainID), Nonce: n, GasTipCap: tip, GasFeeCap: feeCap, Gas: 21_000, To: &to, Value: big.NewInt(1),
	})
	if err != nil {
		an.t.Fatal(err)
	}
	if err := an.eth.SendTransaction(ctx, tx); err != nil {
		an.t.Fatalf("send with the node's key outside the node: %v", err)
	}
	return tx.Hash()
}

// waitMined waits for hash's receipt.
func (an *anvilNet) waitMined(hash common.Hash) *types.Receipt {
	an.t.Helper()
	var rec *types.Receipt
	waitFor(an.t, "transaction "+hash.Hex()+" mined", func() bool {
		r, err := an.eth.TransactionReceipt(context.Background(), hash)
		rec = r
		return err == nil && r != nil
	})
	return rec
}

func hexBig(v *big.Int) string { return hexutil.EncodeBig(v) }

// metricValue reads a counter or gauge.
func metricValue(t *testing.T, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	if m.Counter != nil {
		return m.Counter.GetValue()
	}
	return m.Gauge.GetValue()
}

// series counts the series a collector currently exports.
func series(c prometheus.Collector) int {
	ch := make(chan prometheus.Metric, 64)
	go func() { c.Collect(ch); close(ch) }()
	n := 0
	for range ch {
		n++
	}
	return n
}

// pending counts the accounts with transactions in Anvil's pool.
func (an *anvilNet) pending() int {
	var content map[string]any
	if err := an.rpc.Call(&content, "txpool_content"); err != nil {
		an.t.Fatalf("txpool_content: %v", err)
	}
	p, _ := content["pending"].(map[string]any)
	return len(p)
}

// chainProxy stands between a node and Anvil, so a test can take "the chain" down for
// one node: while down it answers 503 to everything; while refuseEstimates is set, to
// every request that estimates gas.
type chainProxy struct {
	url             string
	down            atomic.Bool
	refuseEstimates atomic.Bool
}

func newChainProxy(t *testing.T, target string) *chainProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &chainProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.down.Load() {
			http.Error(w, "chain down", http.StatusServiceUnavailable)
			return
		}
		if p.refuseEstimates.Load() {
			body, err := io.ReadAll(r.Body)
			if err != nil || bytes.Contains(body, []byte(`"eth_estimateGas"`)) {
				http.Error(w, "estimates refused", http.StatusServiceUnavailable)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

// opensBy counts the ChannelOpened events of channels opened by addr.
func (an *anvilNet) opensBy(addr common.Address) int {
	an.t.Helper()
	c := an.client(0)
	head, err := c.Head(context.Background())
	if err != nil {
		an.t.Fatal(err)
	}
	evs, err := c.EventsInRange(context.Background(), 0, head.Number)
	if err != nil {
		an.t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if o, ok := e.(contracts.ChannelOpened); ok && o.A == addr {
			n++
		}
	}
	return n
}
