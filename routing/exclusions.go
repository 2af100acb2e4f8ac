package routing

import (
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Exclusions are channels and nodes a route must avoid: those that failed an earlier
// attempt, or that the payer distrusts. The zero value excludes nothing. Excluding the
// payer or payee as a node has no effect (they are the route's ends, never forwarders).
type Exclusions struct {
	channels map[channel.ID]struct{}
	nodes    map[common.Address]struct{}
}

// Channel excludes a channel (both directions).
func (x *Exclusions) Channel(id channel.ID) {
	if x.channels == nil {
		x.channels = make(map[channel.ID]struct{})
	}
	x.channels[id] = struct{}{}
}

// Node excludes a forwarding node.
func (x *Exclusions) Node(addr common.Address) {
	if x.nodes == nil {
		x.nodes = make(map[common.Address]struct{})
	}
	x.nodes[addr] = struct{}{}
}

// HasChannel reports whether id is excluded.
func (x *Exclusions) HasChannel(id channel.ID) bool {
	_, ok := x.channels[id]
	return ok
}

// HasNode reports whether addr is excluded as a forwarder.
func (x *Exclusions) HasNode(addr common.Address) bool {
	_, ok := x.nodes[addr]
	return ok
}

// Len is how many channels and nodes are excluded.
func (x *Exclusions) Len() int { return len(x.channels) + len(x.nodes) }
