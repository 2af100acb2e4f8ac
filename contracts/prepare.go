package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// Two-phase writes, for a caller that must persist a signed transaction before it is
// broadcast (so that after a crash it re-broadcasts the same transaction instead of
// signing a second one): PrepareTx, store it, Broadcast, WaitTx. The one-call writes
// (Open, Settle, ...) are PrepareTx+Broadcast+WaitTx without the persistence gap.

// PrepareTx builds and signs a call of the contract with calldata data (pack it with
// the bindings) and value in wei, without sending it. A call that would revert fails
// here with the decoded *RevertError. The nonce is taken from the client's sequence at
// once, so prepared transactions must be broadcast in the order they were prepared.
func (c *Client) PrepareTx(ctx context.Context, data []byte, value *big.Int) (*types.Transaction, error) {
	if c.key == nil {
		return nil, ErrReadOnly
	}
	if value == nil {
		value = new(big.Int)
	}
	to := c.contract
	gas, tip, feeCap, err := c.price(ctx, &to, data, value)
	if err != nil {
		return nil, err
	}
	nonce, err := c.nonces.reserve(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := types.SignNewTx(c.key, c.signer, &types.DynamicFeeTx{
		ChainID: c.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: &to, Value: value, Data: data,
	})
	if err != nil {
		c.nonces.invalidate()
		return nil, fmt.Errorf("sign transaction: %w", err)
	}
	return tx, nil
}

// Broadcast sends a signed transaction. Sending one the node already has, or one
// already mined, succeeds: re-broadcasting after a crash or a timeout is safe. Any other
// failure makes the client resynchronise its nonce before the next transaction.
func (c *Client) Broadcast(ctx context.Context, tx *types.Transaction) error {
	err := c.backend.SendTransaction(ctx, tx)
	if err == nil {
		return nil
	}
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "already known") || strings.Contains(msg, "already imported") {
		return nil
	}
	if strings.Contains(msg, "nonce too low") {
		if _, rerr := c.backend.TransactionReceipt(ctx, tx.Hash()); rerr == nil {
			return nil
		}
		c.nonces.invalidate()
		return fmt.Errorf("broadcast transaction %s (nonce %d): %w: %w", tx.Hash(), tx.Nonce(), ErrNonceTaken, err)
	}
	c.nonces.invalidate()
	if _, answered := errors.AsType[rpc.Error](err); answered {
		return fmt.Errorf("broadcast transaction %s (nonce %d): %w: %w", tx.Hash(), tx.Nonce(), ErrBroadcastRefused, err)
	}
	return fmt.Errorf("broadcast transaction %s (nonce %d): %w", tx.Hash(), tx.Nonce(), err)
}

var (
	// ErrBroadcastRefused means the chain's node answered a broadcast with an error (a
	// JSON-RPC error response): it did not take the transaction. Other broadcast errors
	// (a timeout, a dropped connection) leave open whether it did.
	ErrBroadcastRefused = errors.New("broadcast refused by the chain node")
	// ErrNonceTaken means another transaction of the same account, mined already, used
	// the transaction's nonce: it can never be mined and must be signed again.
	ErrNonceTaken = errors.New("nonce already used by another transaction")
)

// WaitTx waits for tx to be mined. A transaction that failed on chain returns its
// receipt and an error wrapping ErrTxFailed (and the decoded revert when a replay
// reproduces it).
func (c *Client) WaitTx(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	return c.waitSuccess(ctx, tx)
}

// DecodeRevert turns an error from eth_call or eth_estimateGas made outside the client
// into the decoded *RevertError (wrapped, so errors.Is(err, ErrStaleNonce) works). Errors
// that are not reverts are returned unchanged.
func (c *Client) DecodeRevert(err error) error {
	var already *RevertError
	if err == nil || errors.As(err, &already) {
		return err
	}
	if rev := c.revert.fromRPC(err); rev != nil {
		return fmt.Errorf("%w: %w", err, rev)
	}
	return err
}
