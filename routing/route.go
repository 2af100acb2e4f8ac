package routing

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Request asks for the cheapest route. It is the node's Route(from, to, amount, maxFee,
// exclude) with the token made explicit, since a graph holds channels of every token.
type Request struct {
	From, To common.Address
	Token    common.Address // address(0) = ETH
	Amount   *big.Int       // what the payee must receive
	MaxFee   *big.Int       // nil = no bound
	MaxHops  int            // 0 = the graph's MaxHops
	Exclude  *Exclusions    // nil = none
}

// Hop is one channel of a route. Amount is what To receives over Channel; Fee is what
// From keeps for forwarding it (zero on the first hop: the payer charges itself nothing).
// Hop i's sender receives Hops[i-1].Amount = Hops[i].Amount + Hops[i].Fee.
type Hop struct {
	Channel  channel.ID
	From, To common.Address
	Amount   *big.Int
	Fee      *big.Int
}

// Route is a priced path from payer to payee: the fee quote a payer sees before paying.
type Route struct {
	Hops   []Hop
	Amount *big.Int // delivered to the payee
	Fee    *big.Int // total of every hop's fee
	Total  *big.Int // what the payer sends: Amount + Fee = Hops[0].Amount
}

// Channels lists the route's channels in order.
func (r Route) Channels() []channel.ID {
	out := make([]channel.ID, len(r.Hops))
	for i, h := range r.Hops {
		out[i] = h.Channel
	}
	return out
}

// label is a node's best requirement found in one round: it must receive need (over the
// edge into it) to deliver the payment via e (nil for the payee itself).
type label struct {
	need *big.Int
	e    *edge
}

// Route finds the route of lowest total fee from req.From to req.To with at most MaxHops
// channels, each of which can carry what it must (the amount plus every fee charged
// downstream of it), avoiding req.Exclude. It is exact: a Bellman-Ford over hop rounds run
// backwards from the payee, where a node's label is the smallest amount it must receive.
// Fees are non-decreasing in the amount and capacity is a threshold, so the smallest
// requirement downstream is always the best one to build on; a label changes only when it
// strictly improves, which also keeps every route free of cycles (fees are >= 0). Ties go
// to the fewer hops. ErrFeeTooHigh (a *FeeTooHighError) when the cheapest exceeds MaxFee.
func (g *Graph) Route(req Request) (Route, error) {
	if err := req.validate(); err != nil {
		return Route{}, err
	}
	maxHops := req.MaxHops
	if maxHops <= 0 {
		maxHops = g.cfg.MaxHops
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	payer, okFrom := g.nodes[req.From]
	payee, okTo := g.nodes[req.To]
	if !okFrom || !okTo {
		return Route{}, fmt.Errorf("route %s -> %s: %w", req.From, req.To, ErrNoRoute)
	}
	// A label found in round k is of use only to a node the payer reaches in at most
	// maxHops-k hops: the forward distances prune the backward search to the routes that
	// can still be completed (most of a large graph, in the last rounds).
	dist := g.distances(payer, maxHops-1, &req, payer, payee)
	best := make(map[int32]*big.Int)             // lowest need per node over all rounds
	rounds := make([]map[int32]label, maxHops+1) // improvements per round
	rounds[0] = map[int32]label{payee: {need: req.Amount}}
	frontier := []int32{payee}
	best[payee] = req.Amount
	var (
		total      *big.Int // lowest payer total so far
		totalRound int
		totalEdge  *edge
		scratch    = new(big.Int)
	)
	for k := 1; k <= maxHops && len(frontier) > 0; k++ {
		cur := make(map[int32]label)
		for _, w := range frontier {
			needW := rounds[k-1][w].need
			for _, e := range g.in[w] {
				if d, ok := dist[e.from]; !ok || d+k > maxHops {
					continue
				}
				if !g.usable(e, &req, payer, payee) || e.Capacity.Cmp(needW) < 0 {
					continue
				}
				if e.from == payer {
					if total == nil || needW.Cmp(total) < 0 {
						total, totalRound, totalEdge = needW, k, e
					}
					continue
				}
				cand := new(big.Int)
				e.Fee.addFee(cand, needW, scratch)
				cand.Add(cand, needW)
				if b, ok := best[e.from]; ok && cand.Cmp(b) >= 0 {
					continue
				}
				best[e.from] = cand
				cur[e.from] = label{need: cand, e: e}
			}
		}
		rounds[k] = cur
		frontier = frontier[:0]
		for v := range cur {
			frontier = append(frontier, v)
		}
		slices.Sort(frontier) // equal-fee ties resolve the same way every time
	}
	if total == nil {
		return Route{}, fmt.Errorf("route %s -> %s of %s: %w", req.From, req.To, req.Amount, ErrNoRoute)
	}
	r := g.build(req, rounds, totalRound, totalEdge)
	if req.MaxFee != nil && r.Fee.Cmp(req.MaxFee) > 0 {
		return r, &FeeTooHighError{Fee: r.Fee, MaxFee: new(big.Int).Set(req.MaxFee)}
	}
	return r, nil
}

// distances are the hop counts from the payer over usable edges, up to depth.
func (g *Graph) distances(from int32, depth int, req *Request, payer, payee int32) map[int32]int {
	dist := map[int32]int{from: 0}
	frontier := []int32{from}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var next []int32
		for _, v := range frontier {
			for _, e := range g.out[v] {
				if _, seen := dist[e.to]; seen || !g.usable(e, req, payer, payee) {
					continue
				}
				dist[e.to] = d
				next = append(next, e.to)
			}
		}
		frontier = next
	}
	return dist
}

