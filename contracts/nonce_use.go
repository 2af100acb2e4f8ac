package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Which transaction of the client's account used a nonce, read from one block (ADR 0042).
// A receipt lookup cannot answer it: behind a load-balanced RPC provider the account's
// nonce may come from a backend a block ahead of the one serving receipts, and a missing
// receipt then looks like a nonce taken by someone else. The block where the account's
// nonce passed N carries the one transaction of the account with nonce N; its hash says
// whose it is.

// ErrNoNonceEvidence means the chain could not show, at one block, which transaction
// used a nonce: the count and the block disagree (two backends, a reorg in between), or
// the head does not show the nonce used yet. Nothing may be concluded; ask again later.
var ErrNoNonceEvidence = errors.New("no block shows which transaction used the nonce")

// NonceUse is the transaction of the client's account that used a nonce, and its block.
type NonceUse struct {
	Block     uint64
	BlockHash common.Hash
	TxHash    common.Hash
}

// blockReader is implemented by *ethclient.Client and the dev chain's client.
type blockReader interface {
	BlockByNumber(ctx context.Context, number *big.Int) (*types.Block, error)
}

// FindNonceUse returns the transaction of the client's account that used nonce: it finds
// the first block at or below the head where the account's nonce is past it (searching
// down from the head, then bisecting, so a nonce used lately costs a few reads), then
// takes the account's transaction with that nonce from that block's body. Any read the
// backend refuses, or a body that does not hold such a transaction, is an error
// (ErrNoNonceEvidence for the latter): the caller must decide nothing on it.
func (c *Client) FindNonceUse(ctx context.Context, nonce uint64) (NonceUse, error) {
	nr, ok := c.backend.(nonceAtReader)
	br, ok2 := c.backend.(blockReader)
	if !ok || !ok2 {
		return NonceUse{}, fmt.Errorf("use of nonce %d of %s: the chain backend %T cannot read nonces or blocks at a height", nonce, c.from, c.backend)
	}
	count := func(block uint64) (uint64, error) {
		n, err := nr.NonceAt(ctx, c.from, new(big.Int).SetUint64(block))
		if err != nil {
			return 0, fmt.Errorf("use of nonce %d of %s: nonce at block %d: %w", nonce, c.from, block, err)
		}
		return n, nil
	}
	head, err := c.backend.BlockNumber(ctx)
	if err != nil {
		return NonceUse{}, fmt.Errorf("use of nonce %d of %s: head: %w", nonce, c.from, err)
	}
	at, err := count(head)
	if err != nil {
		return NonceUse{}, err
	}
	if at <= nonce {
		return NonceUse{}, fmt.Errorf("use of nonce %d of %s: count %d at head %d: %w", nonce, c.from, at, head, ErrNoNonceEvidence)
	}
	// used: the nonce is used at this block; unused: not yet at this one (or below it).
	used, unused, hasUnused := head, uint64(0), false
	for step := uint64(1); !hasUnused; step *= 2 {
		if used == 0 {
			break // used at genesis: block 0 carries no transaction
		}
		probe := uint64(0)
		if used > step {
			probe = used - step
		}
		n, err := count(probe)
		if err != nil {
			return NonceUse{}, err
		}
		if n > nonce {
			used = probe
		} else {
			unused, hasUnused = probe, true
		}
	}
	if !hasUnused {
		return NonceUse{}, fmt.Errorf("use of nonce %d of %s: counted at genesis: %w", nonce, c.from, ErrNoNonceEvidence)
	}
	for used-unused > 1 {
		mid := unused + (used-unused)/2
		n, err := count(mid)
		if err != nil {
			return NonceUse{}, err
		}
		if n > nonce {
			used = mid
		} else {
			unused = mid
		}
	}
	return c.nonceUseIn(ctx, br, used, nonce)
}

// nonceUseIn finds the account's transaction with nonce in block number's body.
func (c *Client) nonceUseIn(ctx context.Context, br blockReader, number, nonce uint64) (NonceUse, error) {
	b, err := br.BlockByNumber(ctx, new(big.Int).SetUint64(number))
	if err != nil {
		return NonceUse{}, fmt.Errorf("use of nonce %d of %s: block %d: %w", nonce, c.from, number, err)
	}
	if b == nil || b.NumberU64() != number {
		return NonceUse{}, fmt.Errorf("use of nonce %d of %s: block %d not served: %w", nonce, c.from, number, ErrNoNonceEvidence)
	}
	for _, tx := range b.Transactions() {
		if tx.Nonce() != nonce {
			continue
		}
		from, err := types.Sender(c.signer, tx)
		if err != nil || from != c.from {
			continue
		}
		return NonceUse{Block: number, BlockHash: b.Hash(), TxHash: tx.Hash()}, nil
	}
	return NonceUse{}, fmt.Errorf("use of nonce %d of %s: block %d (%s) holds no transaction of the account with it: %w", nonce, c.from, number, b.Hash(), ErrNoNonceEvidence)
}
