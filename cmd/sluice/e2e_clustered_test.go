package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/api"
	"github.com/sluicepay/sluice/store/kv/etcdkv/etcdlocal"
)

// startClustered runs `sluice node --store etcd://...` for n without waiting for its API:
// a standby opens none until it is elected. The returned channel delivers the API URL.
// announce lists every cluster member's listen address (--announce).
func (n *e2eNode) startClustered(t *testing.T, store string, apiPort int, announce []string, peers ...string) *e2eProcess {
	t.Helper()
	args := []string{"--datadir", n.dir, "--log-format", "json", "--log-level", "debug", "node",
		"--listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", n.p2pPort), "--api-addr", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--store", store, "--etcd-max-txn-ops", "128"}
	for _, p := range peers {
		args = append(args, "--peer", p)
	}
	for _, a := range announce {
		args = append(args, "--announce", a)
	}
	p, err := startE2EProcess(n.env, &n.mu, &n.logs, args...)
	if err != nil {
		t.Fatalf("%s: start node: %v", n.name, err)
	}
	n.mu.Lock()
	n.proc = p
	n.mu.Unlock()
	return p
}

func (n *e2eNode) awaitAPI(t *testing.T, p *e2eProcess, within time.Duration) {
	t.Helper()
	select {
	case url := <-p.apiURL:
		n.mu.Lock()
		n.apiURL = url
		n.mu.Unlock()
	case <-p.exited:
		t.Fatalf("%s: node exited before its API started (%v)\n%s", n.name, p.err, lastLines(n.logText(), 40))
	case <-time.After(within):
		t.Fatalf("%s: node API did not start within %s\n%s", n.name, within, lastLines(n.logText(), 40))
	}
}

// failoverPayer pays with its own payment ids and retries a failed payment, with the
// same id, through api.DialFirst over every hub process's API URL, so it reaches
// whichever is active and each id is paid exactly once.
type failoverPayer struct {
	urls    []string
	token   string
	mu      sync.Mutex
	cl      *api.Client
	redials int
	acked   map[api.PaymentID]*big.Int
	ackedAt map[api.PaymentID]time.Time
	retries int
	n       atomic.Int64
	stopped atomic.Bool
	wg      sync.WaitGroup
}

func (f *failoverPayer) client() *api.Client {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cl == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if cl, err := api.DialFirst(ctx, f.urls, f.token); err == nil {
			f.cl = cl
			f.redials++
		}
	}
	return f.cl
}

// failed drops cl so the next call dials again, unless another worker did already.
func (f *failoverPayer) failed(cl *api.Client) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cl == cl && cl != nil {
		cl.Close()
		f.cl = nil
	}
}

