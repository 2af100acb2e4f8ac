package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/api"
	"github.com/sluicepay/sluice/routing"
)

// TestRouteAndFeeFlagsBadInputIsUsageError: `sluice route` and the fee flags of `sluice
// node` refuse bad input with exit code 2 and a message naming it, before any call.
func TestRouteAndFeeFlagsBadInputIsUsageError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	payee := "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
	node := []string{"--datadir", dir, "node", "--rpc", "http://127.0.0.1:1", "--contract", anvilAddr0}
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"fee-base": "12", "fee-ppm": 1000001}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     []string
		args    []string
		wantMsg string
	}{
		{"route without amount", nil, []string{"route", "--to", payee}, "takes 1 argument(s)"},
		{"route without to", nil, []string{"route", "5"}, "--to ADDRESS is required"},
		{"route bad to", nil, []string{"route", "--to", "merchant", "5"}, "not a 0x address"},
		{"route zero amount", nil, []string{"route", "--to", payee, "0"}, "greater than zero"},
		{"route negative amount", nil, []string{"route", "--to", payee, "--", "-5"}, "negative"},
		{"route fractional amount", nil, []string{"route", "--to", payee, "1.5"}, "fractional"},
		{"route bad max fee", nil, []string{"route", "--to", payee, "--max-fee", "lots", "5"}, "--max-fee"},
		{"route negative max fee", nil, []string{"route", "--to", payee, "--max-fee", "-1", "5"}, "--max-fee"},
		{"route bad token", nil, []string{"route", "--to", payee, "--token", "usdc", "5"}, "--token"},
		{"route two amounts", nil, []string{"route", "--to", payee, "5", "6"}, "takes 1 argument(s)"},
		{"node fee ppm above 100%", nil, append(node, "--fee-ppm", "1000001"), "--fee-ppm"},
		{"node negative fee ppm", nil, append(node, "--fee-ppm", "-1"), "--fee-ppm"},
		{"node negative fee base", nil, append(node, "--fee-base", "-5"), "--fee-base"},
		{"node fractional fee base", nil, append(node, "--fee-base", "0.5"), "--fee-base"},
		{"node fee ppm from env", []string{"SLUICE_FEE_PPM=2000000"}, node, "--fee-ppm"},
		{"node fee ppm from config.json", nil, append([]string{"--config", cfg}, node...), "--fee-ppm 1000001"},
		{"node reveal margin zero", nil, append(node, "--reveal-margin", "0s"), "--reveal-margin 0s must be a whole number of seconds from 1s to 24h"},
		{"node reveal margin fractional", nil, append(node, "--reveal-margin", "1500ms"), "--reveal-margin 1.5s"},
		{"node reveal margin above a day", nil, append(node, "--reveal-margin", "25h"), "--reveal-margin 25h0m0s"},
		{"node reveal margin negative", nil, append(node, "--reveal-margin", "-5s"), "--reveal-margin -5s"},
		{"node reveal margin not a duration", nil, append(node, "--reveal-margin", "600"), "reveal-margin"},
		{"node reveal margin from env", []string{"SLUICE_REVEAL_MARGIN=100ms"}, node, "--reveal-margin 100ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, cliEnv(t, tt.env...), tt.args...)
			if res.code != exitUsage {
				t.Fatalf("sluice %v: exit %d, want %d\nstderr: %s", tt.args, res.code, exitUsage, res.stderr)
			}
			if !strings.Contains(res.stderr, tt.wantMsg) {
				t.Fatalf("sluice %v: stderr %q does not mention %q", tt.args, res.stderr, tt.wantMsg)
			}
		})
	}
}

var stubMerchant = common.HexToAddress("0x000000000000000000000000000000000000c0de")

// QuoteRoute makes the stub a route quoter: stubUs -> stubPartner (a hub charging 10 wei)
// -> stubMerchant; anyone else is unreachable.
func (s *stubBackend) QuoteRoute(_ context.Context, req node.RouteRequest) (routing.Route, error) {
	if req.To != stubMerchant {
		return routing.Route{}, fmt.Errorf("quote route to %s: %w", req.To, routing.ErrNoRoute)
	}
	fee := big.NewInt(10)
	if req.MaxFee != nil && req.MaxFee.Cmp(fee) < 0 {
		return routing.Route{}, fmt.Errorf("quote route to %s: %w", req.To, &routing.FeeTooHighError{Fee: fee, MaxFee: req.MaxFee})
	}
	total := new(big.Int).Add(req.Amount, fee)
	return routing.Route{
		Hops: []routing.Hop{
			{Channel: stubChannel, From: stubUs, To: stubPartner, Amount: total, Fee: new(big.Int)},
			{Channel: channel.ID{0x43}, From: stubPartner, To: stubMerchant, Amount: req.Amount, Fee: fee},
		},
		Amount: req.Amount, Fee: fee, Total: total,
	}, nil
}

func TestRouteQuotesThroughTheAPI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	srv, _ := startStubAPI(t, dir)
	env := cliEnv(t, "SLUICE_DATADIR="+dir, "SLUICE_API="+srv.URL())

	res := runCLI(t, env, "route", "--to", stubMerchant.Hex(), "1000")
	if res.code != 0 || !strings.Contains(res.stdout, "2 hop(s)") || !strings.Contains(res.stdout, "payee receives 1000, fee 10, you lock 1010") {
		t.Fatalf("route: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = runCLI(t, env, "route", "--json", "--to", stubMerchant.Hex(), "--max-fee", "10", "1000")
	var q api.RouteQuote
	if res.code != 0 || json.Unmarshal([]byte(res.stdout), &q) != nil || len(q.Hops) != 2 || q.Total.String() != "1010" {
		t.Fatalf("route --json: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = runCLI(t, env, "route", "--to", stubMerchant.Hex(), "--max-fee", "9", "1000")
	if res.code != exitFailure || !strings.Contains(res.stderr, "above maxFee") {
		t.Fatalf("route above --max-fee: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = runCLI(t, env, "route", "--to", stubPartner.Hex()[:2]+"00000000000000000000000000000000000000ff", "1000")
	if res.code != exitFailure || !strings.Contains(res.stderr, "no route") {
		t.Fatalf("route to a stranger: %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}
