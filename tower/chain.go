package tower

import (
	"context"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// Chain is what the tower needs from the contract; *contracts.Client satisfies it. Tests
// substitute a fake to verify registrations without a chain.
type Chain interface {
	Domain() channel.Domain
	Head(ctx context.Context) (contracts.Head, error)
	Channel(ctx context.Context, id channel.ID) (contracts.ChannelView, error)
	// EndEvents returns the ChannelClosed and ChannelSettled events in [from, to] of the
	// channels ids, or of every channel when ids is empty.
	EndEvents(ctx context.Context, from, to uint64, ids []channel.ID) ([]contracts.Event, error)
	UpdateProofFor(ctx context.Context, p channel.SignedProof, endorsement channel.Signature) (*types.Receipt, error)
}

var _ Chain = (*contracts.Client)(nil)
