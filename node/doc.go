// Package node is the Sluice daemon: it wires the store, the libp2p transport and the chain
// client around the pure channel state machine. It owns the channel manager (payment path,
// pipelining, durability, idempotency, reconnect sync), the chain watcher (events, disputes,
// settlement), the negotiation of open/deposit/withdraw/close with peers, and metrics.
//
// It declares the small interfaces it needs from a chain, a store and a transport, so tests
// can swap parts. Nothing below node imports node.
package node
