// Package contracts is Sluice's Go client of the SluiceChannels contract: deployment,
// every contract function (returning receipts), channel and hash views, ERC-20 helpers,
// and typed event reading in bounded pages so a node can catch up after long downtime.
//
// A Client owns one signing key and keeps its own nonce sequence, estimates gas with
// headroom, waits for receipts under a context, and turns reverts into Go errors that
// name the Solidity custom error (errors.Is(err, contracts.ErrStaleNonce)).
//
// The Solidity sources live in src/, compiled artifacts in build/ and the generated
// abigen v2 bindings in bindings/ (generated, never edited). The embedded dev chain is
// devchain/, the Anvil launcher anviltest/.
//
// contracts imports channel (for the shared types) and the bindings; it must never
// import store, p2p or node.
package contracts
