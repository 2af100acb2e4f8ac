// Package benchrun runs the payment benchmark behind `sluice bench`: an embedded dev chain,
// a hub node and one or more counterparty nodes, each a real node.Node with durable leveldb
// and libp2p on loopback, channels opened on the chain, and a measured stream of payments
// from the hub. It also measures, in the same run, how many ECDSA sign+recover pairs the
// machine can do per second, which bounds the payment rate (one signature by the payer and
// one recovery by the payee per payment).
//
// It imports node and contracts/devchain; nothing in the node imports it.
package benchrun
