package devchain

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/contracts/bindings"
)

// deploy deploys SluiceChannels from account #0 as the chain's first transaction, so
// its address is the same on every dev chain (and on a fresh Anvil deployed the same way).
func (c *Chain) deploy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	deployer := c.accounts[0]
	code := common.FromHex(bindings.SluiceChannelsMetaData.Bin)
	gas, err := c.client.EstimateGas(ctx, ethereum.CallMsg{From: deployer.Address, Data: code})
	if err != nil {
		return fmt.Errorf("devchain: deploy SluiceChannels: estimate gas: %w", err)
	}
	nonce, err := c.client.PendingNonceAt(ctx, deployer.Address)
	if err != nil {
		return fmt.Errorf("devchain: deploy SluiceChannels: nonce: %w", err)
	}
	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("devchain: deploy SluiceChannels: head: %w", err)
	}
	tip := big.NewInt(1_000_000_000)
	tx, err := types.SignNewTx(deployer.Key, types.LatestSignerForChainID(c.ChainID()), &types.DynamicFeeTx{
		ChainID:   c.ChainID(),
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
		Gas:       gas + gas/4,
		Data:      code,
	})
	if err != nil {
		return fmt.Errorf("devchain: deploy SluiceChannels: sign: %w", err)
	}
	if err := c.client.SendTransaction(ctx, tx); err != nil {
		return fmt.Errorf("devchain: deploy SluiceChannels: send: %w", err)
	}
	// With automine the block is already on its way; mining here too would only add an
	// empty block, so commit only when mining is manual.
	for {
		rec, err := c.client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if rec.Status != types.ReceiptStatusSuccessful {
				return fmt.Errorf("devchain: deploy SluiceChannels: transaction %s reverted", tx.Hash())
			}
			c.contract = rec.ContractAddress
			return nil
		}
		if c.manual {
			c.Commit()
			continue
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("devchain: deploy SluiceChannels: wait for receipt: %w", ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}
