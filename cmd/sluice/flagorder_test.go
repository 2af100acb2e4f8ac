package main

import (
	"slices"
	"strings"
	"testing"
)

// Issue 21, finding 3: `pay 0x... 1000 --memo coffee` was refused ("takes 2 argument(s),
// got 4"), and docs/cli.md wrote commands that way.
func TestFlagsAfterArgumentsAreMovedInFrontOfThem(t *testing.T) {
	app := newApp()
	cases := []struct {
		in, want []string
	}{
		{[]string{"sluice", "pay", "0xab", "1000", "--memo", "coffee"}, []string{"sluice", "pay", "--memo", "coffee", "0xab", "1000"}},
		{[]string{"sluice", "--datadir", "d", "pay", "0xab", "--memo=x", "7"}, []string{"sluice", "--datadir", "d", "pay", "--memo=x", "0xab", "7"}},
		{[]string{"sluice", "pay", "0xab", "7", "--json"}, []string{"sluice", "pay", "--json", "0xab", "7"}},
		{[]string{"sluice", "channel", "close", "0xab", "--force"}, []string{"sluice", "channel", "close", "--force", "0xab"}},
		{[]string{"sluice", "pay", "0xab", "--", "--memo"}, []string{"sluice", "pay", "0xab", "--", "--memo"}},
		{[]string{"sluice", "pay", "0xab", "7", "--bogus"}, []string{"sluice", "pay", "0xab", "7", "--bogus"}},
		{[]string{"sluice", "channel"}, []string{"sluice", "channel"}},
		{[]string{"sluice"}, []string{"sluice"}},
	}
	for _, tc := range cases {
		if got := flagsFirst(app, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("flagsFirst(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNoCommandIsAUsageErrorLikeNoSubcommand(t *testing.T) {
	env := cliEnv(t)
	for _, args := range [][]string{{}, {"channel"}} {
		res := runCLI(t, env, args...)
		if res.code != exitUsage || !strings.Contains(res.stdout+res.stderr, "USAGE") {
			t.Errorf("sluice %v: exit %d, want %d with the help text", args, res.code, exitUsage)
		}
	}
	if res := runCLI(t, env, "--help"); res.code != exitOK {
		t.Errorf("sluice --help: exit %d, want 0", res.code)
	}
}
