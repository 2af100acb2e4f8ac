package node

import "github.com/ethereum/go-ethereum/common"

// partnerKeeper is the transport's way to keep a channel partner connected whichever
// side dialled (p2p.Transport.KeepPartner). Optional, so test transports need not have it.
type partnerKeeper interface {
	KeepPartner(peer common.Address)
}

// keepPartner asks the transport to keep peer, a channel partner, connected and in the
// address book. Without it a payee never dialled back a payer that had dialled it, and
// after the payee restarted, payments waited for the payer's redial backoff: 22-30 s
// (issue 21, finding 8).
func (n *Node) keepPartner(peer common.Address) {
	if k, ok := n.transport.(partnerKeeper); ok {
		k.KeepPartner(peer)
	}
}
