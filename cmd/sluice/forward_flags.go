package main

import (
	"math/big"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/api"
)

// The forwarding flags of `sluice node` (node.ForwardingConfig, docs/routing.md, ADR 0029):
// what a hub forwards per incoming partner (the wallet paying through it) and per
// outgoing partner (the counterparty it forwards to), and how many locks a peer may hold
// to expiry before its forwards are refused and it is banned.
const (
	flagFwdInMaxPending    = "forward-in-max-pending"
	flagFwdInMaxLocked     = "forward-in-max-locked"
	flagFwdInMaxPerWindow  = "forward-in-max-per-window"
	flagFwdOutMaxPending   = "forward-out-max-pending"
	flagFwdOutMaxLocked    = "forward-out-max-locked"
	flagFwdOutMaxPerWindow = "forward-out-max-per-window"
	flagFwdWindow          = "forward-window"
	flagGriefWindow        = "grief-window"
	flagGriefRefuseAbove   = "grief-refuse-above"
	flagGriefBanAbove      = "grief-ban-above"
)

func forwardFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: flagFwdInMaxPending, Usage: "most locks one incoming partner (a wallet paying through this hub) may have pending with it; 0: no limit", EnvVars: envVar(flagFwdInMaxPending)},
		&cli.StringFlag{Name: flagFwdInMaxLocked, Usage: "most value one incoming partner may have locked pending with this hub, in the token's smallest unit; empty or 0: no limit", EnvVars: envVar(flagFwdInMaxLocked)},
		&cli.StringFlag{Name: flagFwdInMaxPerWindow, Usage: "most value forwarded for one incoming partner per --" + flagFwdWindow + ", in the token's smallest unit; empty or 0: no limit", EnvVars: envVar(flagFwdInMaxPerWindow)},
		&cli.IntFlag{Name: flagFwdOutMaxPending, Usage: "most locks this hub keeps pending with one outgoing partner (the counterparty it forwards to); 0: no limit (a channel holds at most 64 per direction)", EnvVars: envVar(flagFwdOutMaxPending)},
		&cli.StringFlag{Name: flagFwdOutMaxLocked, Usage: "most value this hub keeps locked pending with one outgoing partner, in the token's smallest unit; empty or 0: no limit", EnvVars: envVar(flagFwdOutMaxLocked)},
		&cli.StringFlag{Name: flagFwdOutMaxPerWindow, Usage: "most value forwarded to one outgoing partner per --" + flagFwdWindow + ", in the token's smallest unit; empty or 0: no limit", EnvVars: envVar(flagFwdOutMaxPerWindow)},
		&cli.DurationFlag{Name: flagFwdWindow, Usage: "window of the --forward-*-max-per-window limits", Value: mediate.DefaultForwardWindow, EnvVars: envVar(flagFwdWindow)},
		&cli.DurationFlag{Name: flagGriefWindow, Usage: "window over which locks a peer held to expiry are counted", Value: mediate.DefaultGriefWindow, EnvVars: envVar(flagGriefWindow)},
		&cli.IntFlag{Name: flagGriefRefuseAbove, Usage: "refuse to forward to a peer that held more locks than this to expiry within --" + flagGriefWindow + " (at least 1); -1: never", Value: mediate.DefaultGriefRefuseAbove, EnvVars: envVar(flagGriefRefuseAbove)},
		&cli.IntFlag{Name: flagGriefBanAbove, Usage: "ban a peer that held more locks than this to expiry within --" + flagGriefWindow + " (at least 1); -1: never", Value: mediate.DefaultGriefBanAbove, EnvVars: envVar(flagGriefBanAbove)},
	}
}

// forwardingConfig reads the forwarding flags; a bad value is a usage error.
func forwardingConfig(c *cli.Context) (node.ForwardingConfig, error) {
	var fc node.ForwardingConfig
	l := &fc.Limits
	var err error
	for _, f := range []struct {
		name string
		dst  **big.Int
	}{
		{flagFwdInMaxLocked, &l.In.MaxPendingValue}, {flagFwdInMaxPerWindow, &l.In.MaxForwarded},
		{flagFwdOutMaxLocked, &l.Out.MaxPendingValue}, {flagFwdOutMaxPerWindow, &l.Out.MaxForwarded},
	} {
		if s := c.String(f.name); s != "" {
			if *f.dst, err = api.ParseAmount(s); err != nil {
				return fc, usageErrorf("--%s: %v", f.name, err)
			}
		}
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{flagFwdInMaxPending, &l.In.MaxPending}, {flagFwdOutMaxPending, &l.Out.MaxPending}} {
		if *f.dst = c.Int(f.name); *f.dst < 0 {
			return fc, usageErrorf("--%s %d must not be negative (0: no limit)", f.name, *f.dst)
		}
	}
	for _, f := range []struct {
		name string
		dst  *time.Duration
	}{{flagFwdWindow, &l.Window}, {flagGriefWindow, &fc.Griefing.Window}} {
		if *f.dst = c.Duration(f.name); *f.dst <= 0 {
			return fc, usageErrorf("--%s %s must be positive", f.name, *f.dst)
		}
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{flagGriefRefuseAbove, &fc.Griefing.RefuseAbove}, {flagGriefBanAbove, &fc.Griefing.BanAbove}} {
		// 0 is "the default" to the node, so it is not a value the flags pass on.
		if *f.dst = c.Int(f.name); *f.dst < -1 || *f.dst == 0 {
			return fc, usageErrorf("--%s %d must be -1 (never) or at least 1", f.name, *f.dst)
		}
	}
	if err := l.Validate(); err != nil {
		return fc, usageErrorf("%v", err)
	}
	return fc, nil
}
