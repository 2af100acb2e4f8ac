package node

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/channel"
)

// Chain is what the node needs from the SluiceChannels contract and its chain. The node
// declares it here, where it is consumed, so the dispute logic can be tested against any
// backend; chain_contracts.go adapts the contracts package to it.
type Chain interface {
	Domain() channel.Domain
	// Head is the latest block number and its timestamp (unix seconds): chain time, the
	// clock challenge periods run on.
	Head(ctx context.Context) (number, time uint64, err error)
	// Latest is the head block's header; Header the canonical header at number. The
	// chain follower compares their hashes with the blocks it read to notice a reorg.
	Latest(ctx context.Context) (follow.Header, error)
	Header(ctx context.Context, number uint64) (follow.Header, error)
	// Events returns the contract's events in blocks [from, to] that concern q, in chain
	// order: the channels q.Participant opened or was opened with, and every event of
	// q.Channels. A zero q asks for every event of the contract.
	Events(ctx context.Context, from, to uint64, q EventQuery) ([]ChainEvent, error)
	// Channel reads the contract's view of a channel (StatusNone when unknown).
	Channel(ctx context.Context, id channel.ID) (OnChainChannel, error)

	// Prepare signs the transaction for call without broadcasting it, so the node can
	// persist it before it exists anywhere else and re-broadcast the same bytes after a crash.
	Prepare(ctx context.Context, call ChainCall) (SignedTx, error)
	// Broadcast sends a prepared transaction; sending one the chain already knows is not an error.
	Broadcast(ctx context.Context, tx SignedTx) error
	// Wait blocks until tx is mined and reports its receipt; a reverted transaction is an
	// error naming the contract's custom error.
	Wait(ctx context.Context, tx SignedTx) (Receipt, error)
	// Track reports where a broadcast transaction stands, without waiting: mined (tx
	// or one of the replaced transactions of the same nonce), dead because another
	// transaction of our account used its nonce, or still pending.
	Track(ctx context.Context, tx SignedTx, replaced []common.Hash) (TxStatus, error)
	// NonceUse names the transaction of our account that used tx's nonce, read from the
	// one block where our account's nonce passed it (ADR 0042): the evidence Track's
	// "nonce taken" must be checked against before the call is signed again. An error
	// (a block or count the backend cannot serve, a body that disagrees with the count)
	// decides nothing.
	NonceUse(ctx context.Context, tx SignedTx) (NonceUse, error)
	// Resign signs call afresh with a nonce read from the chain (the old one was taken);
	// like Prepare, a call that would now revert fails with the decoded revert.
	Resign(ctx context.Context, call ChainCall) (SignedTx, error)
	// ResyncNonce makes the next Prepare read our account's nonce from the chain (after
	// a signed transaction was abandoned before it reached a pool).
	ResyncNonce()
	// Replace signs tx again with the same nonce and a higher fee (at least +12.5% on tip
	// and fee cap), bounded by the node's fee ceiling (contracts.ErrFeeCeiling past it).
	Replace(ctx context.Context, tx SignedTx) (SignedTx, error)
	// EnsureAllowance lets the contract pull amount of an ERC-20 token from our account
	// (open and deposit of a token channel need it). It sends and waits for an approve
	// only if the current allowance is short.
	EnsureAllowance(ctx context.Context, token common.Address, amount *big.Int) error
	claimReader
	Close() error
}

// EventQuery names what a node reads of the contract (Chain.Events): its cost is
// O(the node's channels), not O(all channels on the contract).
type EventQuery struct {
	Participant common.Address
	Channels    []channel.ID
}

// Receipt is a mined transaction with the contract events it emitted.
type Receipt struct {
	TxResult
	Events []ChainEvent
}

// CallKind names a contract write.
type CallKind string

const (
	CallOpen             CallKind = "open"
	CallDeposit          CallKind = "deposit"
	CallWithdraw         CallKind = "withdraw"
	CallCloseCooperative CallKind = "closeCooperative"
	CallClose            CallKind = "close"
	CallUpdateProof      CallKind = "updateProof"
	CallSettle           CallKind = "settle"
	// Claims of locks on chain (mediated_claim_chain.go, ADR 0027).
	CallRegisterSecrets CallKind = "registerSecrets"
	CallUnlock          CallKind = "unlock"
)

