package node

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/routing"
)

// DefaultPayAttempts bounds PayTo's routes when the request gives no bound.
const DefaultPayAttempts = 4

// PayToRequest pays Amount to To over the cheapest route (a direct channel partner is a
// 1-hop route) for at most MaxFee in fees (nil: no bound). SecretHash is To's invoice;
// zero: PayTo fetches a fresh one from To along the route (invoice_fetch.go), carrying
// Memo to To's record. PaymentID names the payment on every hop. MaxAttempts bounds the
// routes tried (0: DefaultPayAttempts).
type PayToRequest struct {
	To          common.Address
	Amount      *big.Int
	MaxFee      *big.Int
	SecretHash  [32]byte
	PaymentID   [16]byte
	Memo        string
	MaxAttempts int
	// Client is the API client paying; recorded with the payment, and a repeat of its
	// PaymentID by another client is refused (pay_to_repeat.go).
	Client string
	// Admit, if set, judges each route before anything is locked on it
	// (route_admission.go).
	Admit RouteAdmission
}

// PayToResult is a routed payment: the route it took last (with every hop's fee), the
// first hop's resolved lock, and how many locks were tried (a route, or the same route
// again after a refusal as too short: pay_to_expiry.go).
type PayToResult struct {
	PaymentID [16]byte
	Route     routing.Route
	Payment   RoutedPayment
	Attempts  int
	// Repeat is set when PaymentID had already paid this payee this amount: the result
	// is the original payment's, nothing new was paid (pay_to_repeat.go).
	Repeat bool
}

// PayTo quotes the route and, only if one exists within MaxFee, locks Amount plus the
// fees on the first hop (PayRouted). Before anything is locked it fails with
// routing.ErrNoRoute or routing.ErrFeeTooHigh. A route that fails (a hop refuses the
// lock, which comes back cancelled: a *RouteRefusedError; or the first hop cannot carry
// it) is retried on a fresh quote within MaxFee with the failed channel or node excluded
// (routing.Graph.Retry), within ctx's deadline and MaxAttempts. Locks are priced from a
// read of the chain's head made while the payment is prepared, and the first refusal as
// too short (a hop's expiry, the payee's too_late) is retried on the same route from a
// fresh read before anything is excluded (pay_to_expiry.go). If ctx ends while a lock is
// pending the error matches ErrLockPending: that lock resolves later.
func (n *Node) PayTo(ctx context.Context, req PayToRequest) (PayToResult, error) {
	repeat, release, err := n.beginPayTo(req)
	if err != nil {
		return PayToResult{PaymentID: req.PaymentID}, err
	}
	if repeat != nil {
		return *repeat, nil
	}
	defer release()
	head := n.readHead() // priced from the chain's head, not only the watcher's view
	if err := n.invoiceForPayTo(ctx, &req); err != nil {
		return PayToResult{}, err
	}
	var zero [32]byte
	if req.SecretHash == zero {
		return PayToResult{}, fmt.Errorf("pay %s: no invoice secret hash: %w", req.To, channel.ErrInvalidParams)
	}
	if req.PaymentID == ([16]byte{}) {
		if _, err := rand.Read(req.PaymentID[:]); err != nil {
			return PayToResult{}, fmt.Errorf("pay %s: %w", req.To, err)
		}
	}
	res := PayToResult{PaymentID: req.PaymentID}
	if _, err := n.QuoteRoute(ctx, RouteRequest{To: req.To, Amount: req.Amount, MaxFee: req.MaxFee}); err != nil {
		return res, fmt.Errorf("pay %s: %w; nothing was locked", req.To, err)
	}
	maxAttempts := req.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultPayAttempts
	}
	var lastErr error // the last attempt's own error
	var expiry expiryRetry
	attempt := func(ctx context.Context, r routing.Route) error {
		res.Attempts++
		res.Route = r
		hops := make([]common.Address, len(r.Hops))
		for i, h := range r.Hops {
			hops[i] = h.To
		}
		settle, err := admitRoute(ctx, req.Admit, r)
		if err != nil {
			// The risk policy's answer holds for every route: nothing was locked.
			return fmt.Errorf("%w; nothing was locked (%w)", err, routing.ErrFinal)
		}
		n.routedSendStarted(req, r)
		rreq := RoutedPayRequest{Hops: hops, Amount: req.Amount, Total: r.Total, SecretHash: req.SecretHash, PaymentID: req.PaymentID}
		p, err := n.PayRouted(ctx, rreq)
		if expiry.again(ctx, n, err) {
			res.Attempts++ // the same route, priced from the chain's head (pay_to_expiry.go)
			p, err = n.PayRouted(ctx, rreq)
		}
		n.routedSendEnded(req, p, err)
		settle(err)
		res.Payment = p
		lastErr = err
		if err != nil {
			n.log.Info("routed payment attempt failed", "to", req.To, "attempt", res.Attempts, "hops", len(hops), "err", err)
			n.refreshOwnEdges(false)
		}
		return attemptError(r, err)
	}
	n.refreshOwnEdges(false)
	head.wait(ctx)
	greq := routing.Request{From: n.signer.Address(), To: req.To, Amount: req.Amount, MaxFee: req.MaxFee}
	if _, err := n.routing.graph.Retry(ctx, greq, maxAttempts, attempt); err != nil {
		if errors.Is(err, routing.ErrNoRoute) && errors.Is(lastErr, ErrRouteFailed) && !errors.Is(lastErr, ErrRouteRefused) {
			// The last route's lock expired unpaid and no other route is left: what the
			// caller needs to hear is the expiry (route_expired), not "no route".
			return res, fmt.Errorf("pay %s after %d attempts, no other route: %w", req.To, res.Attempts, lastErr)
		}
		return res, fmt.Errorf("pay %s after %d attempts: %w", req.To, res.Attempts, err)
	}
	return res, nil
}

