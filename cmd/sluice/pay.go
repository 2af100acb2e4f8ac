package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/api"
)

const (
	flagPaymentID = "payment-id"
	flagMemo      = "memo"
	flagSecret    = "secret-hash"
)

func payCommand() *cli.Command {
	return &cli.Command{
		Name:      "pay",
		Usage:     "pay over a channel (or --to an address over a route); returns once paid",
		ArgsUsage: "CHANNEL_ID AMOUNT | --to ADDRESS AMOUNT",
		Description: "AMOUNT is in the token's smallest unit (wei for ETH), decimal or 0x hex.\n" +
			"Repeating a call with the same --payment-id never pays twice: it reports the earlier payment\n" +
			"once the peer has acknowledged it (\"already paid\"), or fails with the same retry hint.\n" +
			"With --to the payment is routed (a channel partner is a 1-hop route): the hubs' fees are\n" +
			"quoted first and the payment is refused before anything is locked when they exceed --max-fee;\n" +
			"the node asks the payee for a signed invoice over the route first (--memo goes with it), or\n" +
			"--secret-hash pays the payee's own invoice (sluice invoice AMOUNT on the payee's node).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagPaymentID, Usage: "idempotency key, 0x + 32 hex digits (default: random)", EnvVars: commandEnvVar("pay", flagPaymentID)},
			&cli.StringFlag{Name: flagMemo, Usage: "note for the payee, at most 256 bytes", EnvVars: commandEnvVar("pay", flagMemo)},
			&cli.StringFlag{Name: flagTo, Usage: "pay this 0x address over a route instead of a channel", EnvVars: commandEnvVar("pay", flagTo)},
			&cli.StringFlag{Name: flagMaxFee, Usage: "with --to: the most the hubs may keep in fees (default: no bound)", EnvVars: commandEnvVar("pay", flagMaxFee)},
			&cli.StringFlag{Name: flagSecret, Usage: "with --to, optional: the payee's own invoice secret hash (0x + 64 hex digits)", EnvVars: commandEnvVar("pay", flagSecret)},
		},
		Action: runPay,
	}
}

func runPay(c *cli.Context) error {
	if c.IsSet(flagTo) {
		return runPayTo(c)
	}
	id, amount, err := channelAmountArgs(c)
	if err != nil {
		return err
	}
	args := api.PayArgs{Channel: &id, Amount: amount, Memo: c.String(flagMemo)}
	if len(args.Memo) > channel.MaxMemoSize {
		return usageErrorf("--%s is %d bytes; at most %d", flagMemo, len(args.Memo), channel.MaxMemoSize)
	}
	if s := c.String(flagPaymentID); s != "" {
		pid, err := api.ParsePaymentID(s)
		if err != nil {
			return usageErrorf("--%s: %v", flagPaymentID, err)
		}
		if pid.IsZero() {
			return usageErrorf("--%s: all zeros is not a usable idempotency key (the node would refuse it); omit --%s for a random one", flagPaymentID, flagPaymentID)
		}
		args.PaymentID = &pid
	}
	return callNode(c, func(cl *api.Client) error {
		var p api.Payment
		err := withProgress(c, "the peer to acknowledge the payment", func(ctx context.Context) error {
			var err error
			p, err = cl.Pay(ctx, args)
			return err
		})
		if err != nil {
			return err
		}
		return output(c, p, func(w io.Writer) error {
			if p.Repeat {
				_, err := fmt.Fprintf(w, "already paid %s on %s by an earlier call with this payment id; nothing new was signed\npayment id %s\nproof nonce %d, transferred %s, acknowledged by the peer\n",
					p.Amount, p.Channel, p.PaymentID, p.Proof.Nonce, p.Proof.Transferred)
				return err
			}
			_, err := fmt.Fprintf(w, "paid %s on %s\npayment id %s\nproof nonce %d, transferred %s, acknowledged in %s\n",
				p.Amount, p.Channel, p.PaymentID, p.Proof.Nonce, p.Proof.Transferred, time.Duration(p.LatencyMicros)*time.Microsecond)
			return err
		})
	})
}
