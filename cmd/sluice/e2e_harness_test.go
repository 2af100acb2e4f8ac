package main

// Harness of the end-to-end tests (e2e_*_test.go, documented in docs/e2e.md): a real Anvil,
// real `sluice node` processes (leveldb datadirs made by `sluice init`, libp2p on loopback),
// the CLI as a separate process talking to each node's API, and an independent view of the
// chain through Anvil's JSON-RPC. Nothing here reaches into a node's memory.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/node/api"
)

// e2eChain is an Anvil process with SluiceChannels deployed by test account #0. Nodes use
// accounts #1 and up, so the deployer's transactions never touch their balances.
type e2eChain struct {
	url      string
	rpc      *rpc.Client
	eth      *ethclient.Client
	chainID  *big.Int
	contract common.Address
}

func startE2EChain(t *testing.T) *e2eChain {
	t.Helper()
	// anviltest fails the test (never skips) when the pinned Anvil is missing.
	url := anviltest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatalf("dial anvil %s: %v", url, err)
	}
	t.Cleanup(rc.Close)
	eth := ethclient.NewClient(rc)
	chainID, err := eth.ChainID(ctx)
	if err != nil {
		t.Fatalf("anvil chain id: %v", err)
	}
	deployer, _, err := contracts.Deploy(ctx, eth, devchain.TestAccounts()[0].Key, contracts.Options{})
	if err != nil {
		t.Fatalf("deploy SluiceChannels on anvil: %v", err)
	}
	return &e2eChain{url: url, rpc: rc, eth: eth, chainID: chainID, contract: deployer.Contract()}
}

func (c *e2eChain) ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func (c *e2eChain) balance(t *testing.T, addr common.Address) *big.Int {
	t.Helper()
	b, err := c.eth.BalanceAt(c.ctx(t), addr, nil)
	if err != nil {
		t.Fatalf("balance of %s: %v", addr, err)
	}
	return b
}

func (c *e2eChain) head(t *testing.T) uint64 {
	t.Helper()
	n, err := c.eth.BlockNumber(c.ctx(t))
	if err != nil {
		t.Fatalf("block number: %v", err)
	}
	return n
}

// advanceTime moves Anvil's clock forward and mines a block carrying the new time.
func (c *e2eChain) advanceTime(t *testing.T, d time.Duration) {
	t.Helper()
	var ignored any
	if err := c.rpc.CallContext(c.ctx(t), &ignored, "evm_increaseTime", int64(d/time.Second)); err != nil {
		t.Fatalf("evm_increaseTime: %v", err)
	}
	if err := c.rpc.CallContext(c.ctx(t), &ignored, "evm_mine"); err != nil {
		t.Fatalf("evm_mine: %v", err)
	}
}

// view reads a channel straight from the contract with a read-only client.
func (c *e2eChain) view(t *testing.T, id channel.ID) contracts.ChannelView {
	t.Helper()
	cl, err := contracts.New(c.ctx(t), c.eth, c.contract, nil, contracts.Options{})
	if err != nil {
		t.Fatalf("read-only contracts client: %v", err)
	}
	v, err := cl.Channel(c.ctx(t), id)
	if err != nil {
		t.Fatalf("read channel %s on chain: %v", id, err)
	}
	return v
}

