package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
