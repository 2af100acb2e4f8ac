package api

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/node"
)

// RoutedPayer is what sluice_pay with `to` and sluice_invoice need from a node (*node.Node
// has it). Like RouteQuoter it is apart from Backend, so test doubles need not have it.
type RoutedPayer interface {
	PayTo(ctx context.Context, req node.PayToRequest) (node.PayToResult, error)
	NewInvoice(ctx context.Context, amount *big.Int) (node.Invoice, error)
}

// InvoiceArgs are the parameters of sluice_invoice.
type InvoiceArgs struct {
	Amount Amount `json:"amount"`
}

// InvoiceResult is the payee's invoice: the payer passes SecretHash to sluice_pay.
type InvoiceResult struct {
	SecretHash common.Hash `json:"secretHash"`
	Amount     Amount      `json:"amount"`
	// Expiry (unix seconds): the node refuses locks for the invoice that arrive later.
	Expiry uint64 `json:"expiry"`
}

// invoiceService holds sluice_invoice; registered when the backend is a RoutedPayer.
type invoiceService struct {
	s *service
}

// Invoice creates a secret for a routed payment of amount to this node and returns its
// hash; the node reveals the secret only to a lock that pays at least amount.
func (s *invoiceService) Invoice(ctx context.Context, args InvoiceArgs) (InvoiceResult, error) {
	ctx, cancel := s.s.bound(ctx)
	defer cancel()
	amount, err := requirePositive("amount", args.Amount)
	if err != nil {
		return InvoiceResult{}, err
	}
	inv, err := s.s.routed.NewInvoice(ctx, amount)
	if err != nil {
		return InvoiceResult{}, toRPCError(err)
	}
	return InvoiceResult{SecretHash: inv.SecretHash, Amount: NewAmount(inv.Amount), Expiry: inv.Expiry}, nil
}

// payTo is sluice_pay with `to`: quote, refuse above maxFee, fetch the payee's signed
// invoice over the route unless secretHash is given (a merchant's own invoice), lock
// amount + fees on the first hop and wait until the payee released the secret (or the
// lock expired). A memo travels with the invoice request to the payee's record.
func (s *service) payTo(ctx context.Context, args PayArgs) (Payment, error) {
	if s.routed == nil {
		return Payment{}, invalidParams("this node does not pay by address; give a channel")
	}
	if args.Channel != nil {
		return Payment{}, invalidParams("give either channel or to, not both")
	}
	hasHash := args.SecretHash != nil && *args.SecretHash != (common.Hash{})
	if args.SecretHash != nil && !hasHash {
		return Payment{}, invalidParams("secretHash is all zeros: omit it and the node asks the payee for an invoice")
	}
	if args.Memo != "" && hasHash {
		return Payment{}, invalidParams("memo travels with the invoice the node asks the payee for: omit secretHash to send one")
	}
	if len(args.Memo) > maxMemoBytes {
		return Payment{}, invalidParams("memo is %d bytes; at most %d", len(args.Memo), maxMemoBytes)
	}
	amount, err := requirePositive("amount", args.Amount)
	if err != nil {
		return Payment{}, err
	}
	req := node.PayToRequest{To: *args.To, Amount: amount, Memo: args.Memo}
	if hasHash {
		req.SecretHash = *args.SecretHash
	}
	if args.MaxFee != nil {
		req.MaxFee = args.MaxFee.Big()
	}
	if args.PaymentID != nil {
		if args.PaymentID.IsZero() {
			return Payment{}, invalidParams("paymentId %s (all zeros) is not usable", args.PaymentID)
		}
		req.PaymentID = *args.PaymentID
	}
	res, err := s.routed.PayTo(ctx, req)
	if err != nil {
		return Payment{}, toRPCError(err)
	}
	r := res.Route
	q := &RouteQuote{Amount: NewAmount(r.Amount), Fee: NewAmount(r.Fee), Total: NewAmount(r.Total), Hops: make([]RouteHop, len(r.Hops))}
	for i, h := range r.Hops {
		q.Hops[i] = RouteHop{Channel: ChannelID(h.Channel), From: h.From, To: h.To, Amount: NewAmount(h.Amount), Fee: NewAmount(h.Fee)}
	}
	fee := NewAmount(r.Fee)
	return Payment{PaymentID: res.PaymentID, Channel: ChannelID(res.Payment.Channel), Direction: "sent", Amount: NewAmount(amount), Fee: &fee, Route: q, Memo: args.Memo, Attempts: res.Attempts, Repeat: res.Repeat}, nil
}
