package channel

import (
	"encoding/hex"
	"log/slog"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// ID identifies a channel forever: keccak256(chainId, contract, a, b, token, counter),
// assigned by the contract at open.
type ID [32]byte

// String renders the id as 0x-prefixed hex, the form used in logs, the API and the CLI.
func (id ID) String() string { return "0x" + hex.EncodeToString(id[:]) }

// LogValue makes slog print the id as 0x hex in every handler; without it slog's JSON
// handler marshals the array as 32 numbers. It is not a TextMarshaler on purpose:
// that would change the JSON form of every struct holding an ID, and the node derives
// its on-chain operation ids from such JSON (node/ops.go).
func (id ID) LogValue() slog.Value { return slog.StringValue(id.String()) }

// Party names one end of a channel. A is the opener, B the partner.
type Party uint8

const (
	PartyA Party = 0
	PartyB Party = 1
)

// Other returns the opposite end.
func (p Party) Other() Party { return 1 - p }

func (p Party) String() string {
	if p == PartyA {
		return "A"
	}
	return "B"
}

// Status mirrors the contract's channel status. The zero value means the channel is
// unknown to the contract.
type Status uint8

const (
	StatusNone    Status = 0
	StatusOpen    Status = 1
	StatusClosing Status = 2
	StatusSettled Status = 3
)

func (s Status) String() string {
	switch s {
	case StatusOpen:
		return "open"
	case StatusClosing:
		return "closing"
	case StatusSettled:
		return "settled"
	default:
		return "none"
	}
}

// Domain is the EIP-712 domain {name "Sluice", version "1", chainId, verifyingContract}.
// Every signature binds to it, so a proof never replays on another chain or contract.
type Domain struct {
	ChainID  *big.Int
	Contract common.Address
}

// Params are a channel's immutable parameters, fixed at open.
type Params struct {
	ID              ID
	Domain          Domain
	Participants    [2]common.Address // indexed by Party
	Token           common.Address    // address(0) = ETH
	ChallengePeriod uint64            // seconds
}

// MaxAmount bounds every amount the contract stores (uint128). Proofs, deposits and
// withdrawals above it are rejected off-chain exactly as the contract rejects them.
var maxAmount = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))

// MaxAmount returns a fresh copy of 2^128-1.
func MaxAmount() *big.Int { return new(big.Int).Set(maxAmount) }

// MaxMemoSize is the protocol's limit on a payment memo, in bytes. The wire codec, the
// payment log, the node and its API all refuse longer memos against this one number.
const MaxMemoSize = 256

// Signature is a 65-byte secp256k1 signature r || s || v with v in {27, 28}, the form
// eth_signTypedData_v4 returns and the contract accepts.
type Signature [65]byte

// BalanceProof is the EIP-712 struct BalanceProof(bytes32 channelId,uint64 nonce,uint256 transferred),
// signed by the payer. Transferred is cumulative; Nonce rises by exactly one per payment
// in that direction.
type BalanceProof struct {
	Channel     ID
	Nonce       uint64
	Transferred *big.Int
	// Locked is the sum of the pending hashlocked amounts in this direction (nil or 0 when none).
	Locked *big.Int
	// LocksRoot commits to the pending locks in creation order (zero when none); see LocksRoot.
	LocksRoot [32]byte
}

// SignedProof is a BalanceProof with its payer's signature.
type SignedProof struct {
	BalanceProof
	Sig Signature
}

// Settlement is the EIP-712 struct Settlement(bytes32 channelId,uint256 balanceA,uint256 balanceB),
// signed by both parties for a cooperative close.
type Settlement struct {
	Channel  ID
	BalanceA *big.Int
	BalanceB *big.Int
}

// Withdrawal is the EIP-712 struct
// Withdrawal(bytes32 channelId,address participant,uint256 totalWithdrawn,uint64 expiry),
// signed by both parties to take money out of an open channel.
type Withdrawal struct {
	Channel        ID
	Participant    common.Address
	TotalWithdrawn *big.Int // cumulative for this participant
	Expiry         uint64   // unix seconds
}
