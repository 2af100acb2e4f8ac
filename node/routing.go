package node

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
	"github.com/sluicepay/sluice/routing/gossip"
)

// RoutingConfig is the node's part in routing (docs/routing.md): the fee it charges to
// forward over its channels, and whether it announces them at all.
type RoutingConfig struct {
	// Fees is the one policy of all the node's channels: Flat wei plus PPM per million of
	// what it forwards. Zero: forwards for free.
	Fees routing.FeePolicy
	// NoAnnounce keeps the node's channels out of gossip (a wallet that does not forward):
	// it still learns the graph and quotes routes.
	NoAnnounce bool
	// The announcer's pacing and the graph's pruning; zero takes the gossip package's
	// defaults (15s, 30m, 30s) and 5 minutes. Tests shorten them.
	AnnounceInterval, AnnounceRefresh, AnnounceMinGap time.Duration
	PruneEvery                                        time.Duration
}

// RouteRequest asks for a route quote: who is paid, how much it must receive, in which
// token (zero: ETH), and the most the payer will pay in fees (nil: no bound).
type RouteRequest struct {
	To     common.Address
	Token  common.Address
	Amount *big.Int
	MaxFee *big.Int
}

// routingState is the graph, its gossip and the announcer. The graph and validator exist
// from assemble on; the service, announcer and pruner run between Start and Close.
type routingState struct {
	graph     *routing.Graph
	validator *gossip.Validator

	// ann is read on every durable group commit (routingTouched), so without a lock.
	ann atomic.Pointer[gossip.Announcer]

	mu     sync.Mutex // guards svc, cancel
	svc    *gossip.Service
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func (n *Node) initRouting() error {
	if err := n.cfg.Routing.Fees.Validate(); err != nil {
		return fmt.Errorf("routing fees: %w", err)
	}
	n.routing = &routingState{graph: routing.NewGraph(routing.Config{})}
	v, err := gossip.NewValidator(gossip.ValidatorConfig{Domain: n.domain, Chain: routingChain{n.chain}, Graph: n.routing.graph})
	if err != nil {
		return fmt.Errorf("routing: %w", err)
	}
	n.routing.validator = v
	return nil
}

// startRouting joins the routing gossip on the transport's host and starts the announcer
// (unless NoAnnounce) and the pruner. A transport without a host (a test double) leaves
// the node with its own channels only.
func (n *Node) startRouting() error {
	rs := n.routing
	n.refreshOwnEdges(false)
	h, ok := n.transport.(interface{ Host() host.Host })
	if !ok {
		n.log.Warn("routing gossip off: the transport exposes no libp2p host")
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := gossip.Start(ctx, gossip.Config{
		Host: h.Host(), Validator: rs.validator, Registerer: n.cfg.Metrics, Logger: n.log,
		OnPenalty: func(p peer.ID, err error) {
			if addr, aerr := p2p.AddressFromPeerID(p); aerr == nil {
				n.transport.Penalize(addr, "invalid routing announcements: "+err.Error())
			}
		},
		// Graph sync on connect runs inside the service: every peer identified on this
		// host is asked for its announcements once per SyncEvery.
		OnSync: func(p peer.ID, admitted int, err error) {
			n.log.Debug("routing graph sync", "peer", p, "admitted", admitted, "err", err)
		},
	})
	if err != nil {
		cancel()
		return err
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.svc, rs.cancel = svc, cancel
	if !n.cfg.Routing.NoAnnounce {
		rc := n.cfg.Routing
		ann, err := gossip.NewAnnouncer(gossip.AnnouncerConfig{
			Domain: n.domain, Signer: n.signer, PeerID: n.transport.ID(), Addrs: n.transport.Addrs,
			Channels: routingChannels{n}, Publisher: ownPublisher{n, svc}, Fees: rc.Fees,
			Interval: rc.AnnounceInterval, Refresh: rc.AnnounceRefresh, MinGap: rc.AnnounceMinGap, Logger: n.log,
		})
		if err != nil {
			cancel()
			svc.Close()
			return err
		}
		rs.ann.Store(ann)
		rs.wg.Add(1)
		go func() { defer rs.wg.Done(); ann.Run(ctx) }()
	}
	every := n.cfg.Routing.PruneEvery
	if every <= 0 {
		every = 5 * time.Minute
	}
	rs.wg.Add(1)
	go func() {
		defer rs.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				rs.graph.Prune(now)
				n.refreshOwnEdges(true)
			}
		}
	}()
	return nil
}

// stopRouting stops the announcer and the pruner, then gossip; the host is the
// transport's and closes after this.
func (n *Node) stopRouting() {
	rs := n.routing
	rs.mu.Lock()
	cancel, svc := rs.cancel, rs.svc
	rs.cancel, rs.svc = nil, nil
	rs.ann.Store(nil)
	rs.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	rs.wg.Wait()
	svc.Close()
}

// routingTouched asks the announcer for a pass (coalesced: it never blocks) after a
// payment or a chain event changed what a channel can carry.
func (n *Node) routingTouched() {
	if ann := n.routing.ann.Load(); ann != nil {
		ann.Trigger()
	}
}

// routingChannelEvent follows a chain event of one of our channels: a channel no longer
// open leaves the graph; any event drops the validator's cached chain view of it.
func (n *Node) routingChannelEvent(id channel.ID, status channel.Status) {
	n.routing.validator.Forget(id)
	if status != channel.StatusOpen {
		n.routing.graph.RemoveChannel(id)
		return
	}
	n.routingTouched()
}

// refreshOwnEdges puts the node's own channels into its graph with their exact capacity
// (gossip carries only buckets), so a route's first hop is never under-estimated. An edge
// unchanged is left alone unless force (the pruner keeps it from ageing out).
func (n *Node) refreshOwnEdges(force bool) {
	now := time.Now()
	for _, e := range n.ownEdges(n.cfg.Routing.Fees) {
		n.putOwnEdge(e, force, now)
	}
}

// refreshOwnEdge is refreshOwnEdges for one channel: after our announcement of it, the
// only edge its local validation changed (a hub announcing all its channels refreshed
// every one of them after each: O(channels²) per pass, ADR 0038).
func (n *Node) refreshOwnEdge(id channel.ID) {
	lc := n.channel(id)
	if lc == nil {
		return
	}
	if e, ok := ownEdge(lc, n.cfg.Routing.Fees); ok {
		n.putOwnEdge(e, false, time.Now())
	}
}

// putOwnEdge puts e into the graph unless it holds it unchanged already (and not force).
func (n *Node) putOwnEdge(e routing.Edge, force bool, now time.Time) {
	g := n.routing.graph
	held, ok := g.Edge(e.Channel, e.From)
	if ok && !force && held.Capacity.Cmp(e.Capacity) == 0 && held.Fee.Equal(e.Fee) {
		return
	}
	e.Sequence, e.Updated = uint64(now.UnixMilli()), now
	if ok && held.Sequence >= e.Sequence {
		e.Sequence = held.Sequence + 1
	}
	if err := g.Upsert(e); err != nil {
		n.log.Debug("routing: own edge not updated", "channel", e.Channel, "err", err)
	}
}

// ownPublisher floods the announcer's announcements; the local validation puts the
// bucketed capacity into our own graph, so the exact one is put back right after.
type ownPublisher struct {
	n   *Node
	svc *gossip.Service
}

func (p ownPublisher) Publish(ctx context.Context, a *gossip.Announcement) error {
	err := p.svc.Publish(ctx, a)
	p.n.refreshOwnEdge(a.Channel)
	return err
}

// QuoteRoute prices the cheapest route from this node to req.To for req.Amount, before
// anything is locked: each hop with its channel, the total fee and what the payer sends.
// routing.ErrNoRoute when nothing can carry it; a *routing.FeeTooHighError (errors.Is
// routing.ErrFeeTooHigh) when the cheapest costs more than req.MaxFee.
func (n *Node) QuoteRoute(ctx context.Context, req RouteRequest) (routing.Route, error) {
	if err := n.usable(); err != nil {
		return routing.Route{}, err
	}
	self := n.signer.Address()
	if req.Amount == nil || req.Amount.Sign() <= 0 || req.Amount.Cmp(channel.MaxAmount()) > 0 {
		return routing.Route{}, fmt.Errorf("quote route: amount %v: %w", req.Amount, channel.ErrInvalidAmount)
	}
	if req.MaxFee != nil && req.MaxFee.Sign() < 0 {
		return routing.Route{}, fmt.Errorf("quote route: maxFee %v is negative: %w", req.MaxFee, channel.ErrInvalidParams)
	}
	if req.To == self {
		return routing.Route{}, fmt.Errorf("quote route: %s is this node itself: %w", req.To, channel.ErrInvalidParams)
	}
	n.refreshOwnEdges(false)
	r, err := n.routing.graph.Route(routing.Request{From: self, To: req.To, Token: req.Token, Amount: req.Amount, MaxFee: req.MaxFee})
	if errors.Is(err, routing.ErrInvalidRequest) {
		return routing.Route{}, fmt.Errorf("quote route: %w: %w", err, channel.ErrInvalidParams)
	}
	if err != nil {
		return routing.Route{}, fmt.Errorf("quote route to %s: %w", req.To, err)
	}
	return r, nil
}

// RoutingGraph is the node's channel graph (read-only use: tests, the dashboard).
func (n *Node) RoutingGraph() *routing.Graph { return n.routing.graph }
