// Package follow follows a contract's events on a chain that reorganises, stalls and
// drops connections.
//
// A Follower remembers the hashes of recent blocks, so it notices when the chain it
// read has been replaced (the new head's parent is not the block it processed, or a log
// it read belongs to a block that is no longer canonical); it then hands the consumer
// every event it had delivered from the removed blocks (Sink.Rollback) and reads the
// new branch. Funds-increasing events (an open, a deposit) are delivered only once
// buried under the configured number of confirmations; every other event (a close, a
// proof update, a settlement) at once, except that an event of a channel whose
// funds-increasing event still waits is queued behind it, so a consumer never sees a
// channel's close before its open.
//
// Every call to the chain carries a deadline (Config.CallTimeout); the Follower keeps a
// Health record (head, processed and confirmed blocks, whether the RPC answers, the last
// error and since when) for the consumer's logs, API and metrics.
//
// follow knows nothing of channels' rules, storage or the wire: the consumer adapts its
// chain client to Source and its state to Sink. It imports go-ethereum's common types
// only, and must never import node, store or p2p.
package follow
