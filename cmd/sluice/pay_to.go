package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/api"
)

// runPayTo is `sluice pay --to ADDRESS AMOUNT [--max-fee FEE] [--memo TEXT]
// [--secret-hash HASH]`. Without --secret-hash the node asks the payee for a signed
// invoice over the route (and carries --memo to it).
func runPayTo(c *cli.Context) error {
	// The payee, amount and fee bound are read exactly as `sluice route` reads them.
	q, err := routeArgs(c)
	if err != nil {
		return err
	}
	args := api.PayArgs{To: q.To, Amount: q.Amount, Memo: c.String(flagMemo), MaxFee: q.MaxFee}
	if len(args.Memo) > channel.MaxMemoSize {
		return usageErrorf("--%s is %d bytes; at most %d", flagMemo, len(args.Memo), channel.MaxMemoSize)
	}
	if hs := c.String(flagSecret); hs != "" {
		if len(strings.TrimPrefix(hs, "0x")) != 64 || !strings.HasPrefix(hs, "0x") {
			return usageErrorf("--%s: the payee's invoice, 0x + 64 hex digits (sluice invoice AMOUNT on the payee's node); omit it and the node asks the payee", flagSecret)
		}
		if args.Memo != "" {
			return usageErrorf("--%s travels with the invoice the node asks the payee for: omit --%s to send one", flagMemo, flagSecret)
		}
		hash := common.HexToHash(hs)
		args.SecretHash = &hash
	}
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

const flagRouted = "routed"

// runRoutedPayments is `sluice payments --routed`: the routed payment log.
func runRoutedPayments(c *cli.Context, args api.PaymentsArgs) error {
	if args.Channel != nil {
		return usageErrorf("--%s lists every routed payment; it takes no --%s", flagRouted, flagChannel)
	}
	args.Routed = true
	return callNode(c, func(cl *api.Client) error {
		page, err := cl.Payments(c.Context, args)
		if err != nil {
			return err
		}
		return output(c, page, func(w io.Writer) error {
			if len(page.Payments) == 0 {
				_, err := fmt.Fprintln(w, "no routed payments")
				return err
			}
			rows := [][]string{{"TIME", "ROLE", "STATE", "AMOUNT", "FEE", "PEER", "ROUTE", "PAYMENT ID", "MEMO"}}
			for _, p := range page.Payments {
				rows = append(rows, routedRow(p))
			}
			if err := table(w, rows); err != nil {
				return err
			}
			if page.Next != "" {
				_, err := fmt.Fprintf(w, "\nmore: sluice payments --%s --%s %s\n", flagRouted, flagCursor, page.Next)
				return err
			}
			return nil
		})
	})
}

func routedRow(p api.Payment) []string {
	role, state, peer := "", "", ""
	if r := p.Routed; r != nil {
		role, state = r.Role, r.State
		if r.Peer != (common.Address{}) {
			peer = shortHex(r.Peer.Hex())
		}
	}
	fee := ""
	if p.Fee != nil {
		fee = p.Fee.String()
	}
	return []string{p.Time.Format(time.RFC3339), role, state, p.Amount.String(), fee, peer, routeSummary(p), p.PaymentID.String(), p.Memo}
}

// routeSummary is a payer's hops with each one's fee, or a mediator's in -> out channel.
func routeSummary(p api.Payment) string {
	if p.Route != nil {
		parts := make([]string, len(p.Route.Hops))
		for i, h := range p.Route.Hops {
			parts[i] = fmt.Sprintf("%s (fee %s)", shortHex(h.To.Hex()), h.Fee)
		}
		return strings.Join(parts, " > ")
	}
	if r := p.Routed; r != nil {
		var in, out string
		if r.InChannel != nil {
			in = shortHex(r.InChannel.String())
		}
		if r.OutChannel != nil {
			out = shortHex(r.OutChannel.String())
		}
		switch {
		case in != "" && out != "":
			return "in " + in + " out " + out
		case in != "":
			return "in " + in
		case out != "":
			return "out " + out
		}
	}
	return ""
}

// paymentShowCommand is `sluice payments show PAYMENT_ID`: one routed payment in full.
func paymentShowCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "show one routed payment: route, fee per hop, lock state (admin token)",
		ArgsUsage: "PAYMENT_ID",
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, "PAYMENT_ID"); err != nil {
				return err
			}
			id, err := api.ParsePaymentID(c.Args().First())
			if err != nil {
				return usageErrorf("PAYMENT_ID: %v", err)
			}
			return callNode(c, func(cl *api.Client) error {
				p, err := cl.Payment(c.Context, id)
				if err != nil {
					return err
				}
				return output(c, p, func(w io.Writer) error {
					r := routedRow(p)
					if _, err := fmt.Fprintf(w, "payment %s: %s, %s, amount %s, fee %s, peer %s\n", r[7], r[1], r[2], r[3], r[4], r[5]); err != nil {
						return err
					}
					if p.Route != nil {
						for i, h := range p.Route.Hops {
							if _, err := fmt.Fprintf(w, "  hop %d: %s -> %s over %s carries %s, fee %s\n", i+1, h.From.Hex(), h.To.Hex(), h.Channel, h.Amount, h.Fee); err != nil {
								return err
							}
						}
					} else if s := routeSummary(p); s != "" {
						if _, err := fmt.Fprintf(w, "  %s\n", s); err != nil {
							return err
						}
					}
					if p.Memo != "" {
						if _, err := fmt.Fprintf(w, "  memo %q\n", p.Memo); err != nil {
							return err
						}
					}
					return nil
				})
			})
		},
	}
}
