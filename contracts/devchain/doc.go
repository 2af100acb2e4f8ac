// Package devchain runs an in-process Ethereum chain for development and tests that
// behaves like Anvil: chain id 31337, Anvil's ten well-known funded test accounts,
// Osaka rules (so gas matches Anvil), automine (a block as soon as transactions arrive),
// controllable time, the SluiceChannels contract deployed by account #0 at start, and an
// optional JSON-RPC endpoint over HTTP and WebSocket on loopback for other processes.
//
// It is assembled from the same go-ethereum parts as ethclient/simulated (an in-memory
// eth service driven by catalyst.SimulatedBeacon); see docs/adr/0002 for why it does not
// wrap simulated.Backend directly.
//
// devchain imports only the generated contract bindings of Sluice; it never imports the
// chain client (package contracts) so the client's tests can run against it.
package devchain
