package contracts

import (
	"context"
	"crypto/ecdsa"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/contracts/bindings"
)

// Deploy deploys a new SluiceChannels from key's account and returns a client of it
// signing with the same key, plus the deployment receipt.
func Deploy(ctx context.Context, backend Backend, key *ecdsa.PrivateKey, opts Options) (*Client, *types.Receipt, error) {
	if key == nil {
		return nil, nil, fmt.Errorf("deploy SluiceChannels: %w", ErrReadOnly)
	}
	c, err := New(ctx, backend, common.Address{}, key, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("deploy SluiceChannels: %w", err)
	}
	code := common.FromHex(bindings.SluiceChannelsMetaData.Bin)
	if len(code) == 0 {
		return nil, nil, fmt.Errorf("deploy SluiceChannels: bindings carry no bytecode")
	}
	tx, err := c.send(ctx, nil, code, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("deploy SluiceChannels: %w", err)
	}
	rec, err := c.waitSuccess(ctx, tx)
	if err != nil {
		return nil, rec, fmt.Errorf("deploy SluiceChannels: %w", err)
	}
	if rec.ContractAddress == (common.Address{}) {
		return nil, rec, fmt.Errorf("deploy SluiceChannels: receipt of %s has no contract address", tx.Hash())
	}
	c.contract = rec.ContractAddress
	return c, rec, nil
}
