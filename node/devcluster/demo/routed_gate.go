package demo

import (
	"context"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/host"

	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/p2p"
)

// revealGate wraps a merchant node's transport (node.Config.WrapTransport) so the demo can
// hold back the merchant's SecretReveal messages: a merchant that keeps the secret to
// itself, for a while or for good. While hold is set its reveals are dropped as if lost;
// the node's mediation loop re-sends them every 2 s, so once hold is cleared the next one
// goes through. Everything else passes unchanged.
type revealGate struct {
	node.Transport
	hold *atomic.Bool
}

func (g revealGate) withheld(msg p2p.Message) bool {
	_, reveal := msg.(*p2p.SecretReveal)
	return reveal && g.hold.Load()
}

func (g revealGate) Send(ctx context.Context, to common.Address, msg p2p.Message) error {
	if g.withheld(msg) {
		return nil
	}
	return g.Transport.Send(ctx, to, msg)
}

func (g revealGate) TrySend(to common.Address, msg p2p.Message) error {
	if g.withheld(msg) {
		return nil
	}
	return g.Transport.TrySend(to, msg)
}

// Host passes the libp2p host through, so the wrapped node still runs routing gossip.
func (g revealGate) Host() host.Host {
	if h, ok := g.Transport.(interface{ Host() host.Host }); ok {
		return h.Host()
	}
	return nil
}
