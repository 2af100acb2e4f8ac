package node

import (
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// The types in this file are the node's public view of itself: what the JSON-RPC API, the CLI,
// the demo and the bench read. They are plain values (copies), never live state.
//
// The node's public methods (implemented on *Node) are, with ctx first:
//
//	Info(ctx) (NodeInfo, error)
//	OpenChannel(ctx, OpenRequest) (ChannelView, error)         // negotiates with the peer, submits open on chain, waits for it
//	Deposit(ctx, id, amount *big.Int) (TxResult, error)         // tops up our side
//	DepositWithKey(ctx, id, amount, key) (TxResult, error)      // the same, idempotent per key
//
// An on-chain method's error wrapping ErrTxPending means the transaction was submitted
// and will execute; any other error means it did not execute and will not (refused before
// broadcast, or mined and reverted) (docs/adr/0015).
//	Withdraw(ctx, id, amount *big.Int) (TxResult, error)        // co-signed with the peer, then on chain
//	Pay(ctx, PayRequest) (PaymentView, error)                   // returns once the peer's Ack arrived (durable on both sides)
//	Channels(ctx, ChannelFilter) ([]ChannelView, error)
//	Channel(ctx, id) (ChannelView, error)
//	Payments(ctx, PaymentQuery) (PaymentPage, error)
//	CloseChannel(ctx, id, force bool) (CloseResult, error)      // cooperative unless force (or the peer is unreachable and force)
//	Settle(ctx, id) (TxResult, error)                            // after the challenge period
//	SubscribePayments(ch chan<- PaymentView) (unsubscribe func())
//	SubscribeChannelEvents(ch chan<- ChannelEvent) (unsubscribe func())

// NodeInfo describes a running node.
type NodeInfo struct {
	Address     common.Address `json:"address"`
	PeerID      string         `json:"peerId"`
	ListenAddrs []string       `json:"listenAddrs"` // full multiaddrs ending in /p2p/<id>
	ChainID     *big.Int       `json:"chainId"`
	Contract    common.Address `json:"contract"`
	Version     string         `json:"version"`
	Peers       int            `json:"peers"`
	ChainHead   uint64         `json:"chainHead"`
	SyncedBlock uint64         `json:"syncedBlock"`
	Chain       ChainHealth    `json:"chain"`
	// Tower is the watchtower link's health; nil without a tower (tower_health.go).
	Tower *TowerHealth `json:"tower,omitempty"`
	// Balance is the node account's native balance as last read (every 15 s), nil
	// before the first read: what pays the gas of every defense, close and settle.
	Balance *big.Int `json:"balance,omitempty"`
}

// OpenRequest asks the node to open a channel with a peer and lock our deposit in it.
type OpenRequest struct {
	Peer            string         // a multiaddr ending in /p2p/<id>, or the 0x address of an already known peer
	Token           common.Address // address(0) = ETH
	Deposit         *big.Int
	ChallengePeriod time.Duration
	// IdempotencyKey (optional, at most 128 bytes) makes a retry safe: a second request
	// with the same key joins the first open, or returns its channel, and never opens
	// another; the same key with other parameters is refused.
	IdempotencyKey string
}

// PayRequest asks the node to pay over a channel.
type PayRequest struct {
	Channel   channel.ID
	Amount    *big.Int
	PaymentID [16]byte // zero = the node picks a random one; a repeat of a completed id returns the original payment
	Memo      string   // at most 256 bytes
	// Client is the API client that asked for the payment (the risk engine's name for
	// its token); it is recorded in the payment log. Empty outside the API.
	Client string
}

// ChannelFilter narrows Channels; the zero value lists everything.
type ChannelFilter struct {
	Status channel.Status // StatusNone = any
	Peer   common.Address // zero = any
}

// ChannelView is a snapshot of one channel from this node's point of view.
type ChannelView struct {
	ID              channel.ID
	Domain          channel.Domain
	Participants    [2]common.Address
	Us              channel.Party
	Token           common.Address
	ChallengePeriod uint64
	Status          channel.Status
	SettleAfter     uint64 // unix seconds, once closing
	Deposit         [2]*big.Int
	Withdrawn       [2]*big.Int
	Balance         [2]*big.Int            // off-chain balances now
	Sent            [2]channel.SignedProof // latest proof signed by each party (nonce 0 = none)
	// Locks are the pending hashlocks each party's latest proof commits to (its LocksRoot),
	// in creation order: the list unlock takes on chain.
	Locks            [2][]channel.Lock
	Reserved         [2]*big.Int // pending signed withdrawals
	SettlementSigned bool
	Payments         uint64 // payments recorded by this node on the channel
	// OutOfPolicy says why the channel is outside this node's channel policy (payments to
	// us on it are refused); empty when it is within it.
	OutOfPolicy string
	// LastProofAt is when the latest proof of either side was signed or accepted by this
	// node since it started (zero: none).
	LastProofAt time.Time
	// Defense is, while closing, where the watcher's defense stands: one of the Defense*
	// constants, or empty when there is nothing of the partner's to put on chain.
	Defense string
}

// Where the watcher's defense of a close stands (ChannelView.Defense).
const (
	DefenseOutstanding = "outstanding" // the partner's best proof is not on chain yet
	DefenseSubmitting  = "submitting"  // an updateProof carrying it is being driven
	DefenseOnChain     = "on_chain"    // it (or a later one) is on chain: defended
	DefenseLost        = "lost"        // the challenge period ended before it got there
)

// Direction of a payment relative to this node.
type Direction uint8

const (
	Outgoing Direction = 0
	Incoming Direction = 1
)

func (d Direction) String() string {
	if d == Outgoing {
		return "sent"
	}
	return "received"
}

// PaymentView is one recorded payment with the proof that carried it.
type PaymentView struct {
	PaymentID [16]byte
	Channel   channel.ID
	Direction Direction
	Amount    *big.Int
	Proof     channel.SignedProof // nonce, cumulative transferred, payer's signature
	Time      time.Time
	Memo      string
	Client    string        // outgoing through the API: the client that made it
	Latency   time.Duration // outgoing: request to Ack
	// Repeat is set when Pay answered with a payment an earlier call with the same id
	// made: this call signed nothing new.
	Repeat bool
}

// PaymentQuery pages through the payment log.
type PaymentQuery struct {
	Channel channel.ID // zero = all channels
	Cursor  string     // opaque, from PaymentPage.Next
	Limit   int        // 0 = default (100), capped at 1000
}

// PaymentPage is one page of payments, oldest first.
type PaymentPage struct {
	Payments []PaymentView
	Next     string // empty when there are no more
}

// TxResult reports an on-chain transaction the node submitted and saw mined.
type TxResult struct {
	TxHash  common.Hash
	Block   uint64
	GasUsed uint64
}

// CloseResult reports how a close went.
type CloseResult struct {
	TxResult
	Cooperative bool
	SettleAfter uint64      // unilateral: when settle becomes possible
	Balances    [2]*big.Int // cooperative: what was paid out
}

// ChannelEvent is a change in a channel's lifecycle, as seen on chain or negotiated.
type ChannelEvent struct {
	Channel channel.ID
	Kind    string // opened, deposited, withdrawn, closed, proof_updated, settled, settlement_signed; claims: secret_registered, claim_closed, lock_claimed, locks_unlocked (LockClaim)
	Status  channel.Status
	Block   uint64
	TxHash  common.Hash
	Time    time.Time
}