// feesPaid sums, per sender, gasUsed × effectiveGasPrice of every transaction in blocks
// (from, to], from the receipts: the one thing besides channel payouts that moves a
// participant's ETH during a test.
func (c *e2eChain) feesPaid(t *testing.T, from, to uint64) (fees map[common.Address]*big.Int, txs map[common.Address]int) {
	t.Helper()
	fees, txs = map[common.Address]*big.Int{}, map[common.Address]int{}
	signer := types.LatestSignerForChainID(c.chainID)
	for n := from + 1; n <= to; n++ {
		block, err := c.eth.BlockByNumber(c.ctx(t), new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
		for _, tx := range block.Transactions() {
			sender, err := types.Sender(signer, tx)
			if err != nil {
				t.Fatalf("sender of %s: %v", tx.Hash(), err)
			}
			rec, err := c.eth.TransactionReceipt(c.ctx(t), tx.Hash())
			if err != nil {
				t.Fatalf("receipt of %s: %v", tx.Hash(), err)
			}
			fee := new(big.Int).Mul(new(big.Int).SetUint64(rec.GasUsed), rec.EffectiveGasPrice)
			if fees[sender] == nil {
				fees[sender] = new(big.Int)
			}
			fees[sender].Add(fees[sender], fee)
			txs[sender]++
		}
	}
	return fees, txs
}

// e2eAccount is one of Anvil's public test accounts.
type e2eAccount struct {
	keyHex string
	addr   common.Address
}

func anvilAccount(i int) e2eAccount {
	acc := devchain.TestAccounts()[i]
	return e2eAccount{keyHex: "0x" + common.Bytes2Hex(crypto.FromECDSA(acc.Key)), addr: acc.Address}
}

// e2eNode is one `sluice node` process and its datadir. It survives restarts: kill and
// start again run a new process on the same datadir and the same libp2p port.
type e2eNode struct {
	name    string
	dir     string
	acc     e2eAccount
	chain   *e2eChain
	p2pPort int
	env     []string
	// ctx ends when the test does: CLI processes still running then are killed.
	ctx context.Context

	mu     sync.Mutex
	proc   *e2eProcess
	apiURL string
	logs   bytes.Buffer // every run's stderr, for failure reports
}

// newE2ENode runs `sluice init --dev` importing test account i and records the chain in
// the datadir's config.json, as an operator would.
func newE2ENode(t *testing.T, c *e2eChain, name string, account int) *e2eNode {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	n := &e2eNode{name: name, dir: filepath.Join(t.TempDir(), name), acc: anvilAccount(account), chain: c,
		p2pPort: freeTCPPort(t), env: cliEnv(t), ctx: ctx}
	res := e2eMustRun(t, n.ctx, n.env, "--datadir", n.dir, "--json", "init", "--dev", "--key-hex", n.acc.keyHex,
		"--rpc", c.url, "--contract", c.contract.Hex())
	var out initResult
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || out.Address != n.acc.addr {
		t.Fatalf("%s: init output %q (%v), want address %s", name, res.stdout, err, n.acc.addr)
	}
	t.Cleanup(func() {
		cancel()
		n.mu.Lock()
		p := n.proc
		n.mu.Unlock()
		if p != nil {
			p.kill()
		}
		if t.Failed() {
			t.Logf("--- %s node log (last 60 lines) ---\n%s", name, lastLines(n.logText(), 60))
		}
	})
	return n
}

func (n *e2eNode) logText() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.logs.String()
}

// start runs `sluice node` (rpc and contract come from config.json) and waits for its API.
func (n *e2eNode) start(t *testing.T, peers ...string) {
	t.Helper()
	args := []string{"--datadir", n.dir, "--log-format", "json", "--log-level", "debug", "node",
		"--listen", fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", n.p2pPort), "--api-addr", "127.0.0.1:0"}
	for _, p := range peers {
		args = append(args, "--peer", p)
	}
	p, err := startE2EProcess(n.env, &n.mu, &n.logs, args...)
	if err != nil {
		t.Fatalf("%s: start node: %v", n.name, err)
	}
	n.mu.Lock()
	n.proc = p
	n.mu.Unlock()
	select {
	case url := <-p.apiURL:
		n.mu.Lock()
		n.apiURL = url
		n.mu.Unlock()
	case <-p.exited:
		t.Fatalf("%s: node exited before its API started (%v)\n%s", n.name, p.err, lastLines(n.logText(), 40))
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: node API did not start within 60s\n%s", n.name, lastLines(n.logText(), 40))
	}
}

// kill9 kills the node's process group with SIGKILL: no shutdown code runs.
func (n *e2eNode) kill9(t *testing.T) {
	t.Helper()
	n.mu.Lock()
	p := n.proc
	n.mu.Unlock()
	p.kill()
}

// stop sends SIGTERM and requires a clean exit.
func (n *e2eNode) stop(t *testing.T) {
	t.Helper()
	n.mu.Lock()
	p := n.proc
	n.mu.Unlock()
	_ = syscall.Kill(p.pid(), syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: node did not stop within 30s of SIGTERM", n.name)
	}
	if p.err != nil {
		t.Fatalf("%s: node exited with %v after SIGTERM\n%s", n.name, p.err, lastLines(n.logText(), 40))
	}
}

func (n *e2eNode) api() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.apiURL
}

// p2pAddr is the node's libp2p address with its peer id, from `sluice info`.
func (n *e2eNode) p2pAddr(t *testing.T) string {
	t.Helper()
	var info api.NodeInfo
	n.cliJSON(t, &info, "info")
	want := fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/", n.p2pPort)
	for _, a := range info.ListenAddrs {
		if strings.HasPrefix(a, want) {
			return a
		}
	}
	t.Fatalf("%s: no listen address %s... in %v", n.name, want, info.ListenAddrs)
	return ""
}

