package main

import (
	"math"

	"github.com/urfave/cli/v2"

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
)

func routingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagFeeBase, Usage: "flat fee per forwarded payment, in the token's smallest unit (wei for ETH); default 0", EnvVars: envVar(flagFeeBase)},
		&cli.Int64Flag{Name: flagFeePPM, Usage: "proportional fee per forwarded payment, parts per million of the amount (0 to 1000000); default 0", EnvVars: envVar(flagFeePPM)},
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
