package main

import (
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/node"
)

// TestForwardFlagsBadInputIsUsageError: the forwarding flags of `sluice node` refuse bad
// input with exit code 2 and a message naming the flag, before the node starts.
func TestForwardFlagsBadInputIsUsageError(t *testing.T) {
	t.Parallel()
	nodeArgs := []string{"--datadir", t.TempDir(), "node", "--rpc", "http://127.0.0.1:1", "--contract", anvilAddr0}
	tests := []struct {
		name    string
		env     []string
		args    []string
		wantMsg string
	}{
		{"negative pending", nil, []string{"--" + flagFwdInMaxPending, "-1"}, "--" + flagFwdInMaxPending},
		{"negative locked", nil, []string{"--" + flagFwdOutMaxLocked, "-5"}, "--" + flagFwdOutMaxLocked},
		{"fractional volume", nil, []string{"--" + flagFwdInMaxPerWindow, "0.5"}, "--" + flagFwdInMaxPerWindow},
		{"zero window", nil, []string{"--" + flagFwdWindow, "0s"}, "--" + flagFwdWindow},
		{"ban above zero", nil, []string{"--" + flagGriefBanAbove, "0"}, "--" + flagGriefBanAbove},
		{"refuse above from env", []string{"SLUICE_GRIEF_REFUSE_ABOVE=-2"}, nil, "--" + flagGriefRefuseAbove},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append(append([]string(nil), nodeArgs...), tt.args...)
			res := runCLI(t, cliEnv(t, tt.env...), args...)
			if res.code != exitUsage {
				t.Fatalf("sluice %v: exit %d, want %d\nstderr: %s", args, res.code, exitUsage, res.stderr)
			}
			if !strings.Contains(res.stderr, tt.wantMsg) {
				t.Fatalf("sluice %v: stderr %q does not mention %q", args, res.stderr, tt.wantMsg)
			}
		})
	}
}

func TestForwardFlagsReachTheNodeConfig(t *testing.T) {
	var got node.ForwardingConfig
	app := &cli.App{Flags: forwardFlags(), Action: func(c *cli.Context) error {
		var err error
		got, err = forwardingConfig(c)
		return err
	}}
	err := app.Run([]string{"sluice", "--" + flagFwdInMaxPending, "8", "--" + flagFwdInMaxLocked, "1000",
		"--" + flagFwdOutMaxPerWindow, "5000000", "--" + flagFwdWindow, "10m", "--" + flagGriefBanAbove, "-1"})
	if err != nil {
		t.Fatal(err)
	}
	l := got.Limits
	if l.In.MaxPending != 8 || l.In.MaxPendingValue.Int64() != 1000 || l.Out.MaxForwarded.Int64() != 5_000_000 ||
		l.Out.MaxPending != 0 || l.Out.MaxPendingValue != nil || l.Window != 10*time.Minute {
		t.Fatalf("limits %+v", l)
	}
	if g := got.Griefing; g.BanAbove != -1 || g.RefuseAbove != mediate.DefaultGriefRefuseAbove || g.Window != mediate.DefaultGriefWindow {
		t.Fatalf("griefing %+v", g)
	}
}
