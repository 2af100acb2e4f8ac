package node

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// claimReader is what the on-chain claims read of the contract (part of Chain).
type claimReader interface {
	// SecretRegisteredAt is the block timestamp of secretHash's first registration in
	// the contract's secret registry, 0 if none.
	SecretRegisteredAt(ctx context.Context, secretHash [32]byte) (uint64, error)
	// PendingUnlock is what settle held back for sender's locks in channel id that no
	// unlock has paid out yet; a zero receiver means nothing is held.
	PendingUnlock(ctx context.Context, id channel.ID, sender common.Address) (receiver common.Address, held *big.Int, err error)
	// RegisteredSecret is the secret registered for secretHash, if any.
	RegisteredSecret(ctx context.Context, secretHash [32]byte) (secret [32]byte, found bool, err error)
}

func (cc *contractChain) SecretRegisteredAt(ctx context.Context, secretHash [32]byte) (uint64, error) {
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	return cc.c.SecretRegisteredAt(ctx, secretHash)
}

func (cc *contractChain) PendingUnlock(ctx context.Context, id channel.ID, sender common.Address) (common.Address, *big.Int, error) {
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	return cc.c.PendingUnlock(ctx, id, sender)
}

func (cc *contractChain) RegisteredSecret(ctx context.Context, secretHash [32]byte) ([32]byte, bool, error) {
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	return cc.c.RegisteredSecret(ctx, secretHash)
}

// packClaim encodes the claim calls (registerSecrets, unlock); any other kind is unknown.
func (cc *contractChain) packClaim(call ChainCall) ([]byte, *big.Int, error) {
	zero := new(big.Int)
	switch call.Kind {
	case CallRegisterSecrets:
		if len(call.Secrets) == 0 {
			return nil, nil, fmt.Errorf("registerSecrets without a secret")
		}
		d, err := cc.abi.TryPackRegisterSecrets(call.Secrets)
		return d, zero, err
	case CallUnlock:
		locks := make([]bindings.SluiceChannelsLock, len(call.Locks))
		for i, l := range call.Locks {
			if l.Amount == nil || l.Amount.Sign() <= 0 {
				return nil, nil, fmt.Errorf("unlock: lock %d has amount %v", i, l.Amount)
			}
			locks[i] = bindings.SluiceChannelsLock{Amount: l.Amount, Expiration: l.Expiration, SecretHash: l.SecretHash}
		}
		d, err := cc.abi.TryPackUnlock(call.Channel, call.Participant, locks)
		return d, zero, err
	}
	return nil, nil, fmt.Errorf("unknown contract call %q", call.Kind)
}

// claimGoalMet reports, for a claim call, whether the chain shows what it was for even
// though its transaction reverted (isClaim false for every other kind): every secret
// registered (by anyone, at any time: the first registration stands), or the direction's
// held locks paid out by someone else's unlock.
func (r *opRunner) claimGoalMet(ctx context.Context, call ChainCall) (met, isClaim bool) {
	switch call.Kind {
	case CallRegisterSecrets:
		for _, s := range call.Secrets {
			at, err := r.n.chain.SecretRegisteredAt(ctx, channel.SecretHash(s))
			if err != nil || at == 0 {
				return false, true
			}
		}
		return true, true
	case CallUnlock:
		recv, _, err := r.n.chain.PendingUnlock(ctx, call.Channel, call.Participant)
		return err == nil && recv == (common.Address{}), true
	}
	return false, false
}
