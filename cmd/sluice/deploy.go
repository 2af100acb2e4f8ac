package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/contracts"
)

type deployResult struct {
	Contract common.Address `json:"contract"`
	TxHash   common.Hash    `json:"txHash"`
	Block    uint64         `json:"block"`
	GasUsed  uint64         `json:"gasUsed"`
	ChainID  string         `json:"chainId"`
	Deployer common.Address `json:"deployer"`
}

// deployCommand deploys the SluiceChannels singleton on any EVM chain (Anvil, a testnet),
// paid by the data directory's key. One deployment serves every channel on that chain.
func deployCommand() *cli.Command {
	return &cli.Command{
		Name:  "deploy",
		Usage: "deploy the SluiceChannels contract with the data directory's key and print its address",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagRPC, Usage: "chain JSON-RPC URL (http://, ws://)", Required: true, EnvVars: commandEnvVar("deploy", flagRPC)},
			passwordFileFlag(),
			&cli.DurationFlag{Name: "timeout", Usage: "give up waiting for the deployment to be mined after this long", Value: 2 * time.Minute},
			jsonFlag(),
		},
		Action: runDeploy,
	}
}

func runDeploy(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	key, err := loadKey(c, dataDir(c))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("timeout"))
	defer cancel()
	eth, err := ethclient.DialContext(ctx, c.String(flagRPC))
	if err != nil {
		return fmt.Errorf("dial %s: %w", c.String(flagRPC), err)
	}
	defer eth.Close()
	fmt.Fprintln(c.App.ErrWriter, "deploying SluiceChannels, waiting for it to be mined...")
	client, rcpt, err := contracts.Deploy(ctx, eth, key, contracts.Options{})
	if err != nil {
		return err
	}
	res := deployResult{
		Contract: client.Contract(),
		TxHash:   rcpt.TxHash,
		Block:    rcpt.BlockNumber.Uint64(),
		GasUsed:  rcpt.GasUsed,
		ChainID:  client.ChainID().String(),
		Deployer: client.Address(),
	}
	return output(c, res, func(w io.Writer) error {
		return keyValues(w, [][2]string{
			{"contract", res.Contract.Hex()},
			{"chain id", res.ChainID},
			{"deployer", res.Deployer.Hex()},
			{"tx", res.TxHash.Hex()},
			{"block", strconv.FormatUint(res.Block, 10)},
			{"gas used", strconv.FormatUint(res.GasUsed, 10)},
		})
	})
}
