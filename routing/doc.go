// Package routing owns the channel graph a node learns from gossip and the payer's side of
// routed payments: fees (flat + proportional, exact in wei), capacity buckets, pathfinding
// (cheapest total fee, bounded hops, capacity-aware, with exclusions), and retrying a
// failed route on another path within the caller's deadline.
//
// It does no I/O and knows nothing of locks: a Route says which channels to use and what
// each hop must receive; the node turns it into a hashlocked mediated transfer. The
// announcements that fill the graph are signed, validated and gossiped by routing/gossip.
//
// It imports only channel from this module and must never import node, p2p, store or
// contracts: the node adapts those to the small interfaces declared here and in gossip.
package routing
