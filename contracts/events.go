package contracts

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// EventMeta locates an event on chain. Block and LogIndex order events; TxHash lets an
// auditor name the transaction that caused a change.
type EventMeta struct {
	Block     uint64
	BlockHash common.Hash
	TxHash    common.Hash
	LogIndex  uint
}

// Meta returns the event's position, for any Event.
func (m EventMeta) Meta() EventMeta { return m }

// Event is one of the contract's events below; switch on its concrete type.
type Event interface {
	Meta() EventMeta
}

// ChannelOpened: a opened channel ID with b, depositing Deposit of Token.
type ChannelOpened struct {
	EventMeta
	ID              channel.ID
	A, B            common.Address
	Token           common.Address
	Deposit         *big.Int
	ChallengePeriod uint64
}

// Params are the channel's immutable parameters as the node's state machine holds them.
func (e ChannelOpened) Params(d channel.Domain) channel.Params {
	return channel.Params{
		ID:              e.ID,
		Domain:          d,
		Participants:    [2]common.Address{e.A, e.B},
		Token:           e.Token,
		ChallengePeriod: e.ChallengePeriod,
	}
}

// Deposited: Participant's side of ID grew by Amount to TotalDeposit.
type Deposited struct {
	EventMeta
	ID           channel.ID
	Participant  common.Address
	Amount       *big.Int
	TotalDeposit *big.Int
}

// Withdrawn: Participant took Amount out of ID, TotalWithdrawn in all.
type Withdrawn struct {
	EventMeta
	ID             channel.ID
	Participant    common.Address
	Amount         *big.Int
	TotalWithdrawn *big.Int
}

// ChannelClosed: Closer started the challenge period with its partner's proof (Nonce,
// Transferred); settle is possible from SettleAfter.
type ChannelClosed struct {
	EventMeta
	ID          channel.ID
	Closer      common.Address
	Nonce       uint64
	Transferred *big.Int
	SettleAfter uint64
}

// ProofUpdated: a newer proof signed by Signer was recorded during the challenge period.
type ProofUpdated struct {
	EventMeta
	ID          channel.ID
	Signer      common.Address
	Nonce       uint64
	Transferred *big.Int
}

// ChannelSettled: ID paid out BalanceA and BalanceB, cooperatively or after a challenge.
type ChannelSettled struct {
	EventMeta
	ID          channel.ID
	BalanceA    *big.Int
	BalanceB    *big.Int
	Cooperative bool
}

// Claimed: Account withdrew Amount of Token it had been credited.
type Claimed struct {
	EventMeta
	Account common.Address
	Token   common.Address
	Amount  *big.Int
}

// Credited: a payout of Amount of Token to Account failed and is claimable instead.
type Credited struct {
	EventMeta
	Account common.Address
	Token   common.Address
	Amount  *big.Int
}

// eventDecoder turns the contract's logs into typed events, keyed by topic 0.
type eventDecoder struct {
	byTopic map[common.Hash]func(*types.Log) (Event, error)
}

func newEventDecoder(b *bindings.SluiceChannels) *eventDecoder {
	a := b.GetABI()
	d := &eventDecoder{byTopic: make(map[common.Hash]func(*types.Log) (Event, error))}
	add := func(name string, f func(*types.Log) (Event, error)) { d.byTopic[a.Events[name].ID] = f }
	add("ChannelOpened", func(l *types.Log) (Event, error) {
		e, err := b.UnpackChannelOpenedEvent(l)
		if err != nil {
			return nil, err
		}
		return ChannelOpened{meta(l), e.Id, e.A, e.B, e.Token, e.Deposit, e.ChallengePeriod}, nil
	})
	add("Deposited", func(l *types.Log) (Event, error) {
		e, err := b.UnpackDepositedEvent(l)
		if err != nil {
			return nil, err
		}
		return Deposited{meta(l), e.Id, e.Participant, e.Amount, e.TotalDeposit}, nil
	})
	add("Withdrawn", func(l *types.Log) (Event, error) {
		e, err := b.UnpackWithdrawnEvent(l)
		if err != nil {
			return nil, err
		}
		return Withdrawn{meta(l), e.Id, e.Participant, e.Amount, e.TotalWithdrawn}, nil
	})
	add("ChannelClosed", func(l *types.Log) (Event, error) {
		e, err := b.UnpackChannelClosedEvent(l)
		if err != nil {
			return nil, err
		}
		return ChannelClosed{meta(l), e.Id, e.Closer, e.Nonce, e.Transferred, e.SettleAfter}, nil
	})
	add("ProofUpdated", func(l *types.Log) (Event, error) {
		e, err := b.UnpackProofUpdatedEvent(l)
		if err != nil {
			return nil, err
		}
		return ProofUpdated{meta(l), e.Id, e.Signer, e.Nonce, e.Transferred}, nil
	})
	add("ChannelSettled", func(l *types.Log) (Event, error) {
		e, err := b.UnpackChannelSettledEvent(l)
		if err != nil {
			return nil, err
		}
		return ChannelSettled{meta(l), e.Id, e.BalanceA, e.BalanceB, e.Cooperative}, nil
	})
	add("Claimed", func(l *types.Log) (Event, error) {
		e, err := b.UnpackClaimedEvent(l)
		if err != nil {
			return nil, err
		}
		return Claimed{meta(l), e.Account, e.Token, e.Amount}, nil
	})
	add("Credited", func(l *types.Log) (Event, error) {
		e, err := b.UnpackCreditedEvent(l)
		if err != nil {
			return nil, err
		}
		return Credited{meta(l), e.Account, e.Token, e.Amount}, nil
	})
	addLockEvents(add, b)
	return d
}

func meta(l *types.Log) EventMeta {
	return EventMeta{Block: l.BlockNumber, BlockHash: l.BlockHash, TxHash: l.TxHash, LogIndex: l.Index}
}

// topics lists every event signature the decoder knows, for the eth_getLogs filter.
func (d *eventDecoder) topics() []common.Hash {
	ts := make([]common.Hash, 0, len(d.byTopic))
	for t := range d.byTopic {
		ts = append(ts, t)
	}
	return ts
}

// decode returns the typed event of l, or ok=false for a log this client does not know
// (an event added in a later contract version is skipped, not fatal).
func (d *eventDecoder) decode(l *types.Log) (ev Event, ok bool, err error) {
	if len(l.Topics) == 0 {
		return nil, false, nil
	}
	f, known := d.byTopic[l.Topics[0]]
	if !known {
		return nil, false, nil
	}
	ev, err = f(l)
	if err != nil {
		return nil, true, fmt.Errorf("decode log %d of transaction %s in block %d: %w", l.Index, l.TxHash, l.BlockNumber, err)
	}
	return ev, true, nil
}
