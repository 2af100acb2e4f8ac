package p2p

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Type is the stable wire code of a message. Codes are never reused; a peer that
// receives a code it does not know rejects the frame as malformed.
type Type uint8

const (
	TypeHello           Type = 1
	TypeGoodbye         Type = 2
	TypePay             Type = 3
	TypeAck             Type = 4
	TypeReject          Type = 5
	TypeCloseRequest    Type = 6
	TypeCloseAccept     Type = 7
	TypeWithdrawRequest Type = 8
	TypeWithdrawAccept  Type = 9
	TypeSync            Type = 10
	TypePing            Type = 11

	// Codes 32..47 are reserved for channel-open negotiation; 35..47 stay free for
	// later steps of it.
	TypeOpenPropose Type = 32
	TypeOpenAccept  Type = 33
	TypeOpenDecline Type = 34

	typeReservedOpenFirst Type = 32
	typeReservedOpenLast  Type = 47
)

var typeNames = [...]string{
	TypeHello:             "Hello",
	TypeGoodbye:           "Goodbye",
	TypePay:               "Pay",
	TypeAck:               "Ack",
	TypeReject:            "Reject",
	TypeCloseRequest:      "CloseRequest",
	TypeCloseAccept:       "CloseAccept",
	TypeWithdrawRequest:   "WithdrawRequest",
	TypeWithdrawAccept:    "WithdrawAccept",
	TypeSync:              "Sync",
	TypePing:              "Ping",
	TypeLockedTransfer:    "LockedTransfer",
	TypeSecretReveal:      "SecretReveal",
	TypeUnlock:            "Unlock",
	TypeLockExpired:       "LockExpired",
	TypeInvoiceRequest:    "InvoiceRequest",
	TypeInvoiceReply:      "InvoiceReply",
	TypeLockRefused:       "LockRefused",
	TypeCancelEndorsement: "CancelEndorsement",
	TypeOpenPropose:       "OpenPropose",
	TypeOpenAccept:        "OpenAccept",
	TypeOpenDecline:       "OpenDecline",
}

func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	if t >= typeReservedOpenFirst && t <= typeReservedOpenLast {
		return fmt.Sprintf("reserved-open(%d)", uint8(t))
	}
	return fmt.Sprintf("unknown(%d)", uint8(t))
}

// Limits on variable-length fields. They keep every message far below MaxFrameSize.
const (
	MaxMemoSize   = channel.MaxMemoSize
	MaxReasonSize = 1024
	// ProtocolVersion is sent in Hello; peers with another version are refused.
	ProtocolVersion = 1
)

// Message is one wire message. The set is closed: only this package's types
// implement it, because every type needs a stable code and a codec.
type Message interface {
	Type() Type
	encodeBody(w *bodyWriter)
	decodeBody(r *bodyReader)
	validate() error
}

// Hello opens every session. Both sides send it first; any difference in version,
// chain id or contract ends the session with a Goodbye naming the mismatch.
type Hello struct {
	Version  uint64
	ChainID  *big.Int
	Contract common.Address
}

// Goodbye tells the peer why the session is about to end (handshake refusal, ban).
type Goodbye struct {
	Code   uint16
	Reason string
}

// Ping keeps an idle session alive: a session reads nothing for IdleTimeout is ended,
// so each side sends a Ping when it has written nothing for a third of that. It is
// consumed by the session and never reaches the Handler.
type Ping struct{}

// Pay carries the payer's newest cumulative balance proof. PaymentID makes the
// payment idempotent end to end.
type Pay struct {
	Proof     channel.SignedProof
	PaymentID [16]byte
	Memo      []byte
}

// Ack confirms that the payee durably stored the proof with this nonce.
type Ack struct {
	Channel channel.ID
	Nonce   uint64
}

// Reject refuses the proof with this nonce. Code is a stable channel error code.
type Reject struct {
	Channel channel.ID
	Nonce   uint64
	Code    uint16
	Reason  string
}

// CloseRequest proposes a cooperative close with the sender's Settlement signature.
type CloseRequest struct {
	Settlement channel.Settlement
	Sig        channel.Signature
}

