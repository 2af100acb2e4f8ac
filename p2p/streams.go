package p2p

import (
	"context"
	"fmt"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// OpenStream connects to info and opens a stream of another protocol than Sluice's (the
// watchtower's), sharing the node's host and identity, so the service authenticates the
// node by the same key its channels are bound to. The caller owns the stream.
func (t *Transport) OpenStream(ctx context.Context, info peer.AddrInfo, proto protocol.ID) (network.Stream, error) {
	if t.ctx.Err() != nil {
		return nil, ErrClosed
	}
	if err := t.host.Connect(ctx, info); err != nil {
		return nil, fmt.Errorf("connect %s: %w", info.ID, err)
	}
	st, err := t.host.NewStream(ctx, info.ID, proto)
	if err != nil {
		return nil, fmt.Errorf("open %s stream to %s: %w", proto, info.ID, err)
	}
	return st, nil
}
