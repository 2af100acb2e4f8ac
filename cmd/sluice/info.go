package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

func infoCommand() *cli.Command {
	return &cli.Command{
		Name:  "info",
		Usage: "show the running node's address, peer id, chain and sync state",
		Action: func(c *cli.Context) error {
			if err := exactArgs(c); err != nil {
				return err
			}
			return callNode(c, func(cl *api.Client) error {
				info, err := cl.NodeInfo(c.Context)
				if err != nil {
					return err
				}
				return output(c, info, func(w io.Writer) error {
					return keyValues(w, [][2]string{
						{"address", info.Address.Hex()},
						{"peer id", info.PeerID},
						{"listening", strings.Join(info.ListenAddrs, " ")},
						{"chain id", bigText(info.ChainID)},
						{"contract", info.Contract.Hex()},
						{"peers", strconv.Itoa(info.Peers)},
						{"chain head", strconv.FormatUint(info.ChainHead, 10)},
						{"synced block", strconv.FormatUint(info.SyncedBlock, 10)},
						{"version", info.Version},
					})
				})
			})
		},
	}
}
