package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/api"
	"github.com/sluicepay/sluice/node/risk"
)

// startRiskAPI serves the stub node behind a risk engine opened the way the daemon opens it.
func startRiskAPI(t *testing.T, datadir string) *api.Server {
	t.Helper()
	token, err := api.LoadOrCreateToken(datadir)
	if err != nil {
		t.Fatal(err)
	}
	b := &stubBackend{}
	eng, stop, err := openNodeRisk(context.Background(), datadir, b, prometheus.NewRegistry(), slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.NewServer(b, api.Config{Addr: "127.0.0.1:0", Token: token, Risk: eng})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Stop(ctx)
		if err := stop(); err != nil {
			t.Errorf("stop risk: %v", err)
		}
	})
	return srv
}

func TestRiskCommandsThroughTheAPI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv := startRiskAPI(t, dir)
	env := cliEnv(t, "SLUICE_DATADIR="+dir, "SLUICE_API="+srv.URL())

	res := runCLI(t, env, "risk", "set-client", "--json", "--profile", "service", "--daily-cap", "150", "--new-token", "game")
	if res.code != 0 {
		t.Fatalf("set-client: %d %s", res.code, res.stderr)
	}
	var set struct {
		Token  string            `json:"token"`
		Config risk.ClientConfig `json:"config"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &set); err != nil || len(set.Token) != 64 || set.Config.DailyCap != risk.AmountFromUint64(150) {
		t.Fatalf("set-client output %q: %v", res.stdout, err)
	}
	tokenFile := filepath.Join(t.TempDir(), "game.token")
	if err := os.WriteFile(tokenFile, []byte(set.Token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	game := append(env[:len(env):len(env)], "SLUICE_API_TOKEN_FILE="+tokenFile)
	if res := runCLI(t, game, "pay", stubChannelHex, "100"); res.code != 0 {
		t.Fatalf("game pays within its cap: %d %s", res.code, res.stderr)
	}
	res = runCLI(t, game, "pay", stubChannelHex, "100")
	if res.code != exitFailure || !strings.Contains(res.stderr, "daily_cap") {
		t.Fatalf("game past its cap: code %d stderr %q", res.code, res.stderr)
	}
	if res := runCLI(t, game, "risk", "set-client", "--daily-cap", "1000000", "game"); res.code != exitFailure || !strings.Contains(res.stderr, "forbidden") {
		t.Fatalf("client raising its own cap: code %d stderr %q", res.code, res.stderr)
	}

	// The admin raises the cap with a flag; the client's token keeps working.
	if res := runCLI(t, env, "risk", "set-client", "--daily-cap", "1000", "game"); res.code != 0 {
		t.Fatalf("admin raising the cap: %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, game, "pay", stubChannelHex, "100"); res.code != 0 {
		t.Fatalf("game pays under its raised cap: %d %s", res.code, res.stderr)
	}
	// Scoped to another channel, the token cannot pay on this one; unscoped again, it can.
	other := "0x" + strings.Repeat("e1", 32)
	if res := runCLI(t, env, "risk", "set-client", "--pay-channels", other, "--read", "own", "game"); res.code != 0 {
		t.Fatalf("admin scoping the client: %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, game, "pay", stubChannelHex, "1"); res.code != exitFailure || !strings.Contains(res.stderr, "out_of_scope") {
		t.Fatalf("game paying outside its scope: code %d stderr %q", res.code, res.stderr)
	}
	if res := runCLI(t, env, "risk", "set-client", "--read", "everything", "game"); res.code == 0 {
		t.Fatal("--read everything was accepted")
	}
	if res := runCLI(t, env, "risk", "set-client", "--pay-channels", "", "game"); res.code != 0 {
		t.Fatalf("admin unscoping the client: %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, game, "pay", stubChannelHex, "1"); res.code != 0 {
		t.Fatalf("game pays on any channel again: %d %s", res.code, res.stderr)
	}

	res = runCLI(t, env, "risk", "events", "--client", "game")
	if res.code != 0 || !strings.Contains(res.stdout, "decline") || !strings.Contains(res.stdout, "daily_cap") || !strings.Contains(res.stdout, "approve") {
		t.Fatalf("risk events: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	dev := common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
	if res := runCLI(t, env, "risk", "register-device", "--client", "game", dev.Hex()); res.code != 0 {
		t.Fatalf("register-device: %d %s", res.code, res.stderr)
	}
	res = runCLI(t, env, "risk", "clients")
	if res.code != 0 || !strings.Contains(res.stdout, "game") || !strings.Contains(res.stdout, dev.Hex()) || !strings.Contains(res.stdout, "201") {
		t.Fatalf("risk clients: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := runCLI(t, env, "risk", "events", "--outcome", "maybe"); res.code != exitUsage {
		t.Fatalf("bad --outcome: code %d", res.code)
	}
}

// TestRiskStateSurvivesDaemonRestart opens the risk engine as the daemon does, spends,
// stops it, and checks a reopened engine still holds the spend against the cap.
func TestRiskStateSurvivesDaemonRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := `{"clients":{"w":{"profile":"service","dailyCap":"100"}}}`
	if err := os.WriteFile(filepath.Join(dir, riskConfigFile), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	domain := channel.Domain{ChainID: big.NewInt(31337), Contract: stubContract}
	req := risk.Request{Client: "w", Channel: stubChannel, Counterparty: stubPartner, Amount: big.NewInt(60)}
	for i, want := range []risk.Outcome{risk.Approve, risk.Decline} {
		eng, stop, err := openRisk(context.Background(), dir, domain, prometheus.NewRegistry(), slog.New(slog.DiscardHandler), nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := eng.Decide(req); d.Outcome != want {
			t.Fatalf("run %d: %s %v, want %s", i, d.Outcome, d.Reasons.Strings(), want)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, riskConfigFile), []byte(`{"clients":{"w":{"daily_cap":"1"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := openRisk(context.Background(), dir, domain, prometheus.NewRegistry(), slog.New(slog.DiscardHandler), nil); err == nil || !strings.Contains(err.Error(), riskConfigFile) {
		t.Fatalf("broken risk.json: %v", err)
	}
}