// cli runs a client command against this node's API with its token.
func (n *e2eNode) cli(args ...string) (cliResult, error) {
	return e2eRun(n.ctx, n.env, append([]string{"--datadir", n.dir, "--api", n.api()}, args...)...)
}

// mustCLI runs a client command and requires exit code 0.
func (n *e2eNode) mustCLI(t *testing.T, args ...string) cliResult {
	t.Helper()
	res, err := n.cli(args...)
	if err != nil {
		t.Fatalf("%s: sluice %v: %v", n.name, args, err)
	}
	if res.code != 0 {
		t.Fatalf("%s: sluice %v: exit %d\nstdout: %s\nstderr: %s", n.name, args, res.code, res.stdout, res.stderr)
	}
	return res
}

// cliJSON runs a client command with --json and decodes its stdout into v.
func (n *e2eNode) cliJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	res := n.mustCLI(t, append([]string{"--json"}, args...)...)
	if err := json.Unmarshal([]byte(res.stdout), v); err != nil {
		t.Fatalf("%s: sluice %v: output is not the expected JSON (%v):\n%s", n.name, args, err, res.stdout)
	}
}

// channel reads one channel through `sluice channel show --json`.
func (n *e2eNode) channel(t *testing.T, id api.ChannelID) api.Channel {
	t.Helper()
	var ch api.Channel
	n.cliJSON(t, &ch, "channel", "show", id.String())
	return ch
}

// payments reads the whole payment log of a channel through `sluice payments --json`,
// following the cursor.
func (n *e2eNode) payments(t *testing.T, id api.ChannelID) []api.Payment {
	t.Helper()
	var all []api.Payment
	cursor := ""
	for {
		args := []string{"payments", "--channel", id.String(), "--limit", "1000"}
		if cursor != "" {
			args = append(args, "--cursor", cursor)
		}
		var page api.PaymentPage
		n.cliJSON(t, &page, args...)
		all = append(all, page.Payments...)
		if page.Next == "" {
			return all
		}
		if len(page.Payments) == 0 {
			t.Fatalf("%s: payments page at cursor %q is empty but names a next cursor %q", n.name, cursor, page.Next)
		}
		cursor = page.Next
	}
}

