package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/api"
)

const (
	flagToken  = "token"
	flagForce  = "force"
	flagStatus = "status"

	flagIdempotencyKey = "idempotency-key"
)

func channelCommand() *cli.Command {
	return &cli.Command{
		Name:  "channel",
		Usage: "open, fund, inspect and close channels (client of the node API)",
		Subcommands: []*cli.Command{
			{
				Name:      "open",
				Usage:     "open a channel with a peer and lock a deposit in it",
				ArgsUsage: "PEER AMOUNT",
				Description: "PEER is a multiaddr ending in /p2p/<id> or the 0x address of a connected peer;\n" +
					"AMOUNT is in the token's smallest unit (wei for ETH), decimal or 0x hex.",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: flagToken, Usage: "ERC-20 token address (default: ETH)", EnvVars: commandEnvVar("channel open", flagToken)},
					&cli.DurationFlag{Name: flagChallengePeriod, Usage: "challenge period (default: the node's)", EnvVars: commandEnvVar("channel open", flagChallengePeriod)},
					&cli.StringFlag{Name: flagIdempotencyKey, Usage: "a key of your choice that makes a retry safe: the same key never opens a second channel", EnvVars: commandEnvVar("channel open", flagIdempotencyKey)},
				},
				Action: runChannelOpen,
			},
			{
				Name:      "deposit",
				Usage:     "top up our side of an open channel",
				ArgsUsage: "CHANNEL_ID AMOUNT",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: flagIdempotencyKey, Usage: "a key of your choice that makes a retry safe: the same key never deposits twice", EnvVars: commandEnvVar("channel deposit", flagIdempotencyKey)},
				},
				Action: func(c *cli.Context) error {
					key := c.String(flagIdempotencyKey)
					return runChannelTx("deposit", func(cl *api.Client, ctx context.Context, id api.ChannelID, amount api.Amount) (api.TxResult, error) {
						return cl.DepositWithKey(ctx, id, amount, key)
					})(c)
				},
			},
			{
				Name:      "withdraw",
				Usage:     "take money out of our side of an open channel (co-signed by the peer)",
				ArgsUsage: "CHANNEL_ID AMOUNT",
				Action:    runChannelTx("withdraw", (*api.Client).Withdraw),
			},
			{
				Name:      "close",
				Usage:     "close a channel cooperatively, or unilaterally with --force",
				ArgsUsage: "CHANNEL_ID",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: flagForce, Usage: "close unilaterally: start the challenge period with our best proof", EnvVars: commandEnvVar("channel close", flagForce)},
				},
				Action: runChannelClose,
			},
			{
				Name:      "settle",
				Usage:     "pay out a unilaterally closed channel after its challenge period",
				ArgsUsage: "CHANNEL_ID",
				Action:    runChannelSettle,
			},
			{
				Name:  "list",
				Usage: "list channels",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: flagStatus, Usage: "only channels in this status: open, closing, settled", EnvVars: commandEnvVar("channel list", flagStatus)},
					&cli.StringFlag{Name: flagPeer, Usage: "only channels with this peer address", EnvVars: commandEnvVar("channel list", flagPeer)},
				},
				Action: runChannelList,
			},
			{
				Name:      "show",
				Usage:     "show one channel with its EIP-712 domain and latest signed proofs",
				ArgsUsage: "CHANNEL_ID",
				Action:    runChannelShow,
			},
		},
	}
}

func runChannelOpen(c *cli.Context) error {
	if err := exactArgs(c, "PEER", "AMOUNT"); err != nil {
		return err
	}
	peer := strings.TrimSpace(c.Args().Get(0))
	if peer == "" {
		return usageErrorf("PEER is empty")
	}
	amount, err := positiveAmountArg(c, 1, "AMOUNT")
	if err != nil {
		return err
	}
	args := api.OpenChannelArgs{Peer: peer, Deposit: amount, IdempotencyKey: c.String(flagIdempotencyKey)}
	if t := c.String(flagToken); t != "" {
		if !common.IsHexAddress(t) {
			return usageErrorf("--%s %q is not a 0x token address", flagToken, t)
		}
		addr := common.HexToAddress(t)
		args.Token = &addr
	}
	if d := c.Duration(flagChallengePeriod); d != 0 {
		// The contract's bounds are checked here, like the whole seconds, so 745h and
		// 500ms are the same kind of mistake: a usage error (exit 2) naming the range.
		if d < node.ContractMinChallengePeriod || d > node.ContractMaxChallengePeriod || d%time.Second != 0 {
			return usageErrorf("--%s %s must be a whole number of seconds from %s to %s (the contract's bounds; e.g. 1h, 24h)",
				flagChallengePeriod, d, node.ContractMinChallengePeriod, node.ContractMaxChallengePeriod)
		}
		args.ChallengePeriod = uint64(d / time.Second)
	}
	return callNode(c, func(cl *api.Client) error {
		var ch api.Channel
		err := withProgress(c, "the peer and the chain to open the channel", func(ctx context.Context) error {
			var err error
			ch, err = cl.OpenChannel(ctx, args)
			return err
		})
		if err != nil {
			return err
		}
		return output(c, ch, func(w io.Writer) error { return printChannel(w, ch) })
	})
}

