package mediate

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/routing"
)

// DefaultRevealMargin is the default reveal margin in seconds of chain time: the time a
// node that learnt a secret needs to get registerSecret mined before its incoming lock
// expires if its payer does not unlock. Ten minutes covers a congested chain's inclusion
// delay many times over. It is independent of the challenge period: a lock is claimed on
// chain by the secret's registration time, and its unlock may run any time after settle.
const DefaultRevealMargin = 600

// MaxHops bounds a route (channels from initiator to target).
const MaxHops = 8

var (
	// ErrUnsafeExpiration: forwarding (or revealing) would leave less than the reveal
	// margin to claim the incoming lock on chain.
	ErrUnsafeExpiration = errors.New("lock expiration leaves less than the reveal margin")
	// ErrExpirationTooFar: the incoming lock expires further out than any honest route
	// needs (Config.MaxAhead): forwarding it would lend our capacity for that long.
	ErrExpirationTooFar = errors.New("lock expiration too far in the future")
	// ErrBadRoute: the route is empty, too long, loops or names this node.
	ErrBadRoute = errors.New("invalid route")
	// ErrUnderpaid: the incoming lock pays less than the payment asks.
	ErrUnderpaid = errors.New("incoming lock pays less than asked")
	// ErrFeeUnpaid: the incoming lock does not leave this mediator its fee on top of
	// what the payment must deliver.
	ErrFeeUnpaid = errors.New("incoming lock does not pay the forwarding fee")
)

// Config are the rules' parameters.
type Config struct {
	// RevealMargin in seconds (DefaultRevealMargin when 0).
	RevealMargin uint64
	// Fees is what this node charges to forward (routing's fee function, the one it
	// announces): it keeps Fees.Fee(out) of the incoming lock and forwards out.
	Fees routing.FeePolicy
	// MaxAhead bounds how far past chain time an incoming lock may expire for us to
	// forward it (seconds; 0: DefaultMaxAhead, or more if the margin needs it). A lock
	// expiring a year out would hold our outgoing capacity that long if the target never
	// answers (a griefing lock); honest routes need at most a margin per hop.
	MaxAhead uint64
}

// DefaultMaxAhead: a week, far beyond an honest route at the default margin (10 min per
// hop). A node with a larger margin allows MaxHops+2 of its margins.
const DefaultMaxAhead = 7 * 24 * 3600

func (c Config) maxAhead() uint64 {
	if c.MaxAhead != 0 {
		return c.MaxAhead
	}
	return max(DefaultMaxAhead, c.margin()*(MaxHops+2))
}

func (c Config) margin() uint64 {
	if c.RevealMargin == 0 {
		return DefaultRevealMargin
	}
	return c.RevealMargin
}

// InitiatorExpiration is the first lock's expiration for a route of hops channels at
// chain time now: every hop gets a margin, and the target one more to register the
// secret. Each mediator then takes a margin off (ForwardExpiration).
func (c Config) InitiatorExpiration(now uint64, hops int) uint64 {
	return now + c.margin()*uint64(hops+1)
}

// CheckRoute validates the initiator's route: hops lists the nodes after the initiator,
// ending with the target; no node twice, not the initiator itself.
func CheckRoute(self common.Address, hops []common.Address) error {
	if len(hops) == 0 || len(hops) > MaxHops {
		return fmt.Errorf("%d hops, want 1..%d: %w", len(hops), MaxHops, ErrBadRoute)
	}
	seen := map[common.Address]bool{self: true}
	for i, h := range hops {
		if seen[h] {
			return fmt.Errorf("hop %d %s repeats a node or names the payer: %w", i, h, ErrBadRoute)
		}
		seen[h] = true
	}
	return nil
}

// Forward is what a mediator sends on: the outgoing lock and the hops after its
// receiver, for an incoming lock received at chain time now with rest the hops after
// this node (rest[0] is the next node). The outgoing lock pays out, the most the incoming
// lock carries after this node's fee (out + Fees.Fee(out) <= in, routing.Forwardable):
// for a payer that priced the route with routing.Route that is exactly the target's
// amount plus the fees of the hops downstream. Forwarding is refused (ErrFeeUnpaid) when
// out would be less than amount, the target's amount: the fee was not paid. The outgoing
// lock expires a margin before the incoming one;
// forwarding is refused unless the next node would still have a margin left too, so the
// mediator's incoming lock always outlives what it owes by a margin.
func (c Config) Forward(in channel.Lock, amount *big.Int, rest []common.Address, now uint64) (out channel.Lock, next common.Address, after []common.Address, err error) {
	if len(rest) == 0 || len(rest) > MaxHops {
		return channel.Lock{}, common.Address{}, nil, fmt.Errorf("forward with %d hops left: %w", len(rest), ErrBadRoute)
	}
	if amount == nil || amount.Sign() <= 0 || in.Amount == nil || in.Amount.Cmp(amount) < 0 {
		return channel.Lock{}, common.Address{}, nil, fmt.Errorf("forward %v for an incoming lock of %v: %w", amount, in.Amount, ErrUnderpaid)
	}
	fwd, ok := c.Fees.Forwardable(in.Amount)
	if !ok || fwd.Cmp(amount) < 0 {
		return channel.Lock{}, common.Address{}, nil, fmt.Errorf("incoming lock of %v, fee %s, target amount %v: %w", in.Amount, c.Fees, amount, ErrFeeUnpaid)
	}
	m := c.margin()
	if in.Expiration < now+2*m {
		return channel.Lock{}, common.Address{}, nil, fmt.Errorf("incoming lock expires at %d, chain time %d, margin %d: %w", in.Expiration, now, m, ErrUnsafeExpiration)
	}
	if in.Expiration-now > c.maxAhead() {
		return channel.Lock{}, common.Address{}, nil, fmt.Errorf("incoming lock expires at %d, %d s past chain time %d (at most %d): %w", in.Expiration, in.Expiration-now, now, c.maxAhead(), ErrExpirationTooFar)
	}
	out = channel.Lock{Amount: fwd, Expiration: in.Expiration - m, SecretHash: in.SecretHash}
	return out, rest[0], append([]common.Address(nil), rest[1:]...), nil
}

// TargetReveals says whether the target may release the secret for its incoming lock at
// chain time now: the lock pays at least what the invoice asks and leaves a margin to
// register the secret on chain should the payer not unlock.
func (c Config) TargetReveals(in channel.Lock, asked *big.Int, now uint64) error {
	if asked != nil && (in.Amount == nil || in.Amount.Cmp(asked) < 0) {
		return fmt.Errorf("lock of %v for an invoice of %v: %w", in.Amount, asked, ErrUnderpaid)
	}
	if in.Expiration < now+c.margin() {
		return fmt.Errorf("lock expires at %d, chain time %d, margin %d: %w", in.Expiration, now, c.margin(), ErrUnsafeExpiration)
	}
	return nil
}
