package main

import (
	"context"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node"
)

func TestBadChannelPolicyFlagsExitWithUsageCode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(cfg, []byte(`{"min-challenge-period": "soon"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	nodeArgs := func(extra ...string) []string {
		return append([]string{"--datadir", dir, "node", "--rpc", "http://127.0.0.1:1", "--contract", anvilAddr0}, extra...)
	}
	tests := []struct {
		name    string
		env     []string
		args    []string
		wantMsg string
	}{
		{"fractional minimum", nil, nodeArgs("--min-challenge-period", "1500ms"), "whole number of seconds from 1s to 720h0m0s"},
		{"minimum below the contract's", nil, nodeArgs("--min-challenge-period", "0s"), "whole number of seconds"},
		{"maximum above the contract's", nil, nodeArgs("--max-challenge-period", "800h"), "whole number of seconds"},
		{"minimum above maximum", nil, nodeArgs("--min-challenge-period", "2h", "--max-challenge-period", "1h", "--challenge-period", "1h"), "--min-challenge-period 2h0m0s exceeds --max-challenge-period 1h0m0s"},
		{"own period above the maximum", nil, nodeArgs("--max-challenge-period", "2h"), "the node would refuse its own channels"},
		{"own period below the minimum", nil, nodeArgs("--min-challenge-period", "48h"), "the node would refuse its own channels"},
		{"bad token", nil, nodeArgs("--accept-token", "usdc"), `--accept-token "usdc" is neither`},
		{"negative minimum deposit", nil, nodeArgs("--min-deposit", "-5"), "--min-deposit"},
		{"fractional minimum deposit", nil, nodeArgs("--min-deposit", "1.5"), "fractional"},
		{"negative channels per peer", nil, nodeArgs("--max-channels-per-peer", "-1"), "negative"},
		{"bad env value", []string{"SLUICE_MIN_DEPOSIT=lots"}, nodeArgs(), "--min-deposit"},
		{"bad config value", nil, append([]string{"--config", cfg}, nodeArgs()...), `key "min-challenge-period"`},
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

// runPolicyFlags parses args and the environment as `sluice node` would and returns the
// policy it builds.
func runPolicyFlags(t *testing.T, args ...string) (node.OpenPolicy, error) {
	t.Helper()
	var got node.OpenPolicy
	app := &cli.App{
		Name: "t", Writer: io.Discard, ErrWriter: io.Discard, ExitErrHandler: func(*cli.Context, error) {},
		Flags: append(channelPolicyFlags(), &cli.DurationFlag{Name: flagChallengePeriod, Value: node.DefaultChallengePeriod}),
		Action: func(c *cli.Context) error {
			var err error
			got, err = channelPolicy(c, c.Duration(flagChallengePeriod))
			return err
		},
	}
	err := app.RunContext(context.Background(), append([]string{"t"}, args...))
	return got, err
}

func TestChannelPolicyFlagsAndEnvBuildThePolicy(t *testing.T) {
	token := "0x00000000000000000000000000000000000000e2"
	t.Setenv("SLUICE_MIN_DEPOSIT", "1000")
	p, err := runPolicyFlags(t, "--min-challenge-period", "2h", "--max-challenge-period", "48h",
		"--accept-token", "eth", "--accept-token", token, "--max-channels-per-peer", "3")
	if err != nil {
		t.Fatal(err)
	}
	want := node.OpenPolicy{
		MinChallengePeriod: 2 * time.Hour, MaxChallengePeriod: 48 * time.Hour,
		AcceptTokens: []common.Address{{}, common.HexToAddress(token)}, MinDeposit: big.NewInt(1000), MaxChannelsPerPeer: 3,
	}
	if p.MinChallengePeriod != want.MinChallengePeriod || p.MaxChallengePeriod != want.MaxChallengePeriod ||
		len(p.AcceptTokens) != 2 || p.AcceptTokens[0] != want.AcceptTokens[0] || p.AcceptTokens[1] != want.AcceptTokens[1] ||
		p.MinDeposit.Cmp(want.MinDeposit) != 0 || p.MaxChannelsPerPeer != 3 {
		t.Fatalf("policy %+v, want %+v", p, want)
	}

	// Left unset, the node picks the chain's defaults: zero values here.
	t.Setenv("SLUICE_MIN_DEPOSIT", "")
	p, err = runPolicyFlags(t)
	if err != nil || p.MinChallengePeriod != 0 || p.MaxChallengePeriod != 0 || p.AcceptTokens != nil || p.MinDeposit != nil {
		t.Fatalf("defaults: %+v %v", p, err)
	}
}