// client dials the node's API directly, for the bulk of payments the CLI would be too
// slow for (one process per payment).
func (n *e2eNode) client(t *testing.T) *api.Client {
	t.Helper()
	token, err := api.ReadToken(api.TokenPath(n.dir))
	if err != nil {
		t.Fatal(err)
	}
	cl, err := api.Dial(context.Background(), n.api(), token)
	if err != nil {
		t.Fatalf("%s: dial API: %v", n.name, err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func (n *e2eNode) token(t *testing.T) string {
	t.Helper()
	token, err := api.ReadToken(api.TokenPath(n.dir))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// e2eProcess is one run of the sluice binary in its own process group.
type e2eProcess struct {
	cmd    *exec.Cmd
	apiURL chan string
	exited chan struct{}
	err    error
	once   sync.Once
}

func startE2EProcess(env []string, mu *sync.Mutex, logs *bytes.Buffer, args ...string) (*e2eProcess, error) {
	cmd := exec.Command(binPath, args...)
	cmd.Env = env
	// Its own group: a kill reaches everything it started, and a Ctrl-C of `go test`
	// does not race the test's own shutdown.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &e2eProcess{cmd: cmd, apiURL: make(chan string, 1), exited: make(chan struct{})}
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		found := false
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			logs.WriteString(line + "\n")
			mu.Unlock()
			if found {
				continue
			}
			var rec struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "api: listening" {
				p.apiURL <- rec.URL
				found = true
			}
		}
	}()
	go func() {
		<-scanned
		p.err = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

func (p *e2eProcess) pid() int { return p.cmd.Process.Pid }

// kill SIGKILLs the process group and waits until the process is reaped.
func (p *e2eProcess) kill() {
	p.once.Do(func() {
		_ = syscall.Kill(-p.pid(), syscall.SIGKILL)
	})
	<-p.exited
}

// e2eRun runs the sluice binary once. Unlike runCLI it is safe to call from goroutines:
// it reports instead of failing the test.
func e2eRun(parent context.Context, env []string, args ...string) (cliResult, error) {
	ctx, cancel := context.WithTimeout(parent, 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr) && ctx.Err() == nil:
		res.code = exitErr.ExitCode()
	case err != nil:
		return res, fmt.Errorf("sluice %v: %w (stderr %q)", args, err, res.stderr)
	}
	for _, marker := range []string{"goroutine ", "panic:", ".go:"} {
		if strings.Contains(res.stderr, marker) {
			return res, fmt.Errorf("sluice %v: stderr looks like a stack trace (%q):\n%s", args, marker, res.stderr)
		}
	}
	return res, nil
}

func e2eMustRun(t *testing.T, ctx context.Context, env []string, args ...string) cliResult {
	t.Helper()
	res, err := e2eRun(ctx, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	if res.code != 0 {
		t.Fatalf("sluice %v: exit %d\nstderr: %s", args, res.code, res.stderr)
	}
	return res
}

// freeTCPPort returns a loopback port that was free a moment ago. A node keeps its libp2p
// port across restarts so its partner's redial finds it again. The port comes from below
// Linux's ephemeral range (32768-60999), so no outgoing connection or ":0" listener (Anvil,
// the API) can be handed it between the check and the node's bind, or while a killed node
// is down.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	for range 100 {
		port := 20000 + rand.IntN(12000)
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		ln.Close()
		return port
	}
	t.Fatal("no free TCP port in 20000-31999 after 100 tries")
	return 0
}

// waitUntil polls cond until it holds or the timeout passes.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

func bigSum(xs ...*big.Int) *big.Int {
	s := new(big.Int)
	for _, x := range xs {
		s.Add(s, x)
	}
	return s
}

// openChannelCLI opens an ETH channel from a to b through `sluice channel open` and waits
// until both nodes list it as open with a's deposit.
func openChannelCLI(t *testing.T, a, b *e2eNode, deposit *big.Int, period time.Duration) api.ChannelID {
	t.Helper()
	var ch api.Channel
	a.cliJSON(t, &ch, "channel", "open", "--challenge-period", period.String(), b.p2pAddr(t), deposit.String())
	if ch.Status != "open" || ch.Us != "A" || ch.Partner != b.acc.addr || ch.Deposit[0].Big().Cmp(deposit) != 0 {
		t.Fatalf("channel open returned %+v", ch)
	}
	waitUntil(t, 30*time.Second, b.name+" to know the channel", func() bool {
		res, err := b.cli("--json", "channel", "show", ch.ID.String())
		return err == nil && res.code == 0 && strings.Contains(res.stdout, `"open"`)
	})
	return ch.ID
}

// depositCLI tops up n's side through `sluice channel deposit` and waits until both
// nodes see the new total.
func depositCLI(t *testing.T, n, partner *e2eNode, id api.ChannelID, amount *big.Int) {
	t.Helper()
	var res api.TxResult
	n.cliJSON(t, &res, "channel", "deposit", id.String(), amount.String())
	if res.TxHash == (common.Hash{}) || res.GasUsed == 0 {
		t.Fatalf("deposit result %+v", res)
	}
	for _, x := range []*e2eNode{n, partner} {
		waitUntil(t, 30*time.Second, x.name+" to see the deposit", func() bool {
			ch := x.channel(t, id)
			return ch.Deposit[0].Big().Sign() > 0 && ch.Deposit[1].Big().Cmp(amount) == 0
		})
	}
}

// checkLedger requires that a node's payment log of one channel is a consistent ledger:
// per direction, nonces strictly increase, each amount is the step of the cumulative
// transferred, and the sum matches the latest proof of that direction.
func checkLedger(t *testing.T, who string, ps []api.Payment) (sent, received *big.Int) {
	t.Helper()
	sent, received = new(big.Int), new(big.Int)
	last := map[string]api.Proof{}
	for _, p := range ps {
		prev := last[p.Direction]
		if prev.Transferred.Big() == nil {
			prev.Transferred = api.NewAmount(new(big.Int))
		}
		if p.Proof.Nonce <= prev.Nonce {
			t.Fatalf("%s: %s payment %s has nonce %d after %d", who, p.Direction, p.PaymentID, p.Proof.Nonce, prev.Nonce)
		}
		step := new(big.Int).Sub(p.Proof.Transferred.Big(), prev.Transferred.Big())
		if step.Cmp(p.Amount.Big()) != 0 || step.Sign() <= 0 {
			t.Fatalf("%s: %s payment %s amount %s, but transferred went %s -> %s", who, p.Direction, p.PaymentID,
				p.Amount, prev.Transferred, p.Proof.Transferred)
		}
		last[p.Direction] = p.Proof
		switch p.Direction {
		case "sent":
			sent.Add(sent, p.Amount.Big())
		case "received":
			received.Add(received, p.Amount.Big())
		default:
			t.Fatalf("%s: payment %s has direction %q", who, p.PaymentID, p.Direction)
		}
	}
	return sent, received
}

func decodeJSON(s string, v any) error {
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("decode %q: %w", lastLines(s, 5), err)
	}
	return nil
}
