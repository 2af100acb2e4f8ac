package main

import (
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/api"
)

// The channel policy flags of `sluice node` (node.OpenPolicy): what the node accepts on
// a channel it is paid on, whether the partner proposed it or opened it on chain.
const (
	flagMinChallengePeriod = "min-challenge-period"
	flagMaxChallengePeriod = "max-challenge-period"
	flagAcceptToken        = "accept-token"
	flagMinDeposit         = "min-deposit"
	flagMaxChannelsPerPeer = "max-channels-per-peer"
)

func channelPolicyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.DurationFlag{Name: flagMinChallengePeriod, Usage: "shortest challenge period accepted on a channel we are paid on (default 1h; 1s on dev chains, chain id 31337 or 1337)", EnvVars: envVar(flagMinChallengePeriod)},
		&cli.DurationFlag{Name: flagMaxChallengePeriod, Usage: "longest challenge period accepted (default the contract's 720h)", EnvVars: envVar(flagMaxChallengePeriod)},
		&cli.StringSliceFlag{Name: flagAcceptToken, Usage: "token accepted on channels, 0x address or eth (repeatable; default any)", EnvVars: envVar(flagAcceptToken)},
		&cli.StringFlag{Name: flagMinDeposit, Usage: "least deposit, in the token's smallest unit, of a channel a partner opens with us (default 0)", EnvVars: envVar(flagMinDeposit)},
		&cli.IntFlag{Name: flagMaxChannelsPerPeer, Usage: "open channels plus accepted proposals per peer (default 0: no limit)", EnvVars: envVar(flagMaxChannelsPerPeer)},
	}
}

// channelPolicy reads the policy flags; a bad value is a usage error. ownPeriod is the
// challenge period of the node's own opens, which must fall within the policy too.
func channelPolicy(c *cli.Context, ownPeriod time.Duration) (node.OpenPolicy, error) {
	var p node.OpenPolicy
	for _, f := range []struct {
		name string
		into *time.Duration
	}{{flagMinChallengePeriod, &p.MinChallengePeriod}, {flagMaxChallengePeriod, &p.MaxChallengePeriod}} {
		d := c.Duration(f.name)
		if c.IsSet(f.name) && (d < node.ContractMinChallengePeriod || d > node.ContractMaxChallengePeriod || d%time.Second != 0) {
			return p, usageErrorf("--%s %s must be a whole number of seconds from %s to %s (the contract's bounds)", f.name, d, node.ContractMinChallengePeriod, node.ContractMaxChallengePeriod)
		}
		*f.into = d
	}
	if p.MaxChallengePeriod > 0 && p.MinChallengePeriod > p.MaxChallengePeriod {
		return p, usageErrorf("--%s %s exceeds --%s %s", flagMinChallengePeriod, p.MinChallengePeriod, flagMaxChallengePeriod, p.MaxChallengePeriod)
	}
	if p.MaxChallengePeriod > 0 && ownPeriod > p.MaxChallengePeriod {
		return p, usageErrorf("--%s %s exceeds --%s %s: the node would refuse its own channels", flagChallengePeriod, ownPeriod, flagMaxChallengePeriod, p.MaxChallengePeriod)
	}
	if p.MinChallengePeriod > 0 && ownPeriod < p.MinChallengePeriod {
		return p, usageErrorf("--%s %s is below --%s %s: the node would refuse its own channels", flagChallengePeriod, ownPeriod, flagMinChallengePeriod, p.MinChallengePeriod)
	}
	for _, t := range c.StringSlice(flagAcceptToken) {
		t = strings.TrimSpace(t)
		switch {
		case strings.EqualFold(t, "eth"):
			p.AcceptTokens = append(p.AcceptTokens, common.Address{})
		case common.IsHexAddress(t):
			p.AcceptTokens = append(p.AcceptTokens, common.HexToAddress(t))
		default:
			return p, usageErrorf("--%s %q is neither a 0x token address nor eth", flagAcceptToken, t)
		}
	}
	if s := c.String(flagMinDeposit); s != "" {
		v, err := api.ParseAmount(s)
		if err != nil {
			return p, usageErrorf("--%s: %v", flagMinDeposit, err)
		}
		p.MinDeposit = v
	}
	p.MaxChannelsPerPeer = c.Int(flagMaxChannelsPerPeer)
	if p.MaxChannelsPerPeer < 0 {
		return p, usageErrorf("--%s %d is negative", flagMaxChannelsPerPeer, p.MaxChannelsPerPeer)
	}
	return p, nil
}