func (g *Graph) usable(e *edge, req *Request, payer, payee int32) bool {
	if e.Token != req.Token || e.from == payee {
		return false
	}
	if x := req.Exclude; x != nil {
		if x.HasChannel(e.Channel) {
			return false
		}
		if e.from != payer && x.HasNode(e.From) {
			return false
		}
	}
	return true
}

// build walks the rounds forward from the payer's first edge, one round down per hop.
func (g *Graph) build(req Request, rounds []map[int32]label, k int, first *edge) Route {
	hops := make([]Hop, 0, k)
	need := rounds[k-1][first.to].need
	hops = append(hops, Hop{Channel: first.Channel, From: first.From, To: first.To, Amount: new(big.Int).Set(need), Fee: new(big.Int)})
	total := new(big.Int).Set(need)
	node := first.to
	for j := k - 1; j >= 1; j-- {
		l := rounds[j][node]
		next := rounds[j-1][l.e.to].need
		fee := new(big.Int).Sub(l.need, next)
		hops = append(hops, Hop{Channel: l.e.Channel, From: l.e.From, To: l.e.To, Amount: new(big.Int).Set(next), Fee: fee})
		node = l.e.to
	}
	amount := new(big.Int).Set(req.Amount)
	return Route{Hops: hops, Amount: amount, Fee: new(big.Int).Sub(total, amount), Total: total}
}

func (req *Request) validate() error {
	switch {
	case req.Amount == nil || req.Amount.Sign() <= 0 || req.Amount.Cmp(channel.MaxAmount()) > 0:
		return fmt.Errorf("amount %v: %w", req.Amount, ErrInvalidRequest)
	case req.MaxFee != nil && req.MaxFee.Sign() < 0:
		return fmt.Errorf("maxFee %s: %w", req.MaxFee, ErrInvalidRequest)
	case req.From == req.To:
		return fmt.Errorf("payer is payee %s: %w", req.From, ErrInvalidRequest)
	case req.MaxHops < 0:
		return fmt.Errorf("maxHops %d: %w", req.MaxHops, ErrInvalidRequest)
	}
	return nil
}
