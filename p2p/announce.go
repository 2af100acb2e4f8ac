package p2p

import (
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p"
	ma "github.com/multiformats/go-multiaddr"
)

// ErrBadAnnounceAddr is returned by New for an AnnounceAddrs entry that is not a
// dialable multiaddr without a peer id.
var ErrBadAnnounceAddr = errors.New("p2p: bad announce address")

// announceOption makes the host advertise addrs (through identify) besides its own
// listen addresses; nil for none. Each must parse and must not name a peer id: the
// addresses are this node's own.
func announceOption(addrs []string) (libp2p.Option, error) {
	if len(addrs) == 0 {
		return nil, nil
	}
	extra := make([]ma.Multiaddr, 0, len(addrs))
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrBadAnnounceAddr, s, err)
		}
		if _, err := a.ValueForProtocol(ma.P_P2P); err == nil {
			return nil, fmt.Errorf("%w %q: leave out /p2p/<id>, it is this node's own", ErrBadAnnounceAddr, s)
		}
		extra = append(extra, a)
	}
	return libp2p.AddrsFactory(func(own []ma.Multiaddr) []ma.Multiaddr {
		out := append([]ma.Multiaddr(nil), own...)
		for _, a := range extra {
			if !containsAddr(out, a) {
				out = append(out, a)
			}
		}
		return out
	}), nil
}

func containsAddr(list []ma.Multiaddr, a ma.Multiaddr) bool {
	for _, b := range list {
		if b.Equal(a) {
			return true
		}
	}
	return false
}
