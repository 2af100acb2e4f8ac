package api

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
	"github.com/sluicepay/sluice/routing"
)

// riskRoutedPayer decorates a RoutedPayer: a routed payment (sluice_pay with `to`) is
// judged by the risk engine on the paying node exactly like a direct one, once its route
// is quoted and before anything is locked (ADR 0029). The client is charged the route's
// Total, amount plus fees, on the first hop's channel and partner (its scope); the
// reservation is given back when the lock came back unpaid or nothing was locked, and it
// trains the baseline only when the payee released the secret.
type riskRoutedPayer struct {
	RoutedPayer
	layer *riskLayer
}

func (r *riskRoutedPayer) PayTo(ctx context.Context, req node.PayToRequest) (node.PayToResult, error) {
	client, ok := r.layer.clientOf(ctx)
	if !ok {
		return node.PayToResult{}, &RiskError{Code: CodeRiskDeclined, Kind: "risk_declined", Outcome: "decline",
			Reasons: []string{"unknown_client"}, Message: "pay: the calling API client could not be identified"}
	}
	if req.PaymentID == ([16]byte{}) {
		// A step-up challenge binds the payment id, so the repeat must carry the same one.
		_, _ = rand.Read(req.PaymentID[:])
	}
	req.Client = client // recorded in the routed log: a retry by another client is refused
	stepUp := stepUpFrom(ctx)
	req.Admit = func(ctx context.Context, route routing.Route) (func(error), error) {
		return r.judge(ctx, client, req.PaymentID, route, stepUp)
	}
	return r.RoutedPayer.PayTo(ctx, req)
}

// judge decides one route; approved, the returned settle gives the reservation back or
// completes it by the attempt's outcome.
func (r *riskRoutedPayer) judge(ctx context.Context, client string, id [16]byte, route routing.Route, stepUp *risk.StepUpProof) (func(error), error) {
	if len(route.Hops) == 0 || route.Total == nil {
		return nil, fmt.Errorf("pay: empty route: %w", channel.ErrInvalidParams)
	}
	first := route.Hops[0]
	d := r.layer.engine.Decide(risk.Request{
		Client: client, Channel: first.Channel, Counterparty: first.To, Amount: route.Total,
		PaymentID: id, StepUp: stepUp,
	})
	if d.Outcome != risk.Approve {
		return nil, r.layer.decisionError(client, node.PayRequest{Channel: first.Channel, Amount: route.Total}, &d)
	}
	if err := r.layer.engine.Persist(ctx, &d); err != nil {
		r.layer.engine.Release(&d)
		return nil, fmt.Errorf("pay via channel %s: risk reservation not durable, nothing locked: %w", first.Channel, err)
	}
	return func(err error) {
		switch {
		case err == nil:
			r.layer.engine.Complete(&d)
		case routedMoneyBack(err):
			r.layer.engine.Release(&d)
		}
		// Otherwise (the wait ended with the lock pending) the payee may still be paid:
		// the amount stays charged and trains nothing.
	}, nil
}

// routedMoneyBack lists the outcomes of a routed attempt after which nothing left the
// wallet: the lock expired (or was cancelled) unpaid, or it was never signed.
func routedMoneyBack(err error) bool {
	return errors.Is(err, node.ErrRouteFailed) || failedBeforeSigning(err)
}