// channelAmountArgs reads the CHANNEL_ID AMOUNT arguments shared by pay, deposit and
// withdraw; the amount must be positive.
func channelAmountArgs(c *cli.Context) (api.ChannelID, api.Amount, error) {
	if err := exactArgs(c, "CHANNEL_ID", "AMOUNT"); err != nil {
		return api.ChannelID{}, api.Amount{}, err
	}
	id, err := channelArg(c, 0)
	if err != nil {
		return api.ChannelID{}, api.Amount{}, err
	}
	amount, err := positiveAmountArg(c, 1, "AMOUNT")
	return id, amount, err
}

type txCall func(cl *api.Client, ctx context.Context, id api.ChannelID, amount api.Amount) (api.TxResult, error)

func runChannelTx(verb string, call txCall) cli.ActionFunc {
	return func(c *cli.Context) error {
		id, amount, err := channelAmountArgs(c)
		if err != nil {
			return err
		}
		return callNode(c, func(cl *api.Client) error {
			var res api.TxResult
			err := withProgress(c, "the "+verb+" transaction to be mined", func(ctx context.Context) error {
				var err error
				res, err = call(cl, ctx, id, amount)
				return err
			})
			if err != nil {
				return err
			}
			return output(c, res, func(w io.Writer) error { return printTx(w, verb, res) })
		})
	}
}

func runChannelClose(c *cli.Context) error {
	if err := exactArgs(c, "CHANNEL_ID"); err != nil {
		return err
	}
	id, err := channelArg(c, 0)
	if err != nil {
		return err
	}
	force := c.Bool(flagForce)
	what := "the peer to co-sign and the chain to pay out"
	if force {
		what = "the close transaction to be mined"
	}
	return callNode(c, func(cl *api.Client) error {
		var res api.CloseResult
		err := withProgress(c, what, func(ctx context.Context) error {
			var err error
			res, err = cl.CloseChannel(ctx, id, force)
			return err
		})
		if err != nil {
			return err
		}
		return output(c, res, func(w io.Writer) error {
			if res.Cooperative {
				if _, err := fmt.Fprintf(w, "closed cooperatively; paid out A=%s B=%s\n", res.Balances[0], res.Balances[1]); err != nil {
					return err
				}
			} else {
				at := time.Unix(int64(res.SettleAfter), 0).UTC().Format(time.RFC3339)
				if _, err := fmt.Fprintf(w, "closing unilaterally; settle after %s (run 'sluice channel settle %s' then, or let the node do it)\n", at, id); err != nil {
					return err
				}
			}
			return printTx(w, "close", res.TxResult)
		})
	})
}

func runChannelSettle(c *cli.Context) error {
	if err := exactArgs(c, "CHANNEL_ID"); err != nil {
		return err
	}
	id, err := channelArg(c, 0)
	if err != nil {
		return err
	}
	return callNode(c, func(cl *api.Client) error {
		var res api.TxResult
		err := withProgress(c, "the settle transaction to be mined", func(ctx context.Context) error {
			var err error
			res, err = cl.Settle(ctx, id)
			return err
		})
		if err != nil {
			return err
		}
		return output(c, res, func(w io.Writer) error { return printTx(w, "settle", res) })
	})
}

