// Package dashboard is the operator's page: static HTML, CSS and plain JavaScript,
// embedded in the binary and served by the node's API listener at /ui/. The page holds no
// data of its own and has no server side: it reads the node only through the public
// JSON-RPC API and its WebSocket subscriptions, with the bearer token the operator types
// in (docs/dashboard.md). It must never import anything of the node: node/api mounts it.
package dashboard
