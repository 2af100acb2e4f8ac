package main

import (
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node"
)

func TestCheckpointFlagReachesTheNodeConfig(t *testing.T) {
	run := func(args ...string) (node.CheckpointConfig, error) {
		var got node.CheckpointConfig
		app := &cli.App{Flags: checkpointFlags(), Action: func(c *cli.Context) error {
			var err error
			got, err = checkpointConfig(c)
			return err
		}}
		err := app.Run(append([]string{"sluice"}, args...))
		return got, err
	}
	if got, err := run("--"+flagMaxTombstones, "100"); err != nil || got.MaxTombstones != 100 {
		t.Fatalf("flag: %+v %v", got, err)
	}
	if got, err := run("--"+flagMaxUnacked, "64"); err != nil || got.MaxUnacked != 64 || got.MaxTombstones != node.DefaultMaxTombstones {
		t.Fatalf("flag: %+v %v", got, err)
	}
	if got, err := run(); err != nil || got.MaxTombstones != node.DefaultMaxTombstones || got.MaxUnacked != node.DefaultMaxUnacked {
		t.Fatalf("default: %+v %v", got, err)
	}
	for _, flag := range []string{flagMaxTombstones, flagMaxUnacked} {
		for _, bad := range []string{"0", "-1"} {
			if _, err := run("--"+flag, bad); err == nil {
				t.Fatalf("--%s %s accepted", flag, bad)
			}
		}
	}
}
