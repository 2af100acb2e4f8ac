package node

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

var (
	// ErrClosed is returned by every method once Close has begun.
	ErrClosed = errors.New("node closed")
	// ErrPeerUnreachable means the channel's partner has no live session.
	ErrPeerUnreachable = errors.New("peer unreachable")
	// ErrPaymentIDReused means a payment id is already recorded on another channel or for
	// another amount; a retry must repeat the original request exactly.
	ErrPaymentIDReused = errors.New("payment id already used for a different payment")
	// ErrAwaitingResync refuses a new payment, nothing signed, while the channel's partner
	// has not yet acknowledged a proof it refused (it wraps that refusal too).
	ErrAwaitingResync = errors.New("waiting for the peer to resync")
	// ErrMemoTooLong refuses a payment memo above the protocol's 256 bytes.
	ErrMemoTooLong = errors.New("memo too long")

	// ErrOpenDeclined means the partner's policy refused our channel proposal; nothing
	// was submitted on chain.
	ErrOpenDeclined = errors.New("channel proposal declined by the peer")

	// ErrTxPending means an on-chain operation's transaction was submitted and is not
	// mined yet: it WILL execute (the node keeps driving it, across restarts). A retry
	// with the same idempotency key joins it instead of submitting another.
	ErrTxPending = errors.New("transaction submitted, not mined yet")
	// ErrIdempotencyKeyReused refuses a request whose idempotency key belongs to an
	// operation with other parameters.
	ErrIdempotencyKeyReused = errors.New("idempotency key already used for a different operation")
	// ErrInvalidIdempotencyKey refuses an idempotency key that is too long.
	ErrInvalidIdempotencyKey = errors.New("invalid idempotency key")

	errQueueClosed = errors.New("durable write queue closed")
)

// OpenDeclinedError is a partner's refusal of our channel proposal with its reason.
// errors.Is matches ErrOpenDeclined and channel.ErrRejected (the API's "rejected by peer").
type OpenDeclinedError struct {
	Peer   common.Address
	Code   uint16
	Reason string
}

func (e *OpenDeclinedError) Error() string {
	return fmt.Sprintf("peer %s declined the channel: %s (code %d)", e.Peer, e.Reason, e.Code)
}

func (e *OpenDeclinedError) Unwrap() []error { return []error{ErrOpenDeclined, channel.ErrRejected} }

// RejectError is a peer's refusal of one of our proofs. errors.Is matches the channel
// sentinel its stable code stands for (channel.ErrOverdraft, channel.ErrNonceGap, ...).
type RejectError struct {
	Channel channel.ID
	Nonce   uint64
	Code    uint16
	Reason  string
	err     error
}

func (e *RejectError) Error() string {
	return fmt.Sprintf("peer rejected proof %d on channel %s: %v (code %d: %s)", e.Nonce, e.Channel, e.err, e.Code, e.Reason)
}

func (e *RejectError) Unwrap() error { return e.err }

// NewRejectError is the peer's refusal, with code, of our proof nonce on ch; it matches
// the channel sentinel of its code (errors.Is), or channel.ErrRejected for an unknown code.
// A refused proof was signed and sent: callers must count it as spent.
func NewRejectError(ch channel.ID, nonce uint64, code uint16, reason string) *RejectError {
	err := channel.ErrorForCode(code)
	if err == nil {
		err = channel.ErrRejected
	}
	return &RejectError{Channel: ch, Nonce: nonce, Code: code, Reason: reason, err: err}
}
