package routing

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Defaults of Config.
const (
	DefaultMaxChannels = 100_000
	DefaultMaxAge      = 2 * time.Hour
	DefaultMaxHops     = 4
)

// Config bounds a Graph.
type Config struct {
	// MaxChannels bounds memory: an edge of a channel not yet held is refused with
	// ErrGraphFull once this many channels are held (default 100,000, ~40 MB).
	MaxChannels int
	// MaxAge: Prune drops an edge whose announcement is older than this (default 2h;
	// announcers refresh well within it).
	MaxAge time.Duration
	// MaxHops bounds routes when a Request does not (default 4: payer, up to three hubs,
	// payee).
	MaxHops int
}

func (c Config) withDefaults() Config {
	if c.MaxChannels <= 0 {
		c.MaxChannels = DefaultMaxChannels
	}
	if c.MaxAge <= 0 {
		c.MaxAge = DefaultMaxAge
	}
	if c.MaxHops <= 0 {
		c.MaxHops = DefaultMaxHops
	}
	return c
}

// Edge is one direction of a channel: From can send up to Capacity of Token to To over
// Channel, and charges Fee to forward a payment out over it.
type Edge struct {
	Channel  channel.ID
	From, To common.Address
	Token    common.Address // address(0) = ETH
	Capacity *big.Int
	Fee      FeePolicy
	Sequence uint64    // the announcement's sequence; a newer one replaces this edge
	Updated  time.Time // the announcement's timestamp, for pruning
}

type edgeKey struct {
	ch   channel.ID
	from common.Address
}

// chanEnds fixes a channel's participants and token once one direction is held, so the
// other direction cannot name another partner.
type chanEnds struct {
	ends  [2]common.Address
	token common.Address
	n     int // directions held
}

func (c *chanEnds) match(e *Edge) bool {
	return c.token == e.Token && ((c.ends[0] == e.From && c.ends[1] == e.To) || (c.ends[1] == e.From && c.ends[0] == e.To))
}

type edge struct {
	Edge
	from, to int32 // node ids
}

// Graph is the channel graph: a bounded set of directed edges, safe for concurrent use.
// Route takes a read lock only, so many payers can route at once.
type Graph struct {
	cfg Config

	mu       sync.RWMutex
	edges    map[edgeKey]*edge
	channels map[channel.ID]*chanEnds
	nodes    map[common.Address]int32
	addrs    []common.Address // by node id
	in       [][]*edge        // edges into each node id
	out      [][]*edge        // edges out of each node id
	degree   []int            // edges touching each node id
	free     []int32          // node ids to reuse
}

// NewGraph returns an empty graph.
func NewGraph(cfg Config) *Graph {
	return &Graph{
		cfg:      cfg.withDefaults(),
		edges:    make(map[edgeKey]*edge),
		channels: make(map[channel.ID]*chanEnds),
		nodes:    make(map[common.Address]int32),
	}
}

// Upsert adds e or replaces the edge of the same channel and direction when e's Sequence
// is higher (ErrNotNewer otherwise). A new channel past MaxChannels is ErrGraphFull. The
// caller (gossip's validator, or the node for its own channels) has checked e against the
// chain; Upsert checks only its shape and that both directions of one channel agree.
func (g *Graph) Upsert(e Edge) error {
	if e.Capacity == nil || e.Capacity.Sign() < 0 || e.Capacity.Cmp(channel.MaxAmount()) > 0 {
		return fmt.Errorf("edge %s: capacity %v: %w", e.Channel, e.Capacity, ErrInvalidEdge)
	}
	if err := e.Fee.Validate(); err != nil {
		return fmt.Errorf("edge %s: %w", e.Channel, err)
	}
	if e.From == e.To || e.From == (common.Address{}) || e.To == (common.Address{}) {
		return fmt.Errorf("edge %s: endpoints %s -> %s: %w", e.Channel, e.From, e.To, ErrInvalidEdge)
	}
	e.Capacity = new(big.Int).Set(e.Capacity)
	if e.Fee.Flat != nil {
		e.Fee.Flat = new(big.Int).Set(e.Fee.Flat)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	key := edgeKey{e.Channel, e.From}
	ends, held := g.channels[e.Channel]
	if held && !ends.match(&e) {
		return fmt.Errorf("edge %s %s -> %s: contradicts the channel's participants or token: %w", e.Channel, e.From, e.To, ErrInvalidEdge)
	}
	if old, ok := g.edges[key]; ok {
		if e.Sequence <= old.Sequence {
			return fmt.Errorf("edge %s from %s: sequence %d, held %d: %w", e.Channel, e.From, e.Sequence, old.Sequence, ErrNotNewer)
		}
		old.Edge = e
		return nil
	}
	if !held {
		if len(g.channels) >= g.cfg.MaxChannels {
			return fmt.Errorf("edge %s: %d channels held: %w", e.Channel, len(g.channels), ErrGraphFull)
		}
		ends = &chanEnds{ends: [2]common.Address{e.From, e.To}, token: e.Token}
		g.channels[e.Channel] = ends
	}
	ed := &edge{Edge: e, from: g.nodeID(e.From), to: g.nodeID(e.To)}
	g.edges[key] = ed
	ends.n++
	g.in[ed.to] = append(g.in[ed.to], ed)
	g.out[ed.from] = append(g.out[ed.from], ed)
	g.degree[ed.from]++
	g.degree[ed.to]++
	return nil
}

// Sequence returns the sequence held for the channel's direction out of from, if any.
func (g *Graph) Sequence(ch channel.ID, from common.Address) (uint64, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	e, ok := g.edges[edgeKey{ch, from}]
	if !ok {
		return 0, false
	}
	return e.Sequence, true
}

// Edge returns a copy of the channel's direction out of from.
func (g *Graph) Edge(ch channel.ID, from common.Address) (Edge, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	e, ok := g.edges[edgeKey{ch, from}]
	if !ok {
		return Edge{}, false
	}
	return e.Edge, true
}

// Len returns the number of channels and directed edges held.
func (g *Graph) Len() (channels, edges int) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return len(g.channels), len(g.edges)
}