func runChannelList(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	args := api.ChannelsArgs{Status: c.String(flagStatus)}
	if _, err := api.ParseStatus(args.Status); err != nil {
		return usageErrorf("--%s: %v", flagStatus, err)
	}
	if p := c.String(flagPeer); p != "" {
		if !common.IsHexAddress(p) {
			return usageErrorf("--%s %q is not a 0x address", flagPeer, p)
		}
		addr := common.HexToAddress(p)
		args.Peer = &addr
	}
	return callNode(c, func(cl *api.Client) error {
		chans, err := cl.Channels(c.Context, args)
		if err != nil {
			return err
		}
		return output(c, chans, func(w io.Writer) error {
			if len(chans) == 0 {
				_, err := fmt.Fprintln(w, "no channels")
				return err
			}
			rows := [][]string{{"CHANNEL", "PARTNER", "STATUS", "TOKEN", "OURS", "THEIRS", "PAYMENTS"}}
			// A NOTE column appears only when a channel is outside the node's policy.
			noted := slices.ContainsFunc(chans, func(ch api.Channel) bool { return ch.OutOfPolicy != "" })
			if noted {
				rows[0] = append(rows[0], "NOTE")
			}
			for _, ch := range chans {
				us, them := partyIndex(ch)
				row := []string{ch.ID.String(), ch.Partner.Hex(), ch.Status, tokenName(ch),
					amountText(ch.Balance[us]), amountText(ch.Balance[them]), strconv.FormatUint(ch.Payments, 10)}
				if noted && ch.OutOfPolicy != "" {
					row = append(row, "outside policy: "+ch.OutOfPolicy)
				} else if noted {
					row = append(row, "")
				}
				rows = append(rows, row)
			}
			return table(w, rows)
		})
	})
}

func runChannelShow(c *cli.Context) error {
	if err := exactArgs(c, "CHANNEL_ID"); err != nil {
		return err
	}
	id, err := channelArg(c, 0)
	if err != nil {
		return err
	}
	return callNode(c, func(cl *api.Client) error {
		ch, err := cl.Channel(c.Context, id)
		if err != nil {
			return err
		}
		return output(c, ch, func(w io.Writer) error { return printChannel(w, ch) })
	})
}

func printChannel(w io.Writer, ch api.Channel) error {
	us, them := partyIndex(ch)
	pairs := [][2]string{
		{"channel", ch.ID.String()},
		{"status", ch.Status},
		{"we are", fmt.Sprintf("%s (%s)", ch.Participants[us].Hex(), ch.Us)},
		{"partner", ch.Partner.Hex()},
		{"token", tokenName(ch)},
		{"balance", fmt.Sprintf("ours %s, theirs %s", ch.Balance[us], ch.Balance[them])},
		{"deposit", fmt.Sprintf("ours %s, theirs %s", ch.Deposit[us], ch.Deposit[them])},
		{"withdrawn", fmt.Sprintf("ours %s, theirs %s", ch.Withdrawn[us], ch.Withdrawn[them])},
		{"reserved", fmt.Sprintf("ours %s, theirs %s", ch.Reserved[us], ch.Reserved[them])},
		{"challenge period", (time.Duration(ch.ChallengePeriod) * time.Second).String()},
		{"payments", strconv.FormatUint(ch.Payments, 10)},
	}
	if ch.SettleAfter != 0 {
		pairs = append(pairs, [2]string{"settle after", time.Unix(int64(ch.SettleAfter), 0).UTC().Format(time.RFC3339)})
	}
	if ch.SettlementSigned {
		pairs = append(pairs, [2]string{"settlement", "signed (no further payments)"})
	}
	if ch.OutOfPolicy != "" {
		pairs = append(pairs, [2]string{"policy", "outside the node's channel policy (" + ch.OutOfPolicy + "): payments to us are refused; closing works"})
	}
	for i, who := range []string{"A", "B"} {
		p := ch.LatestProofs[i]
		text := "none"
		if p != nil {
			text = fmt.Sprintf("nonce %d, transferred %s, sig %s", p.Nonce, p.Transferred, sigText(p.Signature))
		}
		pairs = append(pairs, [2]string{"proof by " + who, text})
	}
	pairs = append(pairs,
		[2]string{"EIP-712 domain", fmt.Sprintf("%s v%s, chain %s, contract %s", ch.Domain.Name, ch.Domain.Version, bigText(ch.Domain.ChainID), ch.Domain.VerifyingContract.Hex())})
	return keyValues(w, pairs)
}

func printTx(w io.Writer, verb string, res api.TxResult) error {
	_, err := fmt.Fprintf(w, "%s: tx %s in block %d (gas %d)\n", verb, res.TxHash.Hex(), res.Block, res.GasUsed)
	return err
}

func sigText(s api.Signature) string {
	b, err := s.MarshalJSON()
	if err != nil {
		return "?"
	}
	return shortHex(strings.Trim(string(b), `"`))
}
