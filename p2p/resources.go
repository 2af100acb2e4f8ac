package p2p

import (
	"fmt"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/protocol/identify"
)

// Per-peer stream bounds. A session is one Sluice stream; a replacement stream briefly
// overlaps the old one, and identify adds its own short-lived streams.
const (
	sluiceStreamsPerPeer = 4
	peerStreams          = 16
	peerConns            = 4
)

// ResourceManager builds the host's libp2p resource manager sized for cfg.MaxPeers.
//
// libp2p's defaults scale system-wide connections with memory (about 250 inbound and
// 500 total on a 23 GB machine), which refused a hub's counterparties between 412
// and 504 channels. Here the system, transient, identify and Sluice-protocol scopes are
// sized from MaxPeers instead, while everything per peer is made tighter than the
// default: one Sluice stream per peer is the protocol, so a peer opening more is refused
// by libp2p before it costs us a session. Memory stays scaled to the machine (1/8 of
// RAM) and the per-IP connection and dial-rate limits stay libp2p's defaults (loopback
// exempt), so one remote address still cannot take many slots. The caller closes it;
// a libp2p host does not.
func ResourceManager(cfg Config) (network.ResourceManager, error) {
	n := cfg.MaxPeers
	if n <= 0 {
		n = defaultMaxPeers
	}
	scaling := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&scaling)
	base := scaling.AutoScale()

	// Twice MaxPeers connections: a peer redialling overlaps its old connection, and
	// two nodes dialling each other at once hold two until one is dropped.
	conns := rcmgr.LimitVal(2 * n)
	streams := rcmgr.LimitVal(4 * n)
	system := rcmgr.ResourceLimits{
		Conns: conns, ConnsInbound: conns, ConnsOutbound: conns,
		Streams: streams, StreamsInbound: streams, StreamsOutbound: streams,
		FD: conns,
	}
	// Transient covers connections still in their security handshake and streams
	// still negotiating a protocol: a hub restarting has all its peers there at once.
	transient := rcmgr.ResourceLimits{
		Conns: rcmgr.LimitVal(n), ConnsInbound: rcmgr.LimitVal(n), ConnsOutbound: rcmgr.LimitVal(n),
		Streams: rcmgr.LimitVal(n), StreamsInbound: rcmgr.LimitVal(n), StreamsOutbound: rcmgr.LimitVal(n),
		FD: rcmgr.LimitVal(n),
	}
	perProtocol := rcmgr.ResourceLimits{
		Streams: conns, StreamsInbound: conns, StreamsOutbound: conns,
	}
	peer := rcmgr.ResourceLimits{
		Conns: peerConns, ConnsInbound: peerConns, ConnsOutbound: peerConns,
		Streams: peerStreams, StreamsInbound: peerStreams, StreamsOutbound: peerStreams,
		FD: peerConns,
	}
	sluicePeer := rcmgr.ResourceLimits{
		Streams: sluiceStreamsPerPeer, StreamsInbound: sluiceStreamsPerPeer, StreamsOutbound: sluiceStreamsPerPeer,
	}
	partial := rcmgr.PartialLimitConfig{
		System:      system,
		Transient:   transient,
		PeerDefault: peer,
		Service:     map[string]rcmgr.ResourceLimits{identify.ServiceName: perProtocol},
		Protocol: map[protocol.ID]rcmgr.ResourceLimits{
			ProtocolID:      perProtocol,
			identify.ID:     perProtocol,
			identify.IDPush: perProtocol,
		},
		ProtocolPeer: map[protocol.ID]rcmgr.ResourceLimits{ProtocolID: sluicePeer},
	}
	mgr, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(partial.Build(base)))
	if err != nil {
		return nil, fmt.Errorf("p2p: resource manager for %d peers: %w", n, err)
	}
	return mgr, nil
}
