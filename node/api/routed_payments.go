package api

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/store"
)

// RoutedLog is the routed payment log (*node.Node has it): sluice_payments with
// routed: true, sluice_payment and the routedPayments subscription read it. Only callers
// that see every payment (the admin) may read it: its records name no API client.
type RoutedLog interface {
	RoutedPayments(ctx context.Context, cursor string, limit int) (store.RoutedPage, error)
	RoutedPayment(ctx context.Context, id [16]byte) (store.RoutedRecord, error)
	SubscribeRoutedPayments(ch chan<- store.RoutedRecord) (unsubscribe func())
}

// RoutedInfo is what a routed payment adds to a Payment: this node's role (payer,
// mediator, target), the state of its lock (pending, unlocked, expired, refused), the
// secret hash, the other end (payer: the target; target: the payer that asked for the
// invoice; mediator: the target), the channels the lock came in and went out on.
type RoutedInfo struct {
	Role       string         `json:"role"`
	State      string         `json:"state"`
	SecretHash common.Hash    `json:"secretHash"`
	Peer       common.Address `json:"peer,omitempty"`
	InChannel  *ChannelID     `json:"inChannel,omitempty"`
	OutChannel *ChannelID     `json:"outChannel,omitempty"`
	Updated    time.Time      `json:"updated"`
}

// routedPaymentJSON shows a routed record as a Payment: Channel is the outgoing channel
// (payer, mediator) or the incoming one (target), Direction sent/forwarded/received,
// Amount what the target receives, Fee the payer's total or the mediator's earning, Route
// the payer's hops with each one's fee.
func routedPaymentJSON(r store.RoutedRecord) Payment {
	p := Payment{PaymentID: PaymentID(r.ID), Amount: NewAmount(r.Amount), Time: r.Created, Memo: r.Memo,
		Routed: &RoutedInfo{Role: r.Role.String(), State: r.State.String(), SecretHash: r.SecretHash, Peer: r.Peer, Updated: r.Updated}}
	if r.In != ([32]byte{}) {
		in := ChannelID(r.In)
		p.Routed.InChannel = &in
	}
	if r.Out != ([32]byte{}) {
		out := ChannelID(r.Out)
		p.Routed.OutChannel = &out
	}
	switch r.Role {
	case store.RolePayer:
		p.Direction, p.Channel = "sent", ChannelID(r.Out)
	case store.RoleMediator:
		p.Direction, p.Channel = "forwarded", ChannelID(r.Out)
	default:
		p.Direction, p.Channel = "received", ChannelID(r.In)
	}
	if r.Role != store.RoleTarget {
		fee := NewAmount(r.Fee)
		p.Fee = &fee
	}
	if len(r.Hops) > 0 {
		q := &RouteQuote{Amount: NewAmount(r.Amount), Fee: NewAmount(r.Fee), Total: NewAmount(r.Hops[0].Amount), Hops: make([]RouteHop, len(r.Hops))}
		for i, h := range r.Hops {
			q.Hops[i] = RouteHop{Channel: ChannelID(h.Channel), From: h.From, To: h.To, Amount: NewAmount(h.Amount), Fee: NewAmount(h.Fee)}
		}
		p.Route = q
	}
	return p
}

// routedLogFor returns the routed log if the caller may read it.
func (s *service) routedLogFor(ctx context.Context, method string) (RoutedLog, error) {
	if f, ok := s.b.(paymentFilter); ok {
		visible, err := f.PaymentFilter(ctx)
		if err != nil {
			return nil, err
		}
		if visible != nil {
			return nil, &Error{Code: CodeForbidden, Kind: "forbidden", Message: method + ": the routed payment log is for the admin token only"}
		}
	}
	log, ok := s.routed.(RoutedLog)
	if !ok {
		return nil, invalidParams("this node keeps no routed payment log")
	}
	return log, nil
}

// routedPayments is sluice_payments with routed: true.
func (s *service) routedPayments(ctx context.Context, args *PaymentsArgs) (PaymentPage, error) {
	log, err := s.routedLogFor(ctx, "payments")
	if err != nil {
		return PaymentPage{}, err
	}
	if args.Channel != nil {
		return PaymentPage{}, invalidParams("routed and channel together are not supported: the routed log lists every routed payment")
	}
	page, err := log.RoutedPayments(ctx, args.Cursor, args.Limit)
	if err != nil {
		return PaymentPage{}, toRPCError(err)
	}
	out := PaymentPage{Payments: make([]Payment, 0, len(page.Records)), Next: page.Next}
	for _, r := range page.Records {
		out.Payments = append(out.Payments, routedPaymentJSON(r))
	}
	return out, nil
}

// Payment is sluice_payment: one routed payment by its id (a payer's paymentId, or the
// id a mediator's or target's log lists), with its route, fees and lock state.
func (s *service) Payment(ctx context.Context, id PaymentID) (Payment, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	log, err := s.routedLogFor(ctx, "payment")
	if err != nil {
		return Payment{}, err
	}
	r, err := log.RoutedPayment(ctx, id)
	if err != nil {
		return Payment{}, toRPCError(err)
	}
	return routedPaymentJSON(r), nil
}

// RoutedPayments streams every routed payment record as it is written (a new payment and
// each change of its lock's state): sluice_subscribe ["routedPayments"].
func (s *subscriptions) RoutedPayments(ctx context.Context) (*rpc.Subscription, error) {
	log, ok := s.b.(RoutedLog)
	if rb, isRisk := s.b.(*riskBackend); !ok && isRisk {
		log, ok = rb.Backend.(RoutedLog)
	}
	if !ok {
		return nil, invalidParams("this node keeps no routed payment log")
	}
	if f, isFiltered := s.b.(paymentFilter); isFiltered {
		visible, err := f.PaymentFilter(ctx)
		if err != nil {
			return nil, err
		}
		if visible != nil {
			return nil, &Error{Code: CodeForbidden, Kind: "forbidden", Message: "routedPayments: the routed payment log is for the admin token only"}
		}
	}
	notifier, sub, err := newSubscription(ctx)
	if err != nil {
		return nil, err
	}
	ch := make(chan store.RoutedRecord, subscriptionBuffer)
	unsubscribe := log.SubscribeRoutedPayments(ch)
	forward(s, sub, ch, unsubscribe, func(r store.RoutedRecord) error {
		return notifier.Notify(sub.ID, routedPaymentJSON(r))
	})
	return sub, nil
}

var _ RoutedLog = (*node.Node)(nil)

// Payment calls sluice_payment.
func (c *Client) Payment(ctx context.Context, id PaymentID) (Payment, error) {
	var out Payment
	return out, c.call(ctx, &out, "payment", id)
}
