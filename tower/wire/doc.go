// Package wire is the watchtower protocol: the stream protocol ID, its three messages
// (Hello, Register, Receipt) and their codec. Frames are p2p's (uvarint length + RLP
// envelope [type, body]) with a much smaller bound, so a client and a tower share the
// framing code with the channel protocol and nothing else.
//
// The node (client side) and package tower (server side) both import it; it imports only
// channel and p2p's framing, never node, tower, store or contracts.
package wire
