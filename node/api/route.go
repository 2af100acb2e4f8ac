package api

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/routing"
)

// RouteQuoter is what sluice_quoteRoute needs from a node (*node.Node has it). It is apart
// from Backend so test doubles of the other methods need not implement it.
type RouteQuoter interface {
	QuoteRoute(ctx context.Context, req node.RouteRequest) (routing.Route, error)
}

// QuoteRouteArgs are the parameters of sluice_quoteRoute.
type QuoteRouteArgs struct {
	To     *common.Address `json:"to"`
	Amount Amount          `json:"amount"`           // what the payee must receive
	Token  *common.Address `json:"token,omitempty"`  // absent or 0x0 = ETH
	MaxFee *Amount         `json:"maxFee,omitempty"` // absent = no bound (a pointer: a zero Amount would marshal as "0")
}

// RouteHop is one channel of a quoted route: To receives Amount over Channel, and From
// keeps Fee for forwarding it (0 on the first hop).
type RouteHop struct {
	Channel ChannelID      `json:"channel"`
	From    common.Address `json:"from"`
	To      common.Address `json:"to"`
	Amount  Amount         `json:"amount"`
	Fee     Amount         `json:"fee"`
}

// RouteQuote is the answer of sluice_quoteRoute: the payee receives Amount, the hubs keep
// Fee in total, and the payer locks Total = Amount + Fee on its first channel.
type RouteQuote struct {
	Hops   []RouteHop `json:"hops"`
	Amount Amount     `json:"amount"`
	Fee    Amount     `json:"fee"`
	Total  Amount     `json:"total"`
}

// routeService holds sluice_quoteRoute; it is registered when the backend is a RouteQuoter.
type routeService struct {
	q       RouteQuoter
	timeout time.Duration
}

// QuoteRoute prices the cheapest route to args.to before anything is locked. Errors:
// -32028 no_route, -32029 fee_too_high (the message names the cheapest fee).
func (s *routeService) QuoteRoute(ctx context.Context, args QuoteRouteArgs) (RouteQuote, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if args.To == nil {
		return RouteQuote{}, invalidParams("to is required (the payee's 0x address)")
	}
	amount, err := requirePositive("amount", args.Amount)
	if err != nil {
		return RouteQuote{}, err
	}
	req := node.RouteRequest{To: *args.To, Amount: amount}
	if args.MaxFee != nil {
		req.MaxFee = args.MaxFee.Big()
	}
	if args.Token != nil {
		req.Token = *args.Token
	}
	r, err := s.q.QuoteRoute(ctx, req)
	if err != nil {
		return RouteQuote{}, toRPCError(err)
	}
	out := RouteQuote{Amount: NewAmount(r.Amount), Fee: NewAmount(r.Fee), Total: NewAmount(r.Total), Hops: make([]RouteHop, len(r.Hops))}
	for i, h := range r.Hops {
		out.Hops[i] = RouteHop{Channel: ChannelID(h.Channel), From: h.From, To: h.To, Amount: NewAmount(h.Amount), Fee: NewAmount(h.Fee)}
	}
	return out, nil
}

// QuoteRoute calls sluice_quoteRoute.
func (c *Client) QuoteRoute(ctx context.Context, args QuoteRouteArgs) (RouteQuote, error) {
	var out RouteQuote
	return out, c.call(ctx, &out, "quoteRoute", args)
}
