package api

import (
	"context"
	"fmt"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// Read scopes (issue 22, finding 7): a client token lists and subscribes to the payments
// its scope shows (by default only those it made), so it cannot read another client's
// payments or memos; the admin sees everything. Pay scopes are enforced by the engine
// (decline out_of_scope, before anything is signed).

// maxScopedPages bounds how many node pages one filtered sluice_payments call reads, so a
// client with few payments in a long log gets a short page and a cursor, not a scan.
const maxScopedPages = 8

// visibility returns whether the caller may see a payment, or nil when it sees all.
func (r *riskBackend) visibility(ctx context.Context, method string) (func(context.Context, node.PaymentView) bool, error) {
	client, ok := r.layer.clientOf(ctx)
	if !ok {
		return nil, &Error{Code: CodeForbidden, Kind: "forbidden", Message: method + ": the calling API client could not be identified"}
	}
	if client == risk.AdminClient {
		return nil, nil
	}
	return func(ctx context.Context, p node.PaymentView) bool {
		// Looked up per payment: a scope the admin narrows, or a client it deletes,
		// applies to open subscriptions at once.
		sc, ok := r.layer.engine.ScopeOf(client)
		if !ok {
			return false
		}
		if sc.ReadsOwnOnly() {
			return p.Client == client
		}
		partner, err := r.counterparty(ctx, p.Channel)
		if err != nil {
			return false
		}
		return sc.MayRead(client, p.Channel, partner, p.Client)
	}, nil
}

// Payments lists only what the caller's read scope shows.
func (r *riskBackend) Payments(ctx context.Context, q node.PaymentQuery) (node.PaymentPage, error) {
	visible, err := r.visibility(ctx, "payments")
	if err != nil || visible == nil {
		if err != nil {
			return node.PaymentPage{}, err
		}
		return r.Backend.Payments(ctx, q)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	var out node.PaymentPage
	for range maxScopedPages {
		q.Limit = limit - len(out.Payments)
		page, err := r.Backend.Payments(ctx, q)
		if err != nil {
			return node.PaymentPage{}, err
		}
		for _, p := range page.Payments {
			if visible(ctx, p) {
				out.Payments = append(out.Payments, p)
			}
		}
		out.Next = page.Next
		if page.Next == "" || len(out.Payments) >= limit {
			break
		}
		q.Cursor = page.Next
	}
	return out, nil
}

// PaymentFilter implements paymentFilter for sluice_subscribe ["payments"].
func (r *riskBackend) PaymentFilter(ctx context.Context) (func(node.PaymentView) bool, error) {
	visible, err := r.visibility(ctx, "subscribe payments")
	if err != nil || visible == nil {
		return nil, err
	}
	return func(p node.PaymentView) bool { return visible(ctx, p) }, nil
}

// otherClientsPayment refuses to hand a client the payment another client made under the
// same id (a retry answers with the original payment, memo included).
func otherClientsPayment(client string, v node.PaymentView) error {
	if client == risk.AdminClient || v.Client == "" || v.Client == client {
		return nil
	}
	return fmt.Errorf("pay on channel %s: payment %x was made by another client: %w", v.Channel, v.PaymentID, node.ErrPaymentIDReused)
}
