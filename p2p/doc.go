// Package p2p is Sluice's peer-to-peer transport: a lean libp2p host built from the
// node's secp256k1 key, the framed wire codec for channel messages (DESIGN §5), one
// ordered session per peer with a batching writer, reconnection, discovery (static
// peers, an AddressBook, optional mDNS) and abuse handling (Limits: message rate,
// malformed frames and refusals the Handler reports through Penalize, read deadlines
// for half-sent frames and silent sessions, sessions per IP and subnet; bans through a
// connection gater; counters in Stats). docs/abuse.md lists the bounds.
//
// A peer's Ethereum address is always derived from the public key that the Noise
// handshake authenticated, never from anything the peer says, so a message handed to
// a Handler is attributed to the key that can sign for that address.
//
// p2p knows the channel message types and nothing else of ours: it must never import
// store, contracts or node. Persistence of known peers is reached through the
// AddressBook interface declared here.
package p2p
