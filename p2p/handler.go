package p2p

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// Handler is how the node receives traffic. For one peer, all calls come in order
// from that peer's single reader goroutine: PeerConnected, then its messages, then
// PeerDisconnected, and a later session's calls only after that. Calls for
// different peers run concurrently. A slow handler slows only its own peer.
// Handlers may call Send, but not Close: Close waits for every reader to return.
type Handler interface {
	// PeerConnected reports a session that completed the Hello exchange. A good
	// moment to send Sync for the channels shared with this peer.
	PeerConnected(peer common.Address)
	// HandleMessage delivers one message; msg is owned by the handler.
	HandleMessage(from common.Address, msg Message)
	// PeerDisconnected reports that the session ended; queued unsent messages
	// to the peer are dropped.
	PeerDisconnected(peer common.Address)
}

// PeerInfo describes a live session.
type PeerInfo struct {
	Address common.Address
	ID      peer.ID
	Remote  ma.Multiaddr
	// Outbound is true when this node opened the session's stream.
	Outbound bool
}
