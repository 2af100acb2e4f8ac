package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

// runPayTo is `sluice pay --to ADDRESS --secret-hash HASH AMOUNT [--max-fee FEE]`.
func runPayTo(c *cli.Context) error {
	// The payee, amount and fee bound are read exactly as `sluice route` reads them.
	q, err := routeArgs(c)
	if err != nil {
		return err
	}
	hs := c.String(flagSecret)
	if len(strings.TrimPrefix(hs, "0x")) != 64 || !strings.HasPrefix(hs, "0x") {
		return usageErrorf("--%s is required with --%s: the payee's invoice, 0x + 64 hex digits (sluice invoice AMOUNT on the payee's node)", flagSecret, flagTo)
	}
	hash := common.HexToHash(hs)
	args := api.PayArgs{To: q.To, Amount: q.Amount, SecretHash: &hash, Memo: c.String(flagMemo), MaxFee: q.MaxFee}
	if s := c.String(flagPaymentID); s != "" {
		pid, err := api.ParsePaymentID(s)
		if err != nil || pid.IsZero() {
			return usageErrorf("--%s: not a usable idempotency key (0x + 32 hex digits, not all zeros)", flagPaymentID)
		}
		args.PaymentID = &pid
	}
	return callNode(c, func(cl *api.Client) error {
		var p api.Payment
		err := withProgress(c, "the payee to release the secret", func(ctx context.Context) error {
			var err error
			p, err = cl.Pay(ctx, args)
			return err
		})
		if err != nil {
			return err
		}
		return output(c, p, func(w io.Writer) error {
			fee, hops := "0", 0
			if p.Fee != nil {
				fee = p.Fee.String()
			}
			if p.Route != nil {
				hops = len(p.Route.Hops)
			}
			if _, err := fmt.Fprintf(w, "paid %s to %s over %d hop(s), fee %s, first channel %s\npayment id %s\n", p.Amount, q.To.Hex(), hops, fee, p.Channel, p.PaymentID); err != nil || p.Attempts < 2 {
				return err
			}
			_, err := fmt.Fprintf(w, "on route %d: the earlier ones were refused and cancelled\n", p.Attempts)
			return err
		})
	})
}

func invoiceCommand() *cli.Command {
	return &cli.Command{
		Name:      "invoice",
		Usage:     "create an invoice for a routed payment to this node; prints the secret hash the payer needs",
		ArgsUsage: "AMOUNT",
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, "AMOUNT"); err != nil {
				return err
			}
			amount, err := positiveAmountArg(c, 0, "AMOUNT")
			if err != nil {
				return err
			}
			return callNode(c, func(cl *api.Client) error {
				inv, err := cl.Invoice(c.Context, api.InvoiceArgs{Amount: amount})
				if err != nil {
					return err
				}
				return output(c, inv, func(w io.Writer) error {
					_, err := fmt.Fprintf(w, "invoice for %s\nsecret hash %s\n", inv.Amount, inv.SecretHash.Hex())
					return err
				})
			})
		},
	}
}
