package routing

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// DefaultMaxAttempts bounds Retry when the caller gives no bound.
const DefaultMaxAttempts = 8

// ChannelFailedError is what an attempt returns when one channel of the route refused or
// could not carry the payment (insufficient capacity, the forwarder offline, a rejected
// lock): Retry excludes exactly that channel.
type ChannelFailedError struct {
	Channel channel.ID
	Err     error
}

func (e *ChannelFailedError) Error() string {
	return fmt.Sprintf("channel %s failed: %v", e.Channel, e.Err)
}

func (e *ChannelFailedError) Unwrap() error { return e.Err }

// NodeFailedError: a forwarding node failed as a whole (offline, refused every lock);
// Retry excludes the node.
type NodeFailedError struct {
	Node common.Address
	Err  error
}

func (e *NodeFailedError) Error() string { return fmt.Sprintf("node %s failed: %v", e.Node, e.Err) }

func (e *NodeFailedError) Unwrap() error { return e.Err }

// ErrFinal marks an attempt error that no other route can fix (the payee refused the
// payment, the payer's own channel is closing): Retry stops at once. Wrap it with
// fmt.Errorf("...: %w", ErrFinal) or errors.Join.
var ErrFinal = errors.New("payment failed for good")

// Attempt tries to pay along r (the node locks, forwards and waits for the secret). It must
// leave nothing locked when it returns an error, or return ErrFinal.
type Attempt func(ctx context.Context, r Route) error

// Retry routes req and calls attempt, and after each failed attempt routes again with the
// failed part excluded, until an attempt succeeds, no route is left, maxAttempts is spent
// (0 = DefaultMaxAttempts) or ctx ends (the caller's deadline). A failure that names no
// channel or node excludes every channel of the route after the payer's own first hop (or
// that hop, for a 1-hop route). It returns the route that succeeded, or the last error
// joined with the reason it stopped.
func (g *Graph) Retry(ctx context.Context, req Request, maxAttempts int, attempt Attempt) (Route, error) {
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	x := &Exclusions{}
	if req.Exclude != nil {
		for id := range req.Exclude.channels {
			x.Channel(id)
		}
		for n := range req.Exclude.nodes {
			x.Node(n)
		}
	}
	req.Exclude = x
	var last error
	for i := 0; i < maxAttempts; i++ {
		if err := ctx.Err(); err != nil {
			return Route{}, errors.Join(fmt.Errorf("route: deadline after %d attempts: %w", i, err), last)
		}
		r, err := g.Route(req)
		if err != nil {
			return Route{}, errors.Join(fmt.Errorf("route: after %d attempts: %w", i, err), last)
		}
		err = attempt(ctx, r)
		if err == nil {
			return r, nil
		}
		last = err
		if errors.Is(err, ErrFinal) {
			return Route{}, fmt.Errorf("route: attempt %d: %w", i+1, err)
		}
		exclude(x, r, err)
	}
	return Route{}, fmt.Errorf("route: %d attempts failed: %w", maxAttempts, last)
}

func exclude(x *Exclusions, r Route, err error) {
	var ce *ChannelFailedError
	var ne *NodeFailedError
	switch {
	case errors.As(err, &ce):
		x.Channel(ce.Channel)
	case errors.As(err, &ne):
		x.Node(ne.Node)
	case len(r.Hops) == 1:
		x.Channel(r.Hops[0].Channel)
	default:
		for _, h := range r.Hops[1:] {
			x.Channel(h.Channel)
		}
	}
}
