// Command gasreport measures the gas of every SluiceChannels operation on a real chain and
// prints it beside the published anchors it must beat. scripts/gas-report runs it.
//
//	gasreport            start the pinned Anvil, measure, print a table, stop Anvil
//	gasreport --json     the same, printing one JSON object
//	gasreport --rpc URL  measure on a running chain whose first three Anvil test
//	                     accounts are funded (chain time must be movable with evm_increaseTime)
package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/contracts/devchain"
)

func main() {
	jsonOut := flag.Bool("json", false, "print one JSON object instead of a table")
	rpcURL := flag.String("rpc", "", "JSON-RPC URL of a running chain (default: start Anvil)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *rpcURL, *jsonOut, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gasreport:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, rpcURL string, jsonOut bool, w io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if rpcURL == "" {
		anvil, err := anviltest.Run(ctx)
		if err != nil {
			return err
		}
		// Deferred so Anvil stops on every path, including a failed measurement.
		defer func() {
			if err := anvil.Stop(); err != nil {
				fmt.Fprintln(os.Stderr, "gasreport: stop anvil:", err)
			}
		}()
		rpcURL = anvil.URL
	}
	client, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return fmt.Errorf("dial %s: %w", rpcURL, err)
	}
	defer client.Close()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("chain id of %s: %w", rpcURL, err)
	}
	var keys []*ecdsa.PrivateKey
	for _, acc := range devchain.TestAccounts()[:3] {
		keys = append(keys, acc.Key)
	}
	report, err := measure(ctx, &chain{client: client, chainID: chainID}, keys)
	if err != nil {
		return err
	}
	if jsonOut {
		return json.NewEncoder(w).Encode(report)
	}
	return printTable(w, report)
}

// Anchors are published gas figures of comparable contracts (docs/adr/0001).
const (
	raidenOpenWithDeposit = 146_956
	raidenCoopSettle      = 112_270
	nitroHappyExit        = 111_514
	nitroSadPath          = 195_172
	// raidenUpdateNonClosing is Raiden's updateNonClosingBalanceProof, which like
	// updateProofFor carries the receiver's signature besides the payer's.
	raidenUpdateNonClosing = 90_516
	// Raiden's SecretRegistry.registerSecret and TokenNetwork.unlock (issue 17).
	raidenRegisterSecret = 46_181
	raidenUnlock1        = 38_619
	raidenUnlock6        = 53_246
)

func printTable(w io.Writer, r Report) error {
	rows := []struct {
		op     string
		gas    uint64
		anchor string
	}{
		{"open (ETH deposit)", r.OpenETH, fmt.Sprintf("Raiden openChannelWithDeposit %d", raidenOpenWithDeposit)},
		{"open (ERC-20 deposit)", r.OpenERC20, fmt.Sprintf("Raiden openChannelWithDeposit %d", raidenOpenWithDeposit)},
		{"deposit", r.Deposit, ""},
		{"withdraw", r.Withdraw, ""},
		{"closeCooperative", r.CloseCooperative, fmt.Sprintf("go-nitro happy exit %d, Raiden %d", nitroHappyExit, raidenCoopSettle)},
		{"close", r.Close, ""},
		{"updateProof", r.UpdateProof, fmt.Sprintf("Raiden updateNonClosingBalanceProof %d", raidenUpdateNonClosing)},
		{"updateProofFor (watchtower)", r.UpdateProofFor, fmt.Sprintf("Raiden updateNonClosingBalanceProof %d", raidenUpdateNonClosing)},
		{"settle", r.Settle, ""},
		{"close + updateProof + settle", r.SadPath(), fmt.Sprintf("go-nitro sad path %d", nitroSadPath)},
		{"claim (via forwarder)", r.Claim, ""},
		{"registerSecret", r.RegisterSecret, fmt.Sprintf("Raiden registerSecret %d", raidenRegisterSecret)},
		{fmt.Sprintf("registerSecrets (%d)", registerSecretsBatch), r.RegisterSecrets, fmt.Sprintf("%d x Raiden registerSecret %d", registerSecretsBatch, registerSecretsBatch*raidenRegisterSecret)},
		{"unlock (1 lock)", r.Unlock1, fmt.Sprintf("Raiden unlock 1 lock %d", raidenUnlock1)},
		{"unlock (6 locks)", r.Unlock6, fmt.Sprintf("Raiden unlock 6 locks %d", raidenUnlock6)},
	}
	if _, err := fmt.Fprintf(w, "%-30s %10s   %s\n", "operation", "gas", "anchor to beat"); err != nil {
		return err
	}
	for _, row := range rows {
		if _, err := fmt.Fprintf(w, "%-30s %10d   %s\n", row.op, row.gas, row.anchor); err != nil {
			return err
		}
	}
	return nil
}
