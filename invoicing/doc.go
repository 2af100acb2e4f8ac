// Package invoicing holds the pure parts of fetching a payee's invoice over a route (ADR
// 0028): the invoice the target signs (EIP-712, Sluice domain) and the payer's checks of
// it, the bounded table with which a mediator relays replies only for requests it
// relayed, and a per-peer rate limiter. It does no I/O and imports only channel; the
// node puts it on the wire.
package invoicing
