package node

import (
	"errors"
	"fmt"

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
	// ErrMemoTooLong refuses a payment memo above the protocol's 256 bytes.
	ErrMemoTooLong = errors.New("memo too long")

	errQueueClosed = errors.New("durable write queue closed")
)

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
