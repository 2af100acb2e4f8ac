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

const (
	flagTo     = "to"
	flagMaxFee = "max-fee"
)

// routeCommand is `sluice route --to ADDRESS AMOUNT`: the route and fee quote a payment
// to ADDRESS would take, computed by the node from its channel graph (docs/routing.md).
func routeCommand() *cli.Command {
	return &cli.Command{
		Name:      "route",
		Usage:     "quote the cheapest route and fee to pay an address through hubs",
		ArgsUsage: "AMOUNT",
		Description: "AMOUNT is what the payee must receive, in the token's smallest unit, decimal or 0x hex.\n" +
			"Prints each hop (channel, from, to, fee kept), the total fee and what the payer locks.\n" +
			"Nothing is signed or locked. Fails with no_route or fee_too_high (above --max-fee).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagTo, Usage: "payee's 0x address (required)", EnvVars: commandEnvVar("route", flagTo)},
			&cli.StringFlag{Name: flagMaxFee, Usage: "most you will pay in fees, smallest unit (default: no bound)", EnvVars: commandEnvVar("route", flagMaxFee)},
			&cli.StringFlag{Name: flagToken, Usage: "token address (default ETH)", EnvVars: commandEnvVar("route", flagToken)},
		},
		Action: runRoute,
	}
}

func routeArgs(c *cli.Context) (api.QuoteRouteArgs, error) {
	var args api.QuoteRouteArgs
	if err := exactArgs(c, "AMOUNT"); err != nil {
		return args, err
	}
	to := strings.TrimSpace(c.String(flagTo))
	if to == "" {
		return args, usageErrorf("--%s ADDRESS is required: the payee's 0x address", flagTo)
	}
	if !common.IsHexAddress(to) {
		return args, usageErrorf("--%s %q is not a 0x address", flagTo, to)
	}
	a := common.HexToAddress(to)
	args.To = &a
	amount, err := positiveAmountArg(c, 0, "AMOUNT")
	if err != nil {
		return args, err
	}
	args.Amount = amount
	if s := c.String(flagMaxFee); s != "" {
		v, err := api.ParseAmount(s)
		if err != nil {
			return args, usageErrorf("--%s: %v", flagMaxFee, err)
		}
		fee := api.NewAmount(v)
		args.MaxFee = &fee
	}
	if s := strings.TrimSpace(c.String(flagToken)); s != "" && !strings.EqualFold(s, "eth") {
		if !common.IsHexAddress(s) {
			return args, usageErrorf("--%s %q is neither a 0x token address nor eth", flagToken, s)
		}
		t := common.HexToAddress(s)
		args.Token = &t
	}
	return args, nil
}

func runRoute(c *cli.Context) error {
	args, err := routeArgs(c)
	if err != nil {
		return err
	}
	return callNode(c, func(cl *api.Client) error {
		var q api.RouteQuote
		err := withProgress(c, "the route quote", func(ctx context.Context) error {
			var err error
			q, err = cl.QuoteRoute(ctx, args)
			return err
		})
		if err != nil {
			return err
		}
		return output(c, q, func(w io.Writer) error {
			fmt.Fprintf(w, "route to %s: %d hop(s)\n", args.To.Hex(), len(q.Hops))
			for i, h := range q.Hops {
				fmt.Fprintf(w, "  %d. %s  %s -> %s  carries %s, fee %s\n", i+1, h.Channel, h.From.Hex(), h.To.Hex(), h.Amount, h.Fee)
			}
			_, err := fmt.Fprintf(w, "payee receives %s, fee %s, you lock %s\n", q.Amount, q.Fee, q.Total)
			return err
		})
	})
}
