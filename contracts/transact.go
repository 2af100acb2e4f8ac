package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// transact estimates, signs, sends and waits for one transaction from the client's key
// and returns its receipt. A revert found while estimating is returned as a decoded
// *RevertError and nothing is sent; a transaction mined with status 0 returns its
// receipt and an error wrapping ErrTxFailed (and the revert, when it reproduces).
func (c *Client) transact(ctx context.Context, to common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	tx, err := c.send(ctx, &to, data, value)
	if err != nil {
		return nil, err
	}
	return c.waitSuccess(ctx, tx)
}

// send prepares and submits a transaction without waiting for it to be mined.
func (c *Client) send(ctx context.Context, to *common.Address, data []byte, value *big.Int) (*types.Transaction, error) {
	if c.key == nil {
		return nil, ErrReadOnly
	}
	if value == nil {
		value = new(big.Int)
	}
	gas, tip, feeCap, err := c.price(ctx, to, data, value)
	if err != nil {
		return nil, err
	}
	var signed *types.Transaction
	_, err = c.nonces.send(ctx, func(nonce uint64) error {
		tx := types.NewTx(&types.DynamicFeeTx{
			ChainID:   c.chainID,
			Nonce:     nonce,
			GasTipCap: tip,
			GasFeeCap: feeCap,
			Gas:       gas,
			To:        to,
			Value:     value,
			Data:      data,
		})
		s, err := types.SignTx(tx, c.signer, c.key)
		if err != nil {
			return fmt.Errorf("sign transaction: %w", err)
		}
		if err := c.backend.SendTransaction(ctx, s); err != nil {
			return fmt.Errorf("send transaction %s (nonce %d): %w", s.Hash(), nonce, err)
		}
		signed = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return signed, nil
}

// price estimates gas with headroom and picks fees for a call from the client's key.
// A revert found while estimating comes back decoded.
func (c *Client) price(ctx context.Context, to *common.Address, data []byte, value *big.Int) (gas uint64, tip, feeCap *big.Int, err error) {
	gas, err = c.backend.EstimateGas(ctx, ethereum.CallMsg{From: c.from, To: to, Value: value, Data: data})
	if err != nil {
		return 0, nil, nil, c.revert.wrap("estimate gas", err)
	}
	// Headroom: the estimate is made against the head, the transaction runs against a
	// later state (a concurrent deposit, a warmer or colder slot) and must not run out.
	gas += gas * uint64(c.opts.GasHeadroomPercent) / 100
	tip, feeCap, err = c.fees(ctx)
	if err != nil {
		return 0, nil, nil, err
	}
	return gas, tip, feeCap, nil
}

// fees picks EIP-1559 fees: the node's suggested tip, and a fee cap of twice the
// current base fee plus the tip, which survives six full blocks of base fee growth.
func (c *Client) fees(ctx context.Context) (tip, feeCap *big.Int, err error) {
	tip, err = c.backend.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("suggest gas tip: %w", err)
	}
	head, err := c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("head header: %w", err)
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	feeCap = new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)
	return tip, feeCap, nil
}

// waitSuccess waits for tx's receipt and turns a failed one into an error.
func (c *Client) waitSuccess(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	rec, err := c.WaitReceipt(ctx, tx.Hash())
	if err != nil {
		// The transaction may never have reached a block producer (a dropped pool,
		// a restarted node); the next one must not build on its nonce.
		c.nonces.invalidate()
		return nil, err
	}
	if rec.Status == types.ReceiptStatusSuccessful {
		return rec, nil
	}
	if rev := c.replayRevert(ctx, tx, rec); rev != nil {
		return rec, fmt.Errorf("transaction %s in block %d: %w: %w", tx.Hash(), rec.BlockNumber, ErrTxFailed, rev)
	}
	return rec, fmt.Errorf("transaction %s in block %d: %w", tx.Hash(), rec.BlockNumber, ErrTxFailed)
}

// replayRevert re-runs a failed transaction as a call on the state before its block to
// recover the revert data, which receipts do not carry. Earlier transactions of the same
// block are not replayed, so this is best effort.
func (c *Client) replayRevert(ctx context.Context, tx *types.Transaction, rec *types.Receipt) *RevertError {
	if rec.BlockNumber == nil || rec.BlockNumber.Sign() == 0 {
		return nil
	}
	parent := new(big.Int).Sub(rec.BlockNumber, big.NewInt(1))
	_, err := c.backend.CallContract(ctx, ethereum.CallMsg{
		From: c.from, To: tx.To(), Value: tx.Value(), Data: tx.Data(), Gas: tx.Gas(),
	}, parent)
	return c.revert.fromRPC(err)
}

// headSubscriber is implemented by backends that push new heads (in-process and
// WebSocket clients); over HTTP the subscription fails and the client polls.
type headSubscriber interface {
	SubscribeNewHead(ctx context.Context, ch chan<- *types.Header) (ethereum.Subscription, error)
}

// WaitReceipt waits until the transaction hash is mined and returns its receipt, or
// fails when ctx ends. It checks on every new head when the backend can push them, and
// otherwise polls: often for the first seconds (an automining dev chain answers within
// milliseconds), then backing off to Options.MaxPollInterval for real networks.
func (c *Client) WaitReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	const (
		fastPhase   = 5 * time.Second
		fastCeiling = 50 * time.Millisecond
	)
	var heads chan *types.Header
	if hs, ok := c.backend.(headSubscriber); ok {
		ch := make(chan *types.Header, 1)
		if sub, err := hs.SubscribeNewHead(ctx, ch); err == nil {
			defer sub.Unsubscribe()
			heads = ch
		}
	}
	start := time.Now()
	interval := 5 * time.Millisecond
	if heads != nil {
		// Heads do the work; the poll only covers a missed or dropped notification.
		interval = c.opts.MaxPollInterval
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for receipt of %s: %w", hash, ctx.Err())
		case <-heads:
		case <-timer.C:
			ceiling := c.opts.MaxPollInterval
			if heads == nil && time.Since(start) < fastPhase {
				ceiling = min(ceiling, fastCeiling)
			}
			interval = min(interval*2, ceiling)
			timer.Reset(interval)
		}
		rec, err := c.backend.TransactionReceipt(ctx, hash)
		if err == nil && rec != nil {
			// A node can serve a receipt a moment before its block becomes the head
			// (geth inserts the block, then moves the head). Callers read the block's
			// logs next, which fails beyond the head, so the head must include it.
			head, herr := c.backend.BlockNumber(ctx)
			if herr == nil && rec.BlockNumber != nil && head >= rec.BlockNumber.Uint64() {
				return rec, nil
			}
			continue
		}
		if err != nil && !errors.Is(err, ethereum.NotFound) && ctx.Err() == nil {
			// Transient RPC failures are retried; the context bounds the wait.
			c.opts.Logger.Debug("receipt poll failed", "tx", hash, "err", err)
		}
	}
}

// call runs a read-only call against the head and decodes reverts.
func (c *Client) call(ctx context.Context, to common.Address, data []byte) ([]byte, error) {
	out, err := c.backend.CallContract(ctx, ethereum.CallMsg{From: c.from, To: &to, Data: data}, nil)
	if err != nil {
		return nil, c.revert.wrap("call", err)
	}
	return out, nil
}
