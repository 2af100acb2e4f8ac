package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"
)

// printJSON writes v as indented JSON to the command's output.
func printJSON(c *cli.Context, v any) error {
	enc := json.NewEncoder(c.App.Writer)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON output: %w", err)
	}
	return nil
}

// output prints v as JSON under --json, and otherwise calls human.
func output(c *cli.Context, v any, human func(w io.Writer) error) error {
	if c.Bool(flagJSON) {
		return printJSON(c, v)
	}
	return human(c.App.Writer)
}

// table writes aligned columns; the first row is the header.
func table(w io.Writer, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		if _, err := fmt.Fprintln(tw, strings.Join(r, "\t")); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// keyValues writes "key: value" lines with aligned values.
func keyValues(w io.Writer, pairs [][2]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	for _, p := range pairs {
		if _, err := fmt.Fprintf(tw, "%s:\t%s\n", p[0], p[1]); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// progressInterval is how long a call may run silently before the CLI says it is waiting.
const progressInterval = 3 * time.Second

// withProgress runs fn and, while it takes longer than progressInterval, tells the user on
// stderr what it is waiting for, so a chain confirmation does not look like a hang.
func withProgress(c *cli.Context, what string, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancel(c.Context)
	defer cancel()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		start := time.Now()
		tick := time.NewTicker(progressInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				fmt.Fprintf(c.App.ErrWriter, "... waiting for %s (%s)\n", what, time.Since(start).Round(time.Second))
			}
		}
	}()
	err := fn(ctx)
	close(done)
	<-stopped
	return err
}

func shortHex(s string) string {
	if len(s) <= 18 {
		return s
	}
	return s[:10] + ".." + s[len(s)-6:]
}
