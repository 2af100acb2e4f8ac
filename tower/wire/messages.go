package wire

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/sluicepay/sluice/channel"
)

// ProtocolID is the watchtower's libp2p stream protocol, separate from /sluice/1.0.0 so
// a tower is never mistaken for a channel partner.
const ProtocolID protocol.ID = "/sluice-tower/1.0.0"

// Version is the protocol version carried in Hello.
const Version = 1

// Type is a message's stable wire code.
type Type uint8

const (
	TypeHello    Type = 1
	TypeRegister Type = 2
	TypeReceipt  Type = 3
)

func (t Type) String() string {
	switch t {
	case TypeHello:
		return "Hello"
	case TypeRegister:
		return "Register"
	case TypeReceipt:
		return "Receipt"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Message is one of the types below.
type Message interface {
	Type() Type
}

// Hello opens a stream from both sides: a tower serves one chain and one contract.
type Hello struct {
	Version  uint64
	ChainID  *big.Int
	Contract common.Address
}

// Register hands the tower a proof its sender received, with the sender's endorsement of
// exactly that proof (EIP-712 ProofEndorsement), which is what the contract's
// updateProofFor needs from a third party.
type Register struct {
	Channel     channel.ID
	Nonce       uint64
	Transferred *big.Int
	Sig         channel.Signature // the payer's
	Endorsement channel.Signature // the receiver's, over EndorsementDigest(proof)
	// The proof's pending locks (issue 17); optional on the wire, so a lock-free
	// registration encodes exactly as before.
	Locked    *big.Int `rlp:"optional"`
	LocksRoot [32]byte `rlp:"optional"`
}

// Proof returns the signed balance proof the registration carries.
func (r *Register) Proof() channel.SignedProof {
	return channel.SignedProof{
		BalanceProof: channel.BalanceProof{Channel: r.Channel, Nonce: r.Nonce, Transferred: r.Transferred, Locked: r.Locked, LocksRoot: r.LocksRoot},
		Sig:          r.Sig,
	}
}

// Receipt answers every Register, in order.
type Receipt struct {
	Channel channel.ID
	Nonce   uint64
	Code    Code
	Reason  string
}

func (*Hello) Type() Type    { return TypeHello }
func (*Register) Type() Type { return TypeRegister }
func (*Receipt) Type() Type  { return TypeReceipt }

// Code is a Receipt's stable outcome.
type Code uint64

const (
	// CodeAccepted: the tower stored the proof durably and now guards it.
	CodeAccepted Code = 0
	// CodeStale: the tower holds this nonce or a higher one for the channel. Harmless.
	CodeStale Code = 1
	// CodeUnknownChannel: the contract does not know the channel.
	CodeUnknownChannel Code = 2
	// CodeNotDisputable: the channel is settled or its challenge period is over.
	CodeNotDisputable Code = 3
	// CodeBadSignature: the payer's signature is malformed or not a participant's.
	CodeBadSignature Code = 4
	// CodeBadEndorsement: the endorsement is malformed or not the receiver's.
	CodeBadEndorsement Code = 5
	// CodeNotReceiver: the sender of the registration is not the proof's receiver: a
	// client registers proofs of its own channels only.
	CodeNotReceiver Code = 6
	// CodeInvalid: a field is out of range (nonce 0, amount above uint128).
	CodeInvalid Code = 7
	// CodeRateLimited: too many registrations; retry later.
	CodeRateLimited Code = 8
	// CodeUnavailable: the tower cannot check the chain or write its store now; retry.
	CodeUnavailable Code = 9
	// CodeFull: the tower guards as many channels as its operator allows.
	CodeFull Code = 10
)

var codeNames = [...]string{
	CodeAccepted:       "accepted",
	CodeStale:          "stale",
	CodeUnknownChannel: "unknown_channel",
	CodeNotDisputable:  "not_disputable",
	CodeBadSignature:   "bad_signature",
	CodeBadEndorsement: "bad_endorsement",
	CodeNotReceiver:    "not_receiver",
	CodeInvalid:        "invalid",
	CodeRateLimited:    "rate_limited",
	CodeUnavailable:    "unavailable",
	CodeFull:           "full",
}

// Codes lists every code, for metrics that pre-create their labels.
func Codes() []Code {
	out := make([]Code, len(codeNames))
	for i := range out {
		out[i] = Code(i)
	}
	return out
}

func (c Code) String() string {
	if int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("code_%d", uint64(c))
}

// Retryable reports whether a client should send the registration again later.
func (c Code) Retryable() bool { return c == CodeRateLimited || c == CodeUnavailable }
