package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

// chain sends signed transactions to a JSON-RPC endpoint and waits for their receipts.
type chain struct {
	client  *ethclient.Client
	chainID *big.Int
}

// send signs and sends a transaction with an estimated gas limit and returns its receipt.
// A revert, during estimation or when mined, is an error naming the step.
func (c *chain) send(ctx context.Context, step string, key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
	from := crypto.PubkeyToAddress(key.PublicKey)
	if value == nil {
		value = new(big.Int)
	}
	gas, err := c.client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: to, Value: value, Data: data})
	if err != nil {
		return nil, fmt.Errorf("%s: estimate gas: %w", step, err)
	}
	nonce, err := c.client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("%s: nonce of %s: %w", step, from, err)
	}
	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: head: %w", step, err)
	}
	tip := big.NewInt(1_000_000_000)
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(c.chainID), &types.DynamicFeeTx{
		ChainID:   c.chainID,
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
		Gas:       gas + gas/4 + 10_000, // estimates can be tight after refunds
		To:        to,
		Value:     value,
		Data:      data,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: sign: %w", step, err)
	}
	if err := c.client.SendTransaction(ctx, tx); err != nil {
		return nil, fmt.Errorf("%s: send: %w", step, err)
	}
	for {
		rec, err := c.client.TransactionReceipt(ctx, tx.Hash())
		switch {
		case err == nil && rec.Status != types.ReceiptStatusSuccessful:
			return nil, fmt.Errorf("%s: transaction %s reverted", step, tx.Hash())
		case err == nil:
			return rec, c.waitForHead(ctx, step, rec.BlockNumber)
		case !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress"):
			return nil, fmt.Errorf("%s: receipt: %w", step, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: wait for receipt: %w", step, ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// waitForHead returns once the chain's head is at least block n. geth stores a block's
// receipts before it moves its head, so a receipt can be visible while "latest" (what the
// next step's gas estimate runs against) is still the block before: the estimate then
// misses the transaction just mined and reverts.
func (c *chain) waitForHead(ctx context.Context, step string, n *big.Int) error {
	for {
		head, err := c.client.HeaderByNumber(ctx, nil)
		if err != nil {
			return fmt.Errorf("%s: head: %w", step, err)
		}
		if head.Number.Cmp(n) >= 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: wait for head %s: %w", step, n, ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// advance moves chain time forward with the Anvil RPCs the dev chain also serves.
func (c *chain) advance(ctx context.Context, seconds int64) error {
	if err := c.client.Client().CallContext(ctx, nil, "evm_increaseTime", seconds); err != nil {
		return fmt.Errorf("evm_increaseTime: %w", err)
	}
	if err := c.client.Client().CallContext(ctx, nil, "evm_mine"); err != nil {
		return fmt.Errorf("evm_mine: %w", err)
	}
	return nil
}
