// Package api is the node's wallet and operator API: JSON-RPC 2.0 over HTTP and WebSocket
// in the "sluice" namespace, served with go-ethereum's rpc package, plus /metrics, all on
// one bearer-token protected listener. It also holds the Go client the CLI uses.
//
// The API talks to the node only through the Backend interface (the public methods of
// *node.Node), so it is tested against an in-memory fake. It owns the JSON shape of every
// request and result, parameter validation and the stable error codes; it owns no channel
// logic. Package node must never import it: the daemon (cmd/sluice) wires the two.
package api
