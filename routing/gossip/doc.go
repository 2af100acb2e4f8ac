// Package gossip signs, encodes, validates and floods channel announcements over libp2p
// gossipsub, and feeds the valid ones into a routing.Graph.
//
// An announcement is an EIP-712 struct under the Sluice domain, signed by the node key of
// one participant of an open channel: it advertises that side's capacity (bucketed) and the
// fee it charges to forward over the channel, plus its libp2p peer id and addresses. The
// validator runs inside pubsub, so a message that fails it is neither delivered nor
// relayed: cheap checks first, then the signature, then rate limits (after the signature,
// so nobody can spend an honest announcer's budget), then the chain.
//
// It imports channel, routing and p2p (for the key-to-address rules) from this module and
// never node, store or contracts: the chain arrives through the ChainView interface.
package gossip
