// Package audit verifies a SluiceChannels contract's settlements without trusting any
// node: it rebuilds every channel from the contract's events alone, re-verifies every
// signature that reached the chain (taken from the transactions' calldata, recovered
// with package channel's EIP-712 digests), recomputes every settlement with the
// contract's formula, cross-checks the result against the contract's channel(id) views,
// checks that the contract holds enough ETH and tokens for every open channel and every
// unclaimed credit, and, given a node's exported proofs (ProofFile), checks that each
// closed channel paid the node at least what its best signed proofs entitle it to.
//
// Run streams events window by window, so memory grows with the number of channels, not
// with the number of events. Every finding names the channel, block and transaction that
// caused it; a Report with any Discrepancy means the audit failed.
//
// audit imports only channel, contracts and contracts/bindings of this module: an
// auditor must never depend on node, store or p2p, the code it audits.
package audit
