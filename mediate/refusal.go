package mediate

import (
	"errors"
	"fmt"

	"github.com/sluicepay/sluice/channel"
)

// Reason says why a hop refused a lock (ADR 0026); it travels in p2p.LockRefused. The
// values are stable wire codes.
type Reason uint16

const (
	// ReasonOther: a refusal this version has no name for.
	ReasonOther Reason = 0
	// ReasonNoChannel: the mediator has no open channel with the next hop.
	ReasonNoChannel Reason = 1
	// ReasonCapacity: the channel to the next hop cannot carry the lock.
	ReasonCapacity Reason = 2
	// ReasonFeeUnpaid: the incoming lock does not pay the mediator's fee.
	ReasonFeeUnpaid Reason = 3
	// ReasonExpiry: the incoming lock leaves too little time to forward safely.
	ReasonExpiry Reason = 4
	// ReasonPeerUnreachable: the next hop is not connected.
	ReasonPeerUnreachable Reason = 5
	// ReasonBadRoute: the route the lock names is invalid at this hop.
	ReasonBadRoute Reason = 6
	// ReasonUnderpaid: the target's invoice asks more than the lock pays.
	ReasonUnderpaid Reason = 7
	// ReasonUnknownInvoice: the target has no invoice for the secret hash.
	ReasonUnknownInvoice Reason = 8
	// ReasonTooLate: the lock reached the target with less than a reveal margin left.
	ReasonTooLate Reason = 9
	// ReasonInvoiceExpired: the target's invoice expired before the lock reached it.
	ReasonInvoiceExpired Reason = 10
	// ReasonInvoicePaid: the target already accepted another lock for the invoice.
	ReasonInvoicePaid Reason = 11
)

var reasonNames = [...]string{"other", "no_channel", "capacity", "fee_unpaid", "expiry", "peer_unreachable", "bad_route", "underpaid", "unknown_invoice", "too_late", "invoice_expired", "invoice_paid"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason-%d", uint16(r))
}

// AtTarget reports a refusal that only the target gives: no other route changes it.
func (r Reason) AtTarget() bool {
	return r == ReasonUnderpaid || r == ReasonUnknownInvoice || r == ReasonTooLate || r == ReasonInvoiceExpired || r == ReasonInvoicePaid
}

// OutgoingLink reports a refusal about the reporting hop's link to the next hop (a route
// avoiding that one channel may work), as opposed to the hop itself.
func (r Reason) OutgoingLink() bool {
	return r == ReasonNoChannel || r == ReasonCapacity || r == ReasonPeerUnreachable
}

// RefusalReason classifies why forwarding failed: an error of Forward, TargetReveals or
// the channel's lock rules.
func RefusalReason(err error) Reason {
	switch {
	case errors.Is(err, ErrFeeUnpaid):
		return ReasonFeeUnpaid
	case errors.Is(err, ErrUnsafeExpiration), errors.Is(err, ErrExpirationTooFar):
		return ReasonExpiry
	case errors.Is(err, ErrBadRoute):
		return ReasonBadRoute
	case errors.Is(err, ErrUnderpaid):
		return ReasonUnderpaid
	case errors.Is(err, channel.ErrOverdraft), errors.Is(err, channel.ErrTooManyLocks), errors.Is(err, channel.ErrAmountTooLarge):
		return ReasonCapacity
	case errors.Is(err, channel.ErrChannelNotOpen), errors.Is(err, channel.ErrUnknownChannel):
		return ReasonNoChannel
	}
	return ReasonOther
}
