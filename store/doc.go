// Package store is the node's crash-safe persistence: channels, the latest balance proofs,
// the payment log, the peer address book, the chain cursor, pending on-chain operations and
// small metadata for other subsystems, in one goleveldb directory (Open) or, in the
// clustered mode, in an etcd cluster (OpenBackend with a store/kv/etcdkv backend).
//
// It imports channel for the shared types and its own store/kv backends, nothing else of
// this module: it knows no p2p, chain client or node. The node maps its in-memory state to
// the record types here. Records are encoded into a kv.Batch; the backend below (kv.Backend)
// only sees ordered keys and values.
//
// # Durability
//
// Every write goes through a Batch and Store.Commit, which returns only after the batch is
// fsynced. A GroupCommitter merges the batches of concurrent writers into one synced
// leveldb write (leader/follower group commit): a lone writer is written at once, and
// writers that arrive during an fsync share the next one. Store.Submit queues a batch
// without waiting, so one goroutine can keep several in flight and collect their verdicts
// in order (a payer pipelining proofs). A failed write or fsync fails
// every writer of its group and makes the store refuse further commits (ErrFailed): after
// an fsync error the kernel may have dropped the dirty pages, so only a reopen, which
// replays the journal, tells what is on disk. On etcd a group is the fewest transactions
// etcd's limits allow; a write that timed out without a majority fails its group but not
// the store (the next commit succeeds once the majority is back), and a fenced write
// (leadership lost) fails it for good.
//
// # Key schema, version 3
//
// Integers are big-endian, so keys sort numerically. Amounts in values are a length byte
// and minimal big-endian bytes (at most 32); times are unix nanoseconds (0 = unset).
//
//	0x00 "schema"                         -> uint32 schema version (checked at Open)
//	'c' channel id(32)                    -> ChannelRecord (params, status, deposits,
//	                                         withdrawals, signed withdrawals, settlement)
//	'p' channel id(32) signer(1)          -> latest proof signed by signer: nonce(8)
//	                                         transferred(32) signature(65), fixed 105 bytes
//	'y' payment id(16)                    -> PaymentRecord: channel(32) direction(1)
//	                                         nonce(8) amount transferred time(8) memo
//	'i' channel id(32) time(8) payment id(16) -> empty; the per-channel listing index
//	'a' eth address(20)                   -> PeerRecord: peer id, multiaddrs, last seen
//	'k'                                   -> ChainCursor: block(8) block hash(32) log index(8)
//	'o' op id(32)                         -> OpRecord: kind, channel, payload, state,
//	                                         tx hash, signed tx, updated, and when
//	                                         non-empty count(1) + replaced tx hashes(32 each)
//	'm' len(ns)(1) ns key                 -> opaque metadata value of namespace ns
//	'l' channel id(32) payer(1)           -> header of that direction's pending hashlocks:
//	                                         nonce(8) 0x80 count(1) root(32)
//	'l' channel id(32) payer(1) hash(32)  -> one pending hashlock: seq(8) (the nonce that
//	                                         added it; the set's order) amount(16)
//	                                         expiration(8); header and locks are written
//	                                         with their proof, one change at a time
//	                                         (version 1 kept the whole set in the header)
//	'h' secret hash(32)                   -> secret(32), a known hashlock secret
//	't' channel id(32) payer(1) added(8)  -> a removed hashlock of our own direction
//	                                         (tombstone, ADR 0037): hash(32) amount(16)
//	                                         expiration(8) removed(8), written with the
//	                                         removing proof; LocksAt rebuilds past lists
//	't' channel id(32) payer(1)           -> prune floor(8): tombstones removed at or
//	                                         before it were deleted at a checkpoint
//	                                         (version 3: the 't' records are why a
//	                                         version 2 binary refuses the database)
//	'r' record id(16)                     -> RoutedRecord (version 1): payment id, role,
//	                                         lock state, hash, peer, amount, fee, route,
//	                                         in/out channel, memo, created, updated
//	'j' created(8) record id(16)          -> empty; the routed payments' listing index
//
// A payment costs three keys (proof, payment, index), about 300 bytes. A changed layout
// bumps SchemaVersion and adds a migration from the previous version; Open runs the
// migrations in order and refuses a database whose version is newer than SchemaVersion.
//
// # Failures
//
// Open names the directory in every error: ErrLocked when another process holds it, a
// CorruptError (errors.Is ErrCorrupt) naming RecoverCommand when files are damaged, and
// ErrNewerSchema for a newer database. Recover backs the directory up and rebuilds it;
// Store.Check decodes every record and lists what is damaged.
package store
