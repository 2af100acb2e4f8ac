package contracts

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// zeroLocked is what a lock-free proof's nil Locked packs as; shared and never written.
var zeroLocked = new(big.Int)

// lockedOf is p.Locked, or 0 for a direct (lock-free) proof whose Locked is nil.
func lockedOf(p channel.BalanceProof) *big.Int {
	if p.Locked == nil {
		return zeroLocked
	}
	return p.Locked
}

// abiLocks converts locks to the binding's struct, refusing nil or negative amounts.
func abiLocks(locks []channel.Lock) ([]bindings.SluiceChannelsLock, error) {
	out := make([]bindings.SluiceChannelsLock, len(locks))
	for i, l := range locks {
		if err := checkAmounts(l.Amount); err != nil {
			return nil, fmt.Errorf("lock %d: %w", i, err)
		}
		out[i] = bindings.SluiceChannelsLock{Amount: l.Amount, Expiration: l.Expiration, SecretHash: l.SecretHash}
	}
	return out, nil
}

// RegisterSecret publishes secret in the contract's secret registry, so that every lock on
// keccak256(secret) whose expiration is at or after this block's timestamp is claimable. A
// secret already registered is a no-op on chain (the first registration's time stands).
func (c *Client) RegisterSecret(ctx context.Context, secret [32]byte) (*types.Receipt, error) {
	rec, err := c.transact(ctx, c.contract, c.channels.PackRegisterSecret(secret), nil)
	if err != nil {
		return rec, fmt.Errorf("register secret of hash %x: %w", channel.SecretHash(secret), err)
	}
	return rec, nil
}

// RegisterSecrets registers several secrets in one transaction.
func (c *Client) RegisterSecrets(ctx context.Context, secrets [][32]byte) (*types.Receipt, error) {
	data, err := c.channels.TryPackRegisterSecrets(secrets)
	if err != nil {
		return nil, fmt.Errorf("register %d secrets: %w", len(secrets), err)
	}
	rec, err := c.transact(ctx, c.contract, data, nil)
	if err != nil {
		return rec, fmt.Errorf("register %d secrets: %w", len(secrets), err)
	}
	return rec, nil
}

// Unlock pays out, after settlement, the locks sender's last on-chain proof held: locks must
// be that proof's pending locks in creation order. Anyone may send it.
func (c *Client) Unlock(ctx context.Context, id channel.ID, sender common.Address, locks []channel.Lock) (*types.Receipt, error) {
	al, err := abiLocks(locks)
	if err != nil {
		return nil, fmt.Errorf("unlock %s from %s: %w", id, sender, err)
	}
	data, err := c.channels.TryPackUnlock(id, sender, al)
	if err != nil {
		return nil, fmt.Errorf("unlock %s from %s: %w", id, sender, err)
	}
	rec, err := c.transact(ctx, c.contract, data, nil)
	if err != nil {
		return rec, fmt.Errorf("unlock %d locks of %s from %s: %w", len(locks), id, sender, err)
	}
	return rec, nil
}

// SecretRegisteredAt is the block timestamp of secretHash's first registration, 0 if none.
func (c *Client) SecretRegisteredAt(ctx context.Context, secretHash [32]byte) (uint64, error) {
	out, err := c.call(ctx, c.contract, c.channels.PackSecretRegisteredAt(secretHash))
	if err != nil {
		return 0, fmt.Errorf("secret registration of %x: %w", secretHash, err)
	}
	t, err := c.channels.UnpackSecretRegisteredAt(out)
	if err != nil {
		return 0, fmt.Errorf("secret registration of %x: decode: %w", secretHash, err)
	}
	if !t.IsUint64() {
		return 0, fmt.Errorf("secret registration of %x: time %s beyond uint64", secretHash, t)
	}
	return t.Uint64(), nil
}

// PendingUnlock is what settle held back for sender's locks in channel id and no unlock has
// paid out yet: a zero receiver means nothing is pending.
func (c *Client) PendingUnlock(ctx context.Context, id channel.ID, sender common.Address) (receiver common.Address, held *big.Int, err error) {
	out, err := c.call(ctx, c.contract, c.channels.PackPendingUnlock(id, sender))
	if err != nil {
		return common.Address{}, nil, fmt.Errorf("pending unlock of %s from %s: %w", id, sender, err)
	}
	v, err := c.channels.UnpackPendingUnlock(out)
	if err != nil {
		return common.Address{}, nil, fmt.Errorf("pending unlock of %s from %s: decode: %w", id, sender, err)
	}
	return v.Receiver, v.Held, nil
}

// HashLocksRoot asks the contract for the locksRoot of locks (channel.LocksRoot is tested
// against it).
func (c *Client) HashLocksRoot(ctx context.Context, locks []channel.Lock) (common.Hash, error) {
	al, err := abiLocks(locks)
	if err != nil {
		return common.Hash{}, fmt.Errorf("hash locks root: %w", err)
	}
	data, err := c.channels.TryPackHashLocksRoot(al)
	if err != nil {
		return common.Hash{}, fmt.Errorf("hash locks root: %w", err)
	}
	return c.hashView(ctx, "hash locks root", data, c.channels.UnpackHashLocksRoot)
}