func (f *failoverPayer) start(id api.ChannelID, workers int) {
	for range workers {
		f.wg.Go(func() {
			for !f.stopped.Load() {
				var pid api.PaymentID
				_, _ = rand.Read(pid[:])
				amount := big.NewInt(1_000_000_000 + f.n.Add(1))
				for attempt := 0; ; attempt++ {
					cl := f.client()
					err := errNoActive
					if cl != nil {
						ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
						_, err = cl.Pay(ctx, api.PayArgs{Channel: &id, Amount: api.NewAmount(amount), PaymentID: &pid})
						cancel()
					}
					if err == nil {
						f.mu.Lock()
						f.acked[pid] = amount
						f.ackedAt[pid] = time.Now()
						if attempt > 0 {
							f.retries++
						}
						f.mu.Unlock()
						break
					}
					if isConnError(err) {
						f.failed(cl)
					}
					if attempt > 300 {
						return // the test fails on the count below
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		})
	}
}

// TestE2EClusteredHubFailsOverUnderLoad is issue 20's failover acceptance with real
// processes: two `sluice node` processes of one hub identity share a real 3-member etcd
// cluster; the active is killed with SIGKILL while it streams payments to a wallet node;
// the standby must be active within 10 s, hold every payment acknowledged before the
// kill, pay every retried paymentId exactly once, and close the channel with the right
// balances on chain.
func TestE2EClusteredHubFailsOverUnderLoad(t *testing.T) {
	t.Parallel()
	etcd, err := etcdlocal.Start(t.TempDir(), 3, etcdlocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(etcd.Close)
	store := "etcd://" + strings.Join(trimScheme(etcd.Endpoints()), ",")

	chain := startE2EChain(t)
	bob := newE2ENode(t, chain, "bob", 6)
	bob.start(t)
	hubA, hubB := newE2ENode(t, chain, "hubA", 5), newE2ENode(t, chain, "hubB", 5) // same key
	apiA, apiB := freeTCPPort(t), freeTCPPort(t)
	announce := []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", hubA.p2pPort), fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", hubB.p2pPort)}
	pA := hubA.startClustered(t, store, apiA, announce, bob.p2pAddr(t))
	hubA.awaitAPI(t, pA, 60*time.Second)
	// Like the key, the API token is the hub's: every process of it takes the same one.
	if err := os.WriteFile(api.TokenPath(hubB.dir), []byte(hubA.token(t)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// No --peer: bob learnt hubB's address from hubA's announcement (and hubB reads bob's
	// from the address book in etcd); either side's dial brings the session back.
	pB := hubB.startClustered(t, store, apiB, announce)
	select {
	case <-pB.apiURL:
		t.Fatal("the standby opened its API while the active runs")
	case <-time.After(2 * time.Second):
	}

	id := openChannelCLI(t, hubA, bob, ether(1), time.Hour)
	f := &failoverPayer{
		urls:  []string{fmt.Sprintf("http://127.0.0.1:%d", apiA), fmt.Sprintf("http://127.0.0.1:%d", apiB)},
		token: hubA.token(t), acked: map[api.PaymentID]*big.Int{}, ackedAt: map[api.PaymentID]time.Time{},
	}
	f.start(id, 8)
	t.Cleanup(func() { f.stopped.Store(true); f.wg.Wait() })
	waitUntil(t, 60*time.Second, "200 acknowledged payments before the kill", func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.acked) >= 200
	})
	hubA.kill9(t)
	killed := time.Now()
	f.mu.Lock()
	beforeKill := map[api.PaymentID]*big.Int{}
	for pid, a := range f.acked {
		beforeKill[pid] = a
	}
	f.mu.Unlock()

	hubB.awaitAPI(t, pB, 10*time.Second)
	takeover := time.Since(killed)
	t.Logf("standby's API up %s after the kill", takeover.Round(time.Millisecond))
	f.mu.Lock()
	n0 := len(f.acked)
	f.mu.Unlock()
	waitUntil(t, 60*time.Second, "200 more acknowledged payments after the failover", func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.acked) >= n0+200
	})
	f.stopped.Store(true)
	f.wg.Wait()

	ledger := hubB.payments(t, id)
	sent, _ := checkLedger(t, "hubB", ledger)
	byID := map[api.PaymentID]int{}
	for _, p := range ledger {
		byID[p.PaymentID]++
	}
	total := new(big.Int)
	for pid, amount := range f.acked {
		if byID[pid] != 1 {
			t.Fatalf("acknowledged payment %s is %d times in the new active's ledger", pid, byID[pid])
		}
		total.Add(total, amount)
	}
	for pid := range beforeKill {
		if byID[pid] != 1 {
			t.Fatalf("payment %s acknowledged before the kill is missing after the failover", pid)
		}
	}
	if sent.Cmp(total) != 0 {
		t.Fatalf("new active's ledger sent %s; the payer was acknowledged %s (a retry paid twice or a payment was lost)", sent, total)
	}
	t.Logf("%d payments acknowledged before the kill, %d in all, %d acknowledged on a retry; the payer dialled %d times", len(beforeKill), len(f.acked), f.retries, f.redials)
	if f.redials < 2 {
		t.Fatalf("the payer dialled %d times: it never failed over to the second API URL", f.redials)
	}

	var closed api.CloseResult
	hubB.cliJSON(t, &closed, "channel", "close", id.String())
	wantA := new(big.Int).Sub(ether(1), total)
	if !closed.Cooperative || closed.Balances[0].Big().Cmp(wantA) != 0 || closed.Balances[1].Big().Cmp(total) != 0 {
		t.Fatalf("close result %+v; want cooperative A=%s B=%s", closed, wantA, total)
	}
	waitUntil(t, 30*time.Second, "bob to see the channel settled", func() bool { return bob.channel(t, id).Status == "settled" })
	if v := chain.view(t, channel.ID(id)); v.Status != channel.StatusSettled {
		t.Fatalf("on-chain status %d, want settled", v.Status)
	}
}

var errNoActive = errors.New("no hub API answered")

// isConnError tells a dead endpoint from a refusal by a live node.
func isConnError(err error) bool {
	if err == nil {
		return false
	}
	var rpcErr *api.Error
	return errors.Is(err, errNoActive) || !errors.As(err, &rpcErr)
}

func trimScheme(urls []string) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = strings.TrimPrefix(u, "http://")
	}
	return out
}
