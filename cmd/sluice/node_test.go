package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/node/api"
)

// anvilKey1 is Anvil's public test account #1, used as the node's identity.
const (
	anvilKey1  = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
	anvilAddr1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
)

func startDevchain(t *testing.T) (*devchain.Chain, string) {
	t.Helper()
	chain, err := devchain.New(devchain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = chain.Close() })
	url, _, err := chain.Serve(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return chain, url
}

// waitForAPI reads the node's JSON log until the API server reports its URL.
func waitForAPI(t *testing.T, d *daemon) string {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case line, ok := <-d.lines:
			if !ok {
				t.Fatalf("node exited before its API started\nstderr:\n%s", d.stderrText())
			}
			var rec struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "api: listening" {
				return rec.URL
			}
		case <-deadline:
			t.Fatalf("node API did not start in 60s\nstderr:\n%s", d.stderrText())
		}
	}
}

func TestNodeServesAuthenticatedAPIAndStopsOnSIGTERM(t *testing.T) {
	t.Parallel()
	chain, rpcURL := startDevchain(t)
	dir := filepath.Join(t.TempDir(), "node")
	env := cliEnv(t)
	if res := runCLI(t, env, "--datadir", dir, "init", "--dev", "--key-hex", anvilKey1); res.code != 0 {
		t.Fatalf("init: %d %s", res.code, res.stderr)
	}
	d, stdout := startDaemon(t, env, "--datadir", dir, "--log-format", "json", "node",
		"--rpc", rpcURL, "--contract", chain.Contract().Hex(),
		"--listen", "/ip4/127.0.0.1/tcp/0", "--api-addr", "127.0.0.1:0")
	apiURL := waitForAPI(t, d)
	// Issue 21, finding 9: the peer address a partner needs is printed plainly.
	printed := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(stdout)
		for !strings.Contains(b.String(), "api:") && sc.Scan() {
			b.WriteString(sc.Text() + "\n")
		}
		printed <- b.String()
	}()
	select {
	case out := <-printed:
		if !strings.Contains(out, "peer address: /ip4/127.0.0.1/tcp/") || !strings.Contains(out, "/p2p/") || !strings.Contains(out, anvilAddr1) {
			t.Fatalf("node's start banner lacks its peer address:\n%s", out)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the node printed no start banner on stdout")
	}
	if strings.Contains(d.stderrText(), mustReadToken(t, dir)) {
		t.Fatal("the node logged its API token")
	}

	res := runCLI(t, env, "--datadir", dir, "--api", apiURL, "--json", "info")
	if res.code != 0 {
		t.Fatalf("info: %d %s", res.code, res.stderr)
	}
	var info api.NodeInfo
	if err := json.Unmarshal([]byte(res.stdout), &info); err != nil {
		t.Fatal(err)
	}
	if info.Address.Hex() != anvilAddr1 || info.ChainID.Int64() != 31337 || info.Contract != chain.Contract() {
		t.Fatalf("info %+v", info)
	}
	// Issue 21, finding 6: without --api, a datadir's client commands reach the node running
	// on that datadir (here on a random port), not whatever listens on the config's default.
	res = runCLI(t, env, "--datadir", dir, "--json", "info")
	if res.code != 0 || !strings.Contains(strings.ToLower(res.stdout), strings.ToLower(anvilAddr1)) {
		t.Fatalf("info with only --datadir: %d %q %q", res.code, res.stdout, res.stderr)
	}
	res = runCLI(t, env, "--datadir", dir, "--api", apiURL, "channel", "list")
	if res.code != 0 || !strings.Contains(res.stdout, "no channels") {
		t.Fatalf("channel list: %d %q %q", res.code, res.stdout, res.stderr)
	}

	otherToken := filepath.Join(t.TempDir(), "other")
	if _, err := api.LoadOrCreateToken(otherToken); err != nil {
		t.Fatal(err)
	}
	res = runCLI(t, env, "--api", apiURL, "--api-token-file", api.TokenPath(otherToken), "info")
	if res.code != exitFailure || !strings.Contains(res.stderr, "unauthorized") {
		t.Fatalf("wrong token: %d %q", res.code, res.stderr)
	}

	req, _ := http.NewRequest(http.MethodGet, apiURL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+mustReadToken(t, dir))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "go_goroutines") {
		t.Fatalf("metrics: %d\n%.300s", resp.StatusCode, body)
	}

	d.stop(t, syscall.SIGTERM, 30*time.Second)
}

func mustReadToken(t *testing.T, dir string) string {
	t.Helper()
	token, err := api.ReadToken(api.TokenPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// Issue 21, finding 5: `node --contract 0x...0001` (no code there) started and logged
// "node running".
func TestNodeRefusesToStartOnAnAddressWithoutTheContract(t *testing.T) {
	t.Parallel()
	_, rpcURL := startDevchain(t)
	dir := filepath.Join(t.TempDir(), "node")
	env := cliEnv(t)
	if res := runCLI(t, env, "--datadir", dir, "init", "--dev", "--key-hex", anvilKey1); res.code != 0 {
		t.Fatalf("init: %d %s", res.code, res.stderr)
	}
	res := runCLI(t, env, "--datadir", dir, "node", "--rpc", rpcURL, "--contract", "0x0000000000000000000000000000000000000001",
		"--listen", "/ip4/127.0.0.1/tcp/0", "--api-addr", "127.0.0.1:0")
	if res.code != exitFailure || !strings.Contains(res.stderr, "no contract at 0x0000000000000000000000000000000000000001") ||
		strings.Contains(res.stderr, "node running") {
		t.Fatalf("node on an empty address: exit %d\n%s", res.code, res.stderr)
	}
}

// Issue 21, finding 4: the node's hint "run 'sluice init --datadir ./fresh' first" failed
// with "flag provided but not defined: -datadir". The hint must be a command that works.
func TestMissingKeyHintIsACommandThatWorks(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "fresh")
	env := cliEnv(t, "SLUICE_PASSWORD=correct horse", "SLUICE_LIGHT_KDF=true")
	res := runCLI(t, env, "--datadir", dir, "node", "--rpc", "http://127.0.0.1:1", "--contract", anvilAddr0)
	_, hint, found := strings.Cut(res.stderr, "run '")
	hint, _, closed := strings.Cut(hint, "'")
	if res.code == 0 || !found || !closed || !strings.HasPrefix(hint, "sluice ") {
		t.Fatalf("node without a key: exit %d, no quoted command in %q", res.code, res.stderr)
	}
	if res := runCLI(t, env, strings.Fields(hint)[1:]...); res.code != 0 {
		t.Fatalf("the suggested %q: exit %d %s", hint, res.code, res.stderr)
	}
}
