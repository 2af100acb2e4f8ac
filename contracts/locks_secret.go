package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// ErrSecretNotFound: the registry has a registration time for a hash, but no
// SecretRegistered log of it was found where that time says (a node pruned its logs).
var ErrSecretNotFound = errors.New("secret registration log not found")

// RegisteredSecret returns the secret registered for secretHash, found false when none
// is. The registry stores only the time; the secret is in the SecretRegistered log, found
// without scanning the chain: a binary search on block headers finds the first block of
// that timestamp, and the log is read from there on (one or a few eth_getLogs).
func (c *Client) RegisteredSecret(ctx context.Context, secretHash [32]byte) (secret [32]byte, found bool, err error) {
	at, err := c.SecretRegisteredAt(ctx, secretHash)
	if err != nil || at == 0 {
		return secret, false, err
	}
	head, err := c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return secret, false, fmt.Errorf("secret of %x: head: %w", secretHash, err)
	}
	last := head.Number.Uint64()
	lo, hi := uint64(0), last
	for lo < hi {
		mid := lo + (hi-lo)/2
		h, err := c.backend.HeaderByNumber(ctx, new(big.Int).SetUint64(mid))
		if err != nil {
			return secret, false, fmt.Errorf("secret of %x: header %d: %w", secretHash, mid, err)
		}
		if h.Time < at {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	topics := [][]common.Hash{{c.channels.GetABI().Events["SecretRegistered"].ID}, {secretHash}}
	for from := lo; from <= last; from += c.opts.LogPageBlocks {
		to := min(from+c.opts.LogPageBlocks-1, last)
		evs, err := c.scan(ctx, from, to, topics, "secret registration")
		if err != nil {
			return secret, false, err
		}
		for _, e := range evs {
			if r, ok := e.(SecretRegistered); ok && r.SecretHash == secretHash {
				return r.Secret, true, nil
			}
		}
		h, err := c.backend.HeaderByNumber(ctx, new(big.Int).SetUint64(to))
		if err != nil {
			return secret, false, fmt.Errorf("secret of %x: header %d: %w", secretHash, to, err)
		}
		if h.Time > at {
			break
		}
	}
	return secret, false, fmt.Errorf("secret of %x registered at %d: %w", secretHash, at, ErrSecretNotFound)
}
