package main

import (
	"math/big"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

// Parsing of positional arguments shared by the client commands. Every failure is a usage
// error (exit code 2) that names the argument.

func channelArg(c *cli.Context, i int) (api.ChannelID, error) {
	id, err := api.ParseChannelID(c.Args().Get(i))
	if err != nil {
		return api.ChannelID{}, usageErrorf("%v", err)
	}
	return api.ChannelID(id), nil
}

func positiveAmountArg(c *cli.Context, i int, what string) (api.Amount, error) {
	v, err := api.ParseAmount(c.Args().Get(i))
	if err != nil {
		return api.Amount{}, usageErrorf("%s: %v", what, err)
	}
	if v.Sign() == 0 {
		return api.Amount{}, usageErrorf("%s must be greater than zero", what)
	}
	return api.NewAmount(v), nil
}

// partyIndex returns our and the partner's index into a channel's [2] pairs.
func partyIndex(ch api.Channel) (us, them int) {
	if ch.Us == "B" {
		return 1, 0
	}
	return 0, 1
}

func tokenName(ch api.Channel) string {
	if ch.Token == ([20]byte{}) {
		return "ETH"
	}
	return ch.Token.Hex()
}

func amountText(a api.Amount) string { return a.String() }

func bigText(v *big.Int) string {
	if v == nil {
		return "-"
	}
	return v.String()
}
