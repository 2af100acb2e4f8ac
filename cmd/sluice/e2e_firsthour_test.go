package main

import (
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/api"
)

// firstLine is the first line of a command's stderr, where the CLI puts its one error.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestE2EFirstHourErrorsSayWhatHappened is issue 21 (findings 2 and 9) through the CLI
// against real nodes on Anvil: each mistake a new operator made gets exit code 1 and a
// first line that says what happened and what to do, never "internal error".
func TestE2EFirstHourErrorsSayWhatHappened(t *testing.T) {
	t.Parallel()
	chain := startE2EChain(t)
	alice, bob := newE2ENode(t, chain, "alice", 5), newE2ENode(t, chain, "bob", 6)
	// alice reaches the chain through a proxy the test can take down.
	var chainDown atomic.Bool
	target, err := url.Parse(chain.url)
	if err != nil {
		t.Fatal(err)
	}
	forward := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if chainDown.Load() {
			http.Error(w, "chain down", http.StatusServiceUnavailable)
			return
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	setConfigKey(t, alice.dir, "rpc", proxy.URL)
	bob.start(t)
	alice.start(t)
	id := openChannelCLI(t, alice, bob, ether(1), time.Hour)
	alice.mustCLI(t, "pay", id.String(), "1000")
	maxAmount := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1)).String()

	cases := []struct {
		name string
		args []string
		want []string // in the first line of stderr
		not  []string
	}{
		// Finding 2: -32603 internal before.
		{"open with more ETH than the account holds", []string{"channel", "open", bob.p2pAddr(t), ether(20_000).String()},
			[]string{"insufficient funds", "holds", "needs 20000.", "more"}, []string{"internal"}},
		// Finding 2: the payer said invalid_params ("exceeds 2^128-1") while the payee
		// calls the same proof an overdraft.
		{"pay 2^128-1 after an earlier payment", []string{"pay", id.String(), maxAmount},
			[]string{"insufficient balance", "spendable"}, []string{"invalid", "2^128"}},
		// Finding 9: "pay: pay on channel X: channel X: ..." said the channel twice.
		{"overdraft names the channel once", []string{"pay", id.String(), ether(2).String()},
			[]string{"sluice: error: pay on channel " + id.String() + ": ", "insufficient balance"}, []string{"pay: pay", "channel " + id.String() + ": channel"}},
	}
	for _, tc := range cases {
		res, err := alice.cli(tc.args...)
		if err != nil {
			t.Fatal(err)
		}
		line := firstLine(res.stderr)
		t.Logf("%s: exit %d: %s", tc.name, res.code, line)
		if res.code != exitFailure {
			t.Errorf("%s: exit %d, want %d\n%s", tc.name, res.code, exitFailure, res.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(line, w) {
				t.Errorf("%s: first line %q does not say %q", tc.name, line, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(line, n) {
				t.Errorf("%s: first line %q says %q", tc.name, line, n)
			}
		}
		if strings.Count(line, id.String()) > 1 {
			t.Errorf("%s: first line %q names the channel twice", tc.name, line)
		}
	}

	// The same through the API: codes and kinds, not -32603.
	url, bearer := alice.api(), "Bearer "+alice.token(t)
	r := rawRPC(t, url, bearer, rpcBody("sluice_openChannel", map[string]any{"peer": bob.p2pAddr(t), "deposit": ether(20_000).String()}))
	if r.Error == nil || r.Error.Code != api.CodeInsufficientFunds || r.Error.Data.Kind != "insufficient_funds" {
		t.Errorf("API open beyond the balance: %+v, want %d insufficient_funds", r.Error, api.CodeInsufficientFunds)
	}
	r = rawRPC(t, url, bearer, rpcBody("sluice_pay", map[string]any{"channel": id.String(), "amount": maxAmount}))
	if r.Error == nil || r.Error.Code != api.CodeOverdraft || r.Error.Data.Kind != "overdraft" {
		t.Errorf("API pay of 2^128-1: %+v, want %d overdraft", r.Error, api.CodeOverdraft)
	}

	// Finding 2: with the chain down, open and deposit were -32603 internal.
	chainDown.Store(true)
	for _, args := range [][]string{
		{"channel", "open", bob.p2pAddr(t), "1000"},
		{"channel", "deposit", id.String(), "1000"},
	} {
		res, err := alice.cli(args...)
		if err != nil {
			t.Fatal(err)
		}
		line := firstLine(res.stderr)
		t.Logf("%v with the chain down: exit %d: %s", args[:2], res.code, line)
		if res.code != exitFailure || !strings.Contains(line, "chain RPC unavailable") || !strings.Contains(line, "retry when the chain is back") || strings.Contains(line, "internal") {
			t.Errorf("%v with the chain down: exit %d, first line %q; want 1 and chain RPC unavailable", args, res.code, line)
		}
	}
	r = rawRPC(t, url, bearer, rpcBody("sluice_deposit", id.String(), "1000"))
	if r.Error == nil || r.Error.Code != api.CodeChainUnavailable || r.Error.Data.Kind != "chain_unavailable" {
		t.Errorf("API deposit with the chain down: %+v, want %d chain_unavailable", r.Error, api.CodeChainUnavailable)
	}
	chainDown.Store(false)

	// Finding 9: a second node on bob's port printed libp2p's fx errors in another format.
	clash := newE2ENode(t, chain, "clash", 7)
	res, err := e2eRun(clash.ctx, clash.env, "--datadir", clash.dir, "node",
		"--listen", "/ip4/127.0.0.1/tcp/"+itoa(bob.p2pPort), "--api-addr", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	line := firstLine(res.stderr)
	t.Logf("node on a port in use: exit %d: %s", res.code, line)
	if res.code != exitFailure || !strings.HasPrefix(line, "sluice: error: ") || !strings.Contains(line, "address already in use") ||
		!strings.Contains(line, "--listen") || strings.Contains(res.stderr, "fx") || strings.Count(res.stderr, "address already in use") != 1 {
		t.Errorf("node on a port in use: exit %d, stderr:\n%s\nwant exit 1 and one line naming the address and --listen", res.code, res.stderr)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// setConfigKey sets one key of a datadir's config.json, as an operator editing it would.
func setConfigKey(t *testing.T, dir, key, value string) {
	t.Helper()
	path := filepath.Join(dir, ConfigFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{}
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	cfg[key] = value
	if b, err = json.MarshalIndent(cfg, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
