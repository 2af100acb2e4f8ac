package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

func paymentsWatchCommand() *cli.Command {
	return &cli.Command{
		Name:  "watch",
		Usage: "print payments as they happen, until interrupted (one JSON object per line with --json)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagChannel, Usage: "only payments on this channel id", EnvVars: commandEnvVar("payments watch", flagChannel)},
		},
		Action: runPaymentsWatch,
	}
}

// websocketURL turns the API URL into its WebSocket form: subscriptions need one, and the
// node serves both on the same address.
func websocketURL(url string) string {
	switch {
	case strings.HasPrefix(url, "http://"):
		return "ws://" + strings.TrimPrefix(url, "http://")
	case strings.HasPrefix(url, "https://"):
		return "wss://" + strings.TrimPrefix(url, "https://")
	}
	return url
}

func runPaymentsWatch(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	only, err := channelFlag(c)
	if err != nil {
		return err
	}
	if err := c.Set(flagAPI, websocketURL(apiURL(c))); err != nil {
		return fmt.Errorf("switch to WebSocket: %w", err)
	}
	return callNode(c, func(cl *api.Client) error {
		ch := make(chan api.Payment, 64)
		sub, err := cl.SubscribePayments(c.Context, ch, only)
		if err != nil {
			return err
		}
		defer sub.Unsubscribe()
		fmt.Fprintln(c.App.ErrWriter, "watching payments; press Ctrl-C to stop")
		enc := json.NewEncoder(c.App.Writer)
		for {
			select {
			case p := <-ch:
				if c.Bool(flagJSON) {
					if err := enc.Encode(p); err != nil {
						return err
					}
					continue
				}
				if _, err := fmt.Fprintf(c.App.Writer, "%s  %-8s  %s  on %s  nonce %d  transferred %s  id %s  %s\n",
					p.Time.Format(time.RFC3339), p.Direction, p.Amount, p.Channel, p.Proof.Nonce, p.Proof.Transferred, p.PaymentID, p.Memo); err != nil {
					return err
				}
			case err := <-sub.Err():
				if err == nil {
					return nil
				}
				return fmt.Errorf("payment subscription ended: %w", err)
			case <-c.Context.Done():
				return nil
			}
		}
	})
}
