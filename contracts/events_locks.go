package contracts

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// SecretRegistered: Secret, the preimage of SecretHash, reached the registry (first time).
type SecretRegistered struct {
	EventMeta
	SecretHash [32]byte
	Secret     [32]byte
}

// LocksHeld: at settlement, Sender's pending locks (Locked under LocksRoot) owed to Receiver;
// Held is what the escrow keeps for them until Unlocked.
type LocksHeld struct {
	EventMeta
	ID        channel.ID
	Sender    common.Address
	Receiver  common.Address
	LocksRoot [32]byte
	Locked    *big.Int
	Held      *big.Int
}

// Unlocked: the held amount of Sender's locks paid out, ToReceiver to the receiver of
// LocksHeld and ToSender back to Sender.
type Unlocked struct {
	EventMeta
	ID         channel.ID
	Sender     common.Address
	ToReceiver *big.Int
	ToSender   *big.Int
}

// addLockEvents registers the hashlock events with the decoder.
func addLockEvents(add func(string, func(*types.Log) (Event, error)), b *bindings.SluiceChannels) {
	add("SecretRegistered", func(l *types.Log) (Event, error) {
		e, err := b.UnpackSecretRegisteredEvent(l)
		if err != nil {
			return nil, err
		}
		return SecretRegistered{meta(l), e.SecretHash, e.Secret}, nil
	})
	add("LocksHeld", func(l *types.Log) (Event, error) {
		e, err := b.UnpackLocksHeldEvent(l)
		if err != nil {
			return nil, err
		}
		return LocksHeld{meta(l), e.Id, e.Sender, e.Receiver, e.LocksRoot, e.Locked, e.Held}, nil
	})
	add("Unlocked", func(l *types.Log) (Event, error) {
		e, err := b.UnpackUnlockedEvent(l)
		if err != nil {
			return nil, err
		}
		return Unlocked{meta(l), e.Id, e.Sender, e.ToReceiver, e.ToSender}, nil
	})
}
