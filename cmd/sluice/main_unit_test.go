package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestMissingRequiredFlagIsAUsageError(t *testing.T) {
	app := &cli.App{
		Name:           "t",
		Writer:         io.Discard,
		ErrWriter:      io.Discard,
		ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{{
			Name:   "needs",
			Flags:  []cli.Flag{&cli.StringFlag{Name: "rpc", Required: true}},
			Action: func(*cli.Context) error { return nil },
		}},
	}
	err := app.RunContext(context.Background(), []string{"t", "needs"})
	if err == nil {
		t.Fatal("missing required flag accepted")
	}
	if asUsageError(err) == nil {
		t.Fatalf("%q is not classified as a usage error", err)
	}
	if asUsageError(errors.New("dial tcp: connection refused")) != nil {
		t.Fatal("a runtime failure was classified as a usage error")
	}
	if asUsageError(usageErrorf("bad")) == nil {
		t.Fatal("usageErrorf is not a usage error")
	}
}
