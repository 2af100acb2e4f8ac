package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/contracts/devchain"
)

const (
	flagPort      = "port"
	flagBlockTime = "block-time"
	defaultPort   = 8545 // Anvil's, so tools configured for Anvil work unchanged
)

type devnetAccount struct {
	Address common.Address `json:"address"`
	Key     string         `json:"privateKey"`
}

type devnetInfo struct {
	HTTPURL  string          `json:"httpUrl"`
	WSURL    string          `json:"wsUrl"`
	ChainID  *big.Int        `json:"chainId"`
	Contract common.Address  `json:"contract"`
	Accounts []devnetAccount `json:"accounts"`
}

func devnetCommand() *cli.Command {
	return &cli.Command{
		Name:  "devnet",
		Usage: "run a local dev chain (chain id 31337, funded test accounts, SluiceChannels deployed) on 127.0.0.1",
		Description: "Serves an in-process chain over JSON-RPC (HTTP and WebSocket on one port) until\n" +
			"interrupted. The printed accounts are Anvil's PUBLIC test keys: never fund them elsewhere.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: flagPort, Usage: "port on 127.0.0.1 (0 picks a free one)", Value: defaultPort, EnvVars: commandEnvVar("devnet", flagPort)},
			// Without interval mining an idle chain's time stands still and a settle after the
			// challenge period keeps reverting: calls run at the latest block's timestamp.
			&cli.DurationFlag{Name: flagBlockTime, Usage: "also mine an empty block at this interval so chain time advances (0 = only on transactions)", Value: time.Second, EnvVars: commandEnvVar("devnet", flagBlockTime)},
		},
		Action: runDevnet,
	}
}

func runDevnet(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	port := c.Int(flagPort)
	if port < 0 || port > 65535 {
		return usageErrorf("--%s %d is not a TCP port (0-65535)", flagPort, port)
	}
	blockTime := c.Duration(flagBlockTime)
	if blockTime < 0 {
		return usageErrorf("--%s %s must not be negative", flagBlockTime, blockTime)
	}
	log, err := newLogger(c)
	if err != nil {
		return err
	}
	chain, err := devchain.New(devchain.Options{Logger: log, BlockTime: blockTime})
	if err != nil {
		return fmt.Errorf("start dev chain: %w", err)
	}
	defer chain.Close()
	httpURL, wsURL, err := chain.Serve(c.Context, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return err
	}
	info := devnetInfo{HTTPURL: httpURL, WSURL: wsURL, ChainID: chain.ChainID(), Contract: chain.Contract()}
	for _, a := range chain.Accounts() {
		info.Accounts = append(info.Accounts, devnetAccount{Address: a.Address, Key: "0x" + hex.EncodeToString(crypto.FromECDSA(a.Key))})
	}
	if err := output(c, info, func(w io.Writer) error { return printDevnet(w, info) }); err != nil {
		return err
	}
	fmt.Fprintln(c.App.ErrWriter, "devnet running; press Ctrl-C to stop")
	<-c.Context.Done()
	signal.Reset(os.Interrupt, syscall.SIGTERM)
	return nil
}

func printDevnet(w io.Writer, info devnetInfo) error {
	contract := info.Contract.Hex()
	if info.Contract == (common.Address{}) {
		contract = "(not deployed)"
	}
	if err := keyValues(w, [][2]string{
		{"HTTP", info.HTTPURL},
		{"WebSocket", info.WSURL},
		{"chain id", info.ChainID.String()},
		{"contract", contract},
	}); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w, "\nFunded accounts (public test keys, never use them elsewhere):"); err != nil {
		return err
	}
	rows := [][]string{{"#", "ADDRESS", "PRIVATE KEY"}}
	for i, a := range info.Accounts {
		rows = append(rows, []string{strconv.Itoa(i), a.Address.Hex(), a.Key})
	}
	return table(w, rows)
}
