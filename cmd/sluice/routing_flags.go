package main

import (
	"math"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/api"
	"github.com/sluicepay/sluice/routing"
)

// The routing flags of `sluice node` (node.RoutingConfig, docs/routing.md): the fee the
// node charges to forward a payment out over one of its channels, and whether it
// announces its channels at all.
const (
	flagFeeBase    = "fee-base"
	flagFeePPM     = "fee-ppm"
	flagNoAnnounce = "no-announce"
	// flagRevealMargin is node.Config.RevealMargin (ADR 0025): the chain time each hop of a
	// routed payment keeps to claim its incoming lock on chain.
	flagRevealMargin = "reveal-margin"
)

// Bounds of --reveal-margin. The margin is the time a hub has to get registerSecret mined
// if its payer vanishes, so below a minute is only for tests on a dev chain; above a day
// a route's first lock (margin × (hops+1)) would hold the payer's money for over a week.
const (
	minRevealMargin = time.Second
	maxRevealMargin = 24 * time.Hour
)

func routingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagFeeBase, Usage: "flat fee per forwarded payment, in the token's smallest unit (wei for ETH); default 0", EnvVars: envVar(flagFeeBase)},
		&cli.Int64Flag{Name: flagFeePPM, Usage: "proportional fee per forwarded payment, parts per million of the amount (0 to 1000000); default 0", EnvVars: envVar(flagFeePPM)},
		&cli.DurationFlag{Name: flagRevealMargin, Usage: "chain time each hop of a routed payment keeps between its incoming and outgoing lock expirations, to claim the incoming lock on chain; whole seconds from 1s to 24h, the same on every node of a route", Value: mediate.DefaultRevealMargin * time.Second, EnvVars: envVar(flagRevealMargin)},
		&cli.BoolFlag{Name: flagNoAnnounce, Usage: "do not announce this node's channels for routing (a wallet that does not forward)", EnvVars: envVar(flagNoAnnounce)},
	}
}

// routingConfig reads the routing flags; a bad value is a usage error.
func routingConfig(c *cli.Context) (node.RoutingConfig, error) {
	var rc node.RoutingConfig
	if s := c.String(flagFeeBase); s != "" {
		v, err := api.ParseAmount(s)
		if err != nil {
			return rc, usageErrorf("--%s: %v", flagFeeBase, err)
		}
		rc.Fees.Flat = v
	}
	ppm := c.Int64(flagFeePPM)
	if ppm < 0 || ppm > routing.MaxFeePPM || ppm > math.MaxUint32 {
		return rc, usageErrorf("--%s %d must be from 0 to %d (100%%)", flagFeePPM, ppm, routing.MaxFeePPM)
	}
	rc.Fees.PPM = uint32(ppm)
	if err := rc.Fees.Validate(); err != nil {
		return rc, usageErrorf("--%s/--%s: %v", flagFeeBase, flagFeePPM, err)
	}
	rc.NoAnnounce = c.Bool(flagNoAnnounce)
	return rc, nil
}

// revealMargin reads --reveal-margin as node.Config.RevealMargin (seconds of chain time);
// a value out of bounds or with a fraction of a second is a usage error.
func revealMargin(c *cli.Context) (uint64, error) {
	d := c.Duration(flagRevealMargin)
	if d < minRevealMargin || d > maxRevealMargin || d%time.Second != 0 {
		return 0, usageErrorf("--%s %s must be a whole number of seconds from %s to %s", flagRevealMargin, d, minRevealMargin, maxRevealMargin)
	}
	return uint64(d / time.Second), nil
}
