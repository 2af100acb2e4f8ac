package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// What a caller driving its own transactions to a block needs beyond PrepareTx,
// Broadcast and WaitTx: look a receipt up without waiting, tell a transaction whose nonce
// was used by another one (the same key used outside this client) from one still
// pending, and replace a pending one with a higher fee.

// ErrFeeCeiling means a replacement would need a fee cap above the caller's ceiling;
// the pending transaction stays as it is.
var ErrFeeCeiling = errors.New("replacement fee would exceed the fee ceiling")

// feeBumpPercent is the least a replacement must raise both the tip and the fee cap:
// geth's txpool (and Anvil) refuse a replacement under +10%; 12.5% leaves room for
// rounding and for pools configured stricter, as go-ethereum's own tools do.
const feeBumpPercent = 125

// nonceAtReader is implemented by *ethclient.Client and the dev chain's client; the
// contract backend interface of bind only offers the pending nonce.
type nonceAtReader interface {
	NonceAt(ctx context.Context, account common.Address, blockNumber *big.Int) (uint64, error)
}

// ConfirmedNonce is the nonce the client's account will use next according to the
// latest block: every transaction of the account with a lower nonce is mined, ours or not.
func (c *Client) ConfirmedNonce(ctx context.Context) (uint64, error) {
	r, ok := c.backend.(nonceAtReader)
	if !ok {
		return 0, fmt.Errorf("confirmed nonce of %s: the chain backend %T cannot report it", c.from, c.backend)
	}
	n, err := r.NonceAt(ctx, c.from, nil)
	if err != nil {
		return 0, fmt.Errorf("confirmed nonce of %s: %w", c.from, err)
	}
	return n, nil
}

// LookupReceipt returns the receipt of hash if it is mined at or below the head, and nil
// (no error) while it is not.
func (c *Client) LookupReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	rec, err := c.backend.TransactionReceipt(ctx, hash)
	if errors.Is(err, ethereum.NotFound) || (err == nil && rec == nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("receipt of %s: %w", hash, err)
	}
	// As in WaitReceipt: the block must be the head or below it before its logs are read.
	head, err := c.backend.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	if rec.BlockNumber == nil || head < rec.BlockNumber.Uint64() {
		return nil, nil
	}
	return rec, nil
}

// ReceiptKnown reports whether the chain node has a receipt for hash at all, even one in
// a block its head does not show yet (which LookupReceipt answers as none). A node may
// index a block's receipts before it advances eth_blockNumber; a caller that would act on
// "no receipt" (sign the call again) asks this first.
func (c *Client) ReceiptKnown(ctx context.Context, hash common.Hash) (bool, error) {
	rec, err := c.backend.TransactionReceipt(ctx, hash)
	if errors.Is(err, ethereum.NotFound) || (err == nil && rec == nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("receipt of %s: %w", hash, err)
	}
	return true, nil
}

// ReceiptError turns a mined receipt of tx into the error WaitTx reports: nil for
// success, ErrTxFailed (with the decoded revert when a replay reproduces it) otherwise.
func (c *Client) ReceiptError(ctx context.Context, tx *types.Transaction, rec *types.Receipt) error {
	if rec.Status == types.ReceiptStatusSuccessful {
		return nil
	}
	if rev := c.replayRevert(ctx, tx, rec); rev != nil {
		return fmt.Errorf("transaction %s in block %d: %w: %w", rec.TxHash, rec.BlockNumber, ErrTxFailed, rev)
	}
	return fmt.Errorf("transaction %s in block %d: %w", rec.TxHash, rec.BlockNumber, ErrTxFailed)
}

// ResyncNonce makes the next PrepareTx read the account's pending nonce from the chain,
// e.g. after a transaction's nonce was used by another one.
func (c *Client) ResyncNonce() { c.nonces.invalidate() }

// ReplaceTx signs tx again with the same nonce, calldata, value and gas and a higher
// fee: at least +12.5% on both the tip and the fee cap (what pools require to replace a
// pending transaction), and no less than the fees the chain asks for now. maxFeeCap
// (nil: no ceiling) bounds the fee cap; a replacement that would need more fails with
// ErrFeeCeiling.
func (c *Client) ReplaceTx(ctx context.Context, tx *types.Transaction, maxFeeCap *big.Int) (*types.Transaction, error) {
	if c.key == nil {
		return nil, ErrReadOnly
	}
	tip, feeCap, err := c.fees(ctx)
	if err != nil {
		return nil, err
	}
	tip = maxBig(tip, bump(tx.GasTipCap()))
	feeCap = maxBig(feeCap, bump(tx.GasFeeCap()))
	if feeCap.Cmp(tip) < 0 {
		feeCap = new(big.Int).Set(tip)
	}
	if maxFeeCap != nil && maxFeeCap.Sign() > 0 && feeCap.Cmp(maxFeeCap) > 0 {
		return nil, fmt.Errorf("replace transaction %s (nonce %d): fee cap %s wei: %w (%s wei)", tx.Hash(), tx.Nonce(), feeCap, ErrFeeCeiling, maxFeeCap)
	}
	signed, err := types.SignNewTx(c.key, c.signer, &types.DynamicFeeTx{
		ChainID: c.chainID, Nonce: tx.Nonce(), GasTipCap: tip, GasFeeCap: feeCap, Gas: tx.Gas(),
		To: tx.To(), Value: tx.Value(), Data: tx.Data(),
	})
	if err != nil {
		return nil, fmt.Errorf("sign replacement of %s: %w", tx.Hash(), err)
	}
	return signed, nil
}

// bump raises v by feeBumpPercent, rounding up, and by at least 1 wei.
func bump(v *big.Int) *big.Int {
	out := new(big.Int).Mul(v, big.NewInt(feeBumpPercent))
	out.Add(out, big.NewInt(99))
	out.Div(out, big.NewInt(100))
	if out.Cmp(v) <= 0 {
		out.Add(v, big.NewInt(1))
	}
	return out
}

func maxBig(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}
