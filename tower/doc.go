// Package tower is the Sluice watchtower (`sluice tower`): a service that defends
// channels for clients that are offline. A client (a node started with --tower) registers,
// over libp2p, the best proof it received per channel together with its EIP-712
// endorsement of that proof; the tower verifies it against the chain, keeps only the
// highest nonce per channel in leveldb, follows the chain for ChannelClosed of the channels
// it guards, and when one closes with an older proof on chain submits the stored proof
// with the contract's updateProofFor from its own funded key.
//
// It owns: the server side of tower/wire (stream handler, verification, rate limits and
// bans), the proof store, the chain follower and the defense submitter, and their
// metrics. It can only submit what a receiver endorsed and holds no client key.
//
// It imports channel, contracts, p2p and tower/wire. It must never import node (a node
// is a client of the tower, reached only through the wire protocol) or store.
package tower
