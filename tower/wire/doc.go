// Package wire is the watchtower protocol: the stream protocol ID, its three messages
// (Hello, Register, Receipt) and their codec. A frame is laid out like p2p's (uvarint
// length + RLP envelope [type, body]) with a far smaller bound (MaxFrameSize), checked
// before any of the frame is read.
//
// The node (client side) and package tower (server side) both import it; it imports only
// channel, never node, tower, store, contracts or p2p.
package wire
