package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// anvilKey2 is Anvil's public test account #2: the tower's identity and gas account.
const anvilKey2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"

// waitForLog reads a daemon's JSON log until a record with message msg, and returns it.
func waitForLog(t *testing.T, d *daemon, msg string) map[string]any {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case line, ok := <-d.lines:
			if !ok {
				t.Fatalf("process exited before logging %q\nstderr:\n%s", msg, d.stderrText())
			}
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
				return rec
			}
		case <-deadline:
			t.Fatalf("no %q in 60s\nstderr:\n%s", msg, d.stderrText())
		}
	}
}

func TestTowerCommandPrintsItsMultiaddrServesNodesAndMetrics(t *testing.T) {
	t.Parallel()
	chain, rpcURL := startDevchain(t)
	env := cliEnv(t)
	towerDir := filepath.Join(t.TempDir(), "tower")
	if res := runCLI(t, env, "--datadir", towerDir, "init", "--dev", "--key-hex", anvilKey2); res.code != 0 {
		t.Fatalf("init tower: %d %s", res.code, res.stderr)
	}
	tw, stdout := startDaemon(t, env, "--datadir", towerDir, "--log-format", "json", "tower",
		"--rpc", rpcURL, "--contract", chain.Contract().Hex(),
		"--listen", "/ip4/127.0.0.1/tcp/0", "--metrics-addr", "127.0.0.1:0", "--poll-interval", "100ms")
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var addr string
	select {
	case addr = <-lines:
	case <-time.After(60 * time.Second):
		t.Fatalf("tower printed no multiaddr\nstderr:\n%s", tw.stderrText())
	}
	if !strings.HasPrefix(addr, "/ip4/127.0.0.1/tcp/") || !strings.Contains(addr, "/p2p/") {
		t.Fatalf("tower printed %q, want a dialable multiaddr", addr)
	}
	metricsURL, _ := waitForLog(t, tw, "tower metrics")["url"].(string)

	nodeDir := filepath.Join(t.TempDir(), "node")
	if res := runCLI(t, env, "--datadir", nodeDir, "init", "--dev", "--key-hex", anvilKey1); res.code != 0 {
		t.Fatalf("init node: %d %s", res.code, res.stderr)
	}
	n, _ := startDaemon(t, env, "--datadir", nodeDir, "--log-format", "json", "node",
		"--rpc", rpcURL, "--contract", chain.Contract().Hex(),
		"--listen", "/ip4/127.0.0.1/tcp/0", "--api-addr", "127.0.0.1:0", "--tower", addr)
	// A node with no channels has nothing to register: it connects once there is.
	waitForAPI(t, n)

	resp, err := http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"sluice_tower_proofs 0", `sluice_tower_registrations_total{result="not_receiver"} 0`, `sluice_tower_defenses_total{outcome="succeeded"} 0`} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("metrics lack %q:\n%.2000s", want, body)
		}
	}
	n.stop(t, syscall.SIGTERM, 30*time.Second)
	tw.stop(t, syscall.SIGTERM, 30*time.Second)
}

func TestNodeRefusesATowerAddressWithoutPeerID(t *testing.T) {
	t.Parallel()
	chain, rpcURL := startDevchain(t)
	env := cliEnv(t)
	dir := filepath.Join(t.TempDir(), "node")
	if res := runCLI(t, env, "--datadir", dir, "init", "--dev", "--key-hex", anvilKey1); res.code != 0 {
		t.Fatalf("init: %d %s", res.code, res.stderr)
	}
	res := runCLI(t, env, "--datadir", dir, "node", "--rpc", rpcURL, "--contract", chain.Contract().Hex(),
		"--listen", "/ip4/127.0.0.1/tcp/0", "--api-addr", "127.0.0.1:0", "--tower", "/ip4/127.0.0.1/tcp/7422")
	if res.code == 0 || !strings.Contains(res.stderr, "tower multiaddr") {
		t.Fatalf("code %d stderr %q, want a clear refusal of the tower address", res.code, res.stderr)
	}
}
