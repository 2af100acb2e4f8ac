package node

import (
	"fmt"
	"math/big"

	"github.com/sluicepay/sluice/routing"
	"github.com/sluicepay/sluice/store"
)

// A wallet that retries sluice_pay({to, paymentId}) after a timeout must not pay twice.
// Direct payments answer a repeated id with the original payment; routed ones do the same
// from the payer's routed record (ID = payment id, ADR 0028), and a second call while the
// first is still running is refused rather than started again.

// beginPayTo claims req.PaymentID for this call. It returns the original result when the
// id already paid this payee this amount (repeat), an error when it is in flight, pending
// or names another payment, and otherwise a release func the caller defers. An id whose
// earlier payment expired or was refused may be paid again: nothing was paid.
func (n *Node) beginPayTo(req PayToRequest) (res *PayToResult, release func(), err error) {
	if req.PaymentID == ([16]byte{}) {
		return nil, func() {}, nil
	}
	if _, busy := n.payToInflight.LoadOrStore(req.PaymentID, struct{}{}); busy {
		return nil, nil, fmt.Errorf("pay %s: payment %x is still being made by another call: %w", req.To, req.PaymentID, ErrLockPending)
	}
	release = func() { n.payToInflight.Delete(req.PaymentID) }
	rs, ok := n.store.(routedStorage)
	if !ok {
		return nil, release, nil
	}
	rec, found, gerr := rs.GetRouted(req.PaymentID)
	switch {
	case gerr != nil:
		release()
		return nil, nil, fmt.Errorf("pay %s: look up payment %x: %w", req.To, req.PaymentID, gerr)
	case !found || rec.Role != store.RolePayer:
		return nil, release, nil
	case rec.Client != req.Client:
		// Another client's id: nothing of its payment is revealed, whatever its state.
		release()
		return nil, nil, fmt.Errorf("pay %s: payment %x was made by another client: %w", req.To, req.PaymentID, ErrPaymentIDReused)
	case rec.Peer != req.To || rec.Amount == nil || req.Amount == nil || rec.Amount.Cmp(req.Amount) != 0:
		release()
		return nil, nil, fmt.Errorf("pay %s: payment %x paid %v to %s: %w", req.To, req.PaymentID, rec.Amount, rec.Peer, ErrPaymentIDReused)
	case rec.State == store.LockPending:
		release()
		return nil, nil, fmt.Errorf("pay %s: payment %x is still pending; it resolves later: %w", req.To, req.PaymentID, ErrLockPending)
	case rec.State == store.LockUnlocked:
		release()
		return repeatResult(rec), nil, nil
	}
	return nil, release, nil // expired or refused: nothing was paid, pay again
}

// repeatResult rebuilds a finished payment's result from its payer record.
func repeatResult(rec store.RoutedRecord) *PayToResult {
	r := routing.Route{Amount: new(big.Int).Set(rec.Amount), Fee: new(big.Int)}
	if rec.Fee != nil {
		r.Fee.Set(rec.Fee)
	}
	r.Total = new(big.Int).Add(r.Amount, r.Fee)
	for _, h := range rec.Hops {
		r.Hops = append(r.Hops, routing.Hop{Channel: h.Channel, From: h.From, To: h.To, Amount: h.Amount, Fee: h.Fee})
	}
	return &PayToResult{PaymentID: rec.PaymentID, Route: r, Repeat: true,
		Payment: RoutedPayment{Channel: rec.Out, Unlocked: true}}
}
