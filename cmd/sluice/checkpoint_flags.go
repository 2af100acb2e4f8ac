package main

import (
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node"
)

// The checkpoint flags of `sluice node` (node.CheckpointConfig, ADR 0037, 0041): how many
// removed locks of its own the node keeps per channel for the partner's older proofs, and
// how many of its proofs the partner may leave unacknowledged, before it adds no new lock
// there until the partner endorses a checkpoint or acknowledges.
const (
	flagMaxTombstones = "max-tombstones"
	flagMaxUnacked    = "max-unacked-lock-proofs"
)

func checkpointFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: flagMaxTombstones, Usage: "most removed locks of ours kept per channel until the partner endorses a checkpoint; past it no new locks on that channel (at least 1)", Value: node.DefaultMaxTombstones, EnvVars: envVar(flagMaxTombstones)},
		&cli.IntFlag{Name: flagMaxUnacked, Usage: "most proofs of ours a partner may leave unacknowledged on a channel; past it no new locks on that channel until it acknowledges (at least 1)", Value: node.DefaultMaxUnacked, EnvVars: envVar(flagMaxUnacked)},
	}
}

// checkpointConfig reads the checkpoint flags; a bad value is a usage error.
func checkpointConfig(c *cli.Context) (node.CheckpointConfig, error) {
	var cfg node.CheckpointConfig
	for _, f := range []struct {
		name string
		to   *int
	}{{flagMaxTombstones, &cfg.MaxTombstones}, {flagMaxUnacked, &cfg.MaxUnacked}} {
		n := c.Int(f.name)
		if n < 1 {
			return node.CheckpointConfig{}, usageErrorf("--%s %d must be at least 1", f.name, n)
		}
		*f.to = n
	}
	return cfg, nil
}
