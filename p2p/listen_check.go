package p2p

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// ErrListenAddrInUse means another process (often another node) holds a listen address.
var ErrListenAddrInUse = errors.New("address already in use")

// checkListenAddrs binds each fixed TCP or UDP port of addrs for a moment, so that a port
// clash is one clear error before libp2p starts: libp2p reports it through its own
// logger (go.uber.org/fx lines in another format) and an error that names no flag
// (issue 21, finding 9). Port 0 and unparseable addresses are left to libp2p.
func checkListenAddrs(addrs []string) error {
	for _, s := range addrs {
		m, err := ma.NewMultiaddr(s)
		if err != nil {
			continue
		}
		network, host, err := manet.DialArgs(m)
		if err != nil {
			continue
		}
		_, port, err := net.SplitHostPort(host)
		if err != nil || port == "0" {
			continue
		}
		switch network {
		case "tcp", "tcp4", "tcp6":
			l, err := net.Listen(network, host)
			if err != nil {
				return listenError(s, err)
			}
			l.Close()
		case "udp", "udp4", "udp6":
			c, err := net.ListenPacket(network, host)
			if err != nil {
				return listenError(s, err)
			}
			c.Close()
		}
	}
	return nil
}

func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("p2p: cannot listen on %s: %w (is another node running? choose another port with --listen)", addr, ErrListenAddrInUse)
	}
	return fmt.Errorf("p2p: cannot listen on %s: %w", addr, err)
}