// RemoveChannel drops both directions of ch (the node calls it when the chain follower
// sees the channel close). It reports whether anything was held.
func (g *Graph) RemoveChannel(ch channel.ID) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.removeChannelLocked(ch)
}

func (g *Graph) removeChannelLocked(ch channel.ID) bool {
	c, ok := g.channels[ch]
	if !ok {
		return false
	}
	for _, from := range c.ends {
		key := edgeKey{ch, from}
		if e, ok := g.edges[key]; ok {
			g.removeEdgeLocked(key, e)
		}
	}
	return true
}

// Prune drops every edge whose announcement is older than MaxAge at now, and returns how
// many it dropped.
func (g *Graph) Prune(now time.Time) int {
	cutoff := now.Add(-g.cfg.MaxAge)
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for key, e := range g.edges {
		if e.Updated.Before(cutoff) {
			g.removeEdgeLocked(key, e)
			n++
		}
	}
	return n
}

// PruneClosed asks isOpen about every channel held (outside the lock: it may read the
// chain) and drops the channels it says are no longer open. It returns how many it
// dropped; an error from isOpen stops the sweep and is returned with the count so far.
func (g *Graph) PruneClosed(ctx context.Context, isOpen func(context.Context, channel.ID) (bool, error)) (int, error) {
	g.mu.RLock()
	ids := make([]channel.ID, 0, len(g.channels))
	for id := range g.channels {
		ids = append(ids, id)
	}
	g.mu.RUnlock()
	n := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		open, err := isOpen(ctx, id)
		if err != nil {
			return n, fmt.Errorf("prune closed channels: %s: %w", id, err)
		}
		if !open && g.RemoveChannel(id) {
			n++
		}
	}
	return n, nil
}

// nodeID interns addr; g.mu is held for writing.
func (g *Graph) nodeID(addr common.Address) int32 {
	if id, ok := g.nodes[addr]; ok {
		return id
	}
	var id int32
	if n := len(g.free); n > 0 {
		id = g.free[n-1]
		g.free = g.free[:n-1]
		g.addrs[id] = addr
	} else {
		id = int32(len(g.addrs))
		g.addrs = append(g.addrs, addr)
		g.in = append(g.in, nil)
		g.out = append(g.out, nil)
		g.degree = append(g.degree, 0)
	}
	g.nodes[addr] = id
	return id
}

func (g *Graph) removeEdgeLocked(key edgeKey, e *edge) {
	delete(g.edges, key)
	if c := g.channels[key.ch]; c != nil {
		if c.n--; c.n <= 0 {
			delete(g.channels, key.ch)
		}
	}
	g.in[e.to] = without(g.in[e.to], e)
	g.out[e.from] = without(g.out[e.from], e)
	g.release(e.from)
	g.release(e.to)
}

func (g *Graph) release(id int32) {
	if g.degree[id]--; g.degree[id] > 0 {
		return
	}
	delete(g.nodes, g.addrs[id])
	g.addrs[id] = common.Address{}
	g.in[id], g.out[id] = nil, nil
	g.free = append(g.free, id)
}

func without(list []*edge, e *edge) []*edge {
	for i, x := range list {
		if x == e {
			list[i] = list[len(list)-1]
			list[len(list)-1] = nil
			return list[:len(list)-1]
		}
	}
	return list
}