// CloseAccept answers a CloseRequest with the responder's Settlement signature.
type CloseAccept struct {
	Settlement channel.Settlement
	Sig        channel.Signature
}

// WithdrawRequest asks the partner to co-sign a Withdrawal; Sig is the sender's.
type WithdrawRequest struct {
	Withdrawal channel.Withdrawal
	Sig        channel.Signature
}

// WithdrawAccept returns the partner's signature over the requested Withdrawal.
type WithdrawAccept struct {
	Withdrawal channel.Withdrawal
	Sig        channel.Signature
}

// Sync is exchanged on reconnect so both ends converge: Sent is the newest proof the
// sender signed as payer, Received the newest proof it holds signed by the receiver.
// A zero Nonce means "none". The chain view lets the peers notice that they disagree
// about deposits or withdrawals before paying.
type Sync struct {
	Channel   channel.ID
	Sent      channel.SignedProof
	Received  channel.SignedProof
	Deposits  [2]*big.Int // indexed by channel.Party
	Withdrawn [2]*big.Int // indexed by channel.Party
}

// OpenPropose asks the peer to agree to a channel before the sender opens it on chain.
// The chain and contract are the session's (Hello); the peer is the partner. Deposit is
// the opener's initial deposit, ChallengePeriod in seconds.
type OpenPropose struct {
	ProposalID      [16]byte
	Token           common.Address
	Deposit         *big.Int
	ChallengePeriod uint64
}

// OpenAccept agrees to the proposal: the sender will take the channel's payments as
// soon as it sees the channel opened on chain.
type OpenAccept struct {
	ProposalID [16]byte
}

// OpenDecline refuses the proposal. Code is a stable channel error code.
type OpenDecline struct {
	ProposalID [16]byte
	Code       uint16
	Reason     string
}

func (*Hello) Type() Type           { return TypeHello }
func (*Goodbye) Type() Type         { return TypeGoodbye }
func (*Pay) Type() Type             { return TypePay }
func (*Ack) Type() Type             { return TypeAck }
func (*Reject) Type() Type          { return TypeReject }
func (*CloseRequest) Type() Type    { return TypeCloseRequest }
func (*CloseAccept) Type() Type     { return TypeCloseAccept }
func (*WithdrawRequest) Type() Type { return TypeWithdrawRequest }
func (*WithdrawAccept) Type() Type  { return TypeWithdrawAccept }
func (*Sync) Type() Type            { return TypeSync }
func (*Ping) Type() Type            { return TypePing }
func (*OpenPropose) Type() Type     { return TypeOpenPropose }
func (*OpenAccept) Type() Type      { return TypeOpenAccept }
func (*OpenDecline) Type() Type     { return TypeOpenDecline }

// newMessage returns an empty message of type t, or nil for an unknown code.
func newMessage(t Type) Message {
	switch t {
	case TypeHello:
		return new(Hello)
	case TypeGoodbye:
		return new(Goodbye)
	case TypePay:
		return new(Pay)
	case TypeAck:
		return new(Ack)
	case TypeReject:
		return new(Reject)
	case TypeCloseRequest:
		return new(CloseRequest)
	case TypeCloseAccept:
		return new(CloseAccept)
	case TypeWithdrawRequest:
		return new(WithdrawRequest)
	case TypeWithdrawAccept:
		return new(WithdrawAccept)
	case TypeSync:
		return new(Sync)
	case TypePing:
		return new(Ping)
	case TypeLockedTransfer:
		return new(LockedTransfer)
	case TypeSecretReveal:
		return new(SecretReveal)
	case TypeUnlock:
		return new(Unlock)
	case TypeLockExpired:
		return new(LockExpired)
	case TypeInvoiceRequest:
		return new(InvoiceRequest)
	case TypeInvoiceReply:
		return new(InvoiceReply)
	case TypeLockRefused:
		return new(LockRefused)
	case TypeCancelEndorsement:
		return new(CancelEndorsement)
	case TypeOpenPropose:
		return new(OpenPropose)
	case TypeOpenAccept:
		return new(OpenAccept)
	case TypeOpenDecline:
		return new(OpenDecline)
	}
	return nil
}
