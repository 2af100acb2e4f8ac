// Package mediate holds the pure rules of a mediated (multi-hop, hashlocked) transfer:
// what the initiator, each mediator and the target may do with a lock, given the chain
// time and what they know. It does no I/O; the node runs it and puts its decisions on
// the wire (ADR 0025).
//
// A payment is a chain of locks on one secret hash, one per channel of the route, whose
// expirations fall by at least the reveal margin from hop to hop. The target created the
// secret (an invoice) and releases it to its payer once the incoming lock pays what the
// invoice asks with at least a margin of time left; each payer that learns the secret
// unlocks its outgoing lock and, as a mediator, reveals the secret to its own payer. A
// lock that is not unlocked by its expiration is removed by its payer.
package mediate
