package p2p

import (
	"crypto/ecdsa"
	"fmt"
	"strings"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

// NewHost starts a bare libp2p host with Sluice's identity and transport choices (the
// node's key as libp2p identity, TCP without reuseport, Noise, yamux, QUIC when a listen
// address asks for it, no relay, no ping, a resource manager sized for maxPeers) and no
// stream handler: a service such as the watchtower registers its own protocol on it.
// Close the host, then the returned resource manager.
func NewHost(key *ecdsa.PrivateKey, listen []string, maxPeers int, gater connmgr.ConnectionGater) (host.Host, func() error, error) {
	sk, err := PrivKey(key)
	if err != nil {
		return nil, nil, err
	}
	if len(listen) == 0 {
		listen = []string{"/ip4/127.0.0.1/tcp/0"}
	}
	opts := []libp2p.Option{
		libp2p.Identity(sk),
		libp2p.ListenAddrStrings(listen...),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		// See New: reuseport breaks simultaneous dials.
		libp2p.Transport(tcp.NewTCPTransport, tcp.DisableReuseport()),
		libp2p.DisableRelay(),
		libp2p.Ping(false),
		libp2p.DisableMetrics(),
		libp2p.ConnectionManager(connmgr.NullConnMgr{}),
	}
	if gater != nil {
		opts = append(opts, libp2p.ConnectionGater(gater))
	}
	for _, a := range listen {
		if strings.Contains(a, "/quic-v1") {
			opts = append(opts, libp2p.Transport(quic.NewTransport))
			break
		}
	}
	rm, err := ResourceManager(Config{MaxPeers: maxPeers})
	if err != nil {
		return nil, nil, err
	}
	opts = append(opts, libp2p.ResourceManager(rm))
	h, err := libp2p.New(opts...)
	if err != nil {
		rm.Close()
		return nil, nil, fmt.Errorf("p2p: start host on %v: %w", listen, err)
	}
	return h, rm.Close, nil
}
