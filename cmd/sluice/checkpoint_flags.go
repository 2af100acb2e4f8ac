package main

import (
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node"
)

// The checkpoint flag of `sluice node` (node.CheckpointConfig, ADR 0037): how many removed
// locks of its own the node keeps per channel for the partner's older proofs before it
// adds no new lock there until the partner endorses a checkpoint.
const flagMaxTombstones = "max-tombstones"

func checkpointFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: flagMaxTombstones, Usage: "most removed locks of ours kept per channel until the partner endorses a checkpoint; past it no new locks on that channel (at least 1)", Value: node.DefaultMaxTombstones, EnvVars: envVar(flagMaxTombstones)},
	}
}

// checkpointConfig reads the checkpoint flag; a bad value is a usage error.
func checkpointConfig(c *cli.Context) (node.CheckpointConfig, error) {
	n := c.Int(flagMaxTombstones)
	if n < 1 {
		return node.CheckpointConfig{}, usageErrorf("--%s %d must be at least 1", flagMaxTombstones, n)
	}
	return node.CheckpointConfig{MaxTombstones: n}, nil
}