// ChainCall is one contract write with its arguments; fields a kind does not use stay zero.
type ChainCall struct {
	Kind            CallKind
	Channel         channel.ID
	Partner         common.Address // open
	Participant     common.Address // deposit, withdraw; the locks' sender for unlock
	Token           common.Address // open, deposit: address(0) sends Amount as ETH
	Amount          *big.Int       // open, deposit (ETH value sent with it)
	ChallengePeriod uint64         // open
	Withdrawal      channel.Withdrawal
	Settlement      channel.Settlement
	Proof           channel.SignedProof // close, updateProof
	Sigs            [2]channel.Signature
	// Claims (omitted when empty, so the ids of the other kinds' ops do not change).
	Secrets [][32]byte     `json:",omitempty"` // registerSecrets
	Locks   []channel.Lock `json:",omitempty"` // unlock: the sender's list, in creation order
}

// TxStatus is where a broadcast transaction stands (Chain.Track).
type TxStatus struct {
	// Mined is set once the transaction, or one it replaced, is in a block at or below
	// the head; Receipt is that transaction's and Err its failure (a revert), if any.
	Mined   bool
	Receipt Receipt
	Err     error
	// NonceTaken: our account's confirmed nonce passed the transaction's and no receipt
	// of any of its versions is served. Either another transaction (the key used
	// elsewhere) took the nonce, or ours is mined and the backend answering receipts
	// lags the one answering the nonce: only Chain.NonceUse tells them apart.
	NonceTaken bool
}

// NonceUse is the transaction of our account that used a nonce, and the block it is in.
type NonceUse struct {
	Block  uint64
	TxHash common.Hash
}

// SignedTx is a transaction ready to broadcast.
type SignedTx struct {
	Hash common.Hash
	Raw  []byte
}

// EventKind names a contract event the node acts on.
type EventKind uint8

const (
	EventOpened EventKind = iota + 1
	EventDeposited
	EventWithdrawn
	EventClosed
	EventProofUpdated
	EventSettled
	// EventUnlocked: an unlock after settle paid out a direction's held locks, whoever
	// sent it (mediated_claim_unlocked.go).
	EventUnlocked
	// EventLocksHeld: at settle, what the contract held back for a direction's pending
	// locks, under which root (checkpoint_held_root.go).
	EventLocksHeld
)

var eventKindNames = [...]string{"", "opened", "deposited", "withdrawn", "closed", "proof_updated", "settled", "unlocked", "locks_held"}

func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "unknown"
}

// ChainEvent is one decoded contract event. Fields an event kind does not carry stay zero.
type ChainEvent struct {
	Kind      EventKind
	Channel   channel.ID
	Block     uint64
	BlockHash common.Hash
	LogIndex  uint
	TxHash    common.Hash

	A, B            common.Address // opened
	Token           common.Address // opened
	ChallengePeriod uint64         // opened
	Participant     common.Address // deposited, withdrawn; closer for closed; signer for proof_updated; the locks' sender for unlocked
	Amount          *big.Int       // opened (deposit), deposited, withdrawn; unlocked: paid to the receiver
	Returned        *big.Int       // unlocked: paid back to the sender
	LocksRoot       common.Hash    // locks_held: the root of the held locks (Participant sent them)
	Total           *big.Int       // deposited: total deposit; withdrawn: total withdrawn
	Nonce           uint64         // closed, proof_updated
	Transferred     *big.Int       // closed, proof_updated
	SettleAfter     uint64         // closed
	Balances        [2]*big.Int    // settled
	Cooperative     bool           // settled
}

// fundsIncreasing marks the events that raise what a channel holds: the chain follower
// delivers them only under the confirmation depth. Every kind not listed (closes, proof
// updates, settlements, withdrawals, and events added later) is acted on at once.
var fundsIncreasing = map[EventKind]bool{EventOpened: true, EventDeposited: true}

// Position, Key and FundsIncreasing make a ChainEvent a follow.Event.
func (e ChainEvent) Position() (uint64, common.Hash, uint) { return e.Block, e.BlockHash, e.LogIndex }
func (e ChainEvent) Key() common.Hash                      { return common.Hash(e.Channel) }
func (e ChainEvent) FundsIncreasing() bool                 { return fundsIncreasing[e.Kind] }

// OnChainChannel is the contract's ChannelView.
type OnChainChannel struct {
	Participants    [2]common.Address
	Token           common.Address
	Status          channel.Status
	ChallengePeriod uint64
	SettleAfter     uint64
	Deposit         [2]*big.Int
	Withdrawn       [2]*big.Int
	Nonce           [2]uint64   // best proof seen on chain, per signer
	Transferred     [2]*big.Int // per signer
}