// attemptError tells routing.Graph.Retry what to exclude after err on route r, or to stop
// (routing.ErrFinal): a refusal names its channel or node (a hop's outgoing-link reasons
// exclude that hop's channel on r; the target's refusals are final); a lock still pending
// or a node shutting down is final; a failure before anything was locked excludes the
// first hop's channel.
func attemptError(r routing.Route, err error) error {
	if err == nil {
		return nil
	}
	var refused *RouteRefusedError
	switch {
	case errors.As(err, &refused):
		refused.Where = refusalLocation(r, refused)
		return err
	case errors.Is(err, ErrLockPending), errors.Is(err, ErrClosed), errors.Is(err, channel.ErrInvalidAmount),
		errors.Is(err, mediate.ErrBadRoute), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w (%w)", err, routing.ErrFinal)
	case errors.Is(err, ErrRouteFailed):
		return err // expired unpaid somewhere: Retry excludes the route past the first hop
	}
	return &routing.ChannelFailedError{Channel: r.Hops[0].Channel, Err: err}
}

// refusalLocation maps a refusal onto route r: the channel it names if r has it; the
// reporting hop's outgoing channel for a link failure; the target's refusals are final;
// else the reporting node.
func refusalLocation(r routing.Route, e *RouteRefusedError) error {
	cause := fmt.Errorf("refused: %s", e.Reason)
	last := len(r.Hops) - 1
	for _, h := range r.Hops {
		if e.FailedChannel != (channel.ID{}) && h.Channel == e.FailedChannel {
			return &routing.ChannelFailedError{Channel: h.Channel, Err: cause}
		}
	}
	if e.Reason.AtTarget() || (last >= 0 && e.FailedNode == r.Hops[last].To) {
		return fmt.Errorf("the payee refused: %s: %w", e.Reason, routing.ErrFinal)
	}
	for i, h := range r.Hops[:max(last, 0)] {
		if h.To == e.FailedNode && e.Reason.OutgoingLink() {
			return &routing.ChannelFailedError{Channel: r.Hops[i+1].Channel, Err: cause}
		}
	}
	return &routing.NodeFailedError{Node: e.FailedNode, Err: cause}
}
