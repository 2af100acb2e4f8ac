// Package node is the Sluice daemon: it wires the store, the libp2p transport and the chain
// client around the pure channel state machine. It owns the channel manager (payment path,
// pipelining, durability, idempotency, reconnect sync), the chain watcher (events, disputes,
// settlement), the negotiation of open/deposit/withdraw/close with peers, and metrics.
//
// It declares the small interfaces it needs from a chain, a store and a transport (chain.go,
// ports.go), so tests can swap parts. Nothing below node imports node.
//
// Where things live:
//
//	config.go, node.go         Config, New/Start/Close, the durable queue's side effects
//	live_channel.go            one channel's hot in-memory state and its single owner (mutex)
//	durable_queue.go           ordered group commit: writes plus the sends they unlock
//	pay.go                     outgoing payments: pipelining window, Ack, failure
//	pay_retry.go               retried payment ids: success only once the peer acknowledged
//	inbound.go, incoming.go    per-session ordered inbound queue; Pay/Ack/Reject/Sync handling
//	cooperative.go             co-signed withdrawals and cooperative close
//	lifecycle.go               open, deposit, settle
//	watcher.go                 the chain follower's source and sink (chain/follow), events applied, settle timing
//	reorg.go, chain_health.go  channels reconciled after a reorg; RPC outage logs, health and metrics
//	defense.go                 the partner's best proof put on chain during a close
//	ops.go                     on-chain operations resumed exactly once after a crash
//	tower_client.go            registering received proofs with a watchtower (Config.Tower)
//	chain_contracts.go         the Chain port over package contracts
//	queries.go, subscriptions.go, metrics.go   the views the API and CLI read
//	invoice.go, invoice_fetch.go  invoices over the wire: relay, issue, fetch and check (ADR 0028)
//	invoice_log.go             the routed payment log: route, fees, lock state per hop
//
// Design decisions are recorded in docs/adr/0006 (payment path), 0007 (chain operations) and
// 0018 (the chain follower: confirmations, reorgs, deadlines, topic-filtered events).
package node
