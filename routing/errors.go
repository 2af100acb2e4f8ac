package routing

import (
	"errors"
	"fmt"
	"math/big"
)

// Sentinel errors. The node maps ErrNoRoute and ErrFeeTooHigh to its API error codes.
var (
	// ErrNoRoute: no path within the hop bound can carry the amount (capacity,
	// exclusions, token, or the payee is unknown to the graph).
	ErrNoRoute = errors.New("no route")
	// ErrFeeTooHigh: the cheapest route costs more than the payer's maxFee.
	ErrFeeTooHigh = errors.New("route fee above maxFee")
	// ErrInvalidRequest: a malformed route request (nil or non-positive amount, payer
	// equal to payee, negative maxFee).
	ErrInvalidRequest = errors.New("invalid route request")
	// ErrInvalidEdge: an edge with a nil or negative capacity, an out-of-range fee, or
	// endpoints that contradict the other direction of the same channel.
	ErrInvalidEdge = errors.New("invalid channel edge")
	// ErrNotNewer: an edge update whose sequence is not above the one held.
	ErrNotNewer = errors.New("edge sequence not newer")
	// ErrGraphFull: the graph holds MaxChannels channels already.
	ErrGraphFull = errors.New("channel graph full")
)

// FeeTooHighError carries the cheapest fee found, so a payer can be told what it would
// take. It matches ErrFeeTooHigh with errors.Is.
type FeeTooHighError struct {
	Fee    *big.Int // cheapest total fee found
	MaxFee *big.Int
}

func (e *FeeTooHighError) Error() string {
	return fmt.Sprintf("cheapest route fee %s above maxFee %s", e.Fee, e.MaxFee)
}

// Is makes errors.Is(err, ErrFeeTooHigh) true.
func (e *FeeTooHighError) Is(target error) bool { return target == ErrFeeTooHigh }
