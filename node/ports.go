package node

import (
	"context"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Storage is what the node needs from persistence. *store.Store satisfies it as is.
type Storage interface {
	Commit(ctx context.Context, b *store.Batch) error
	ListChannels(cursor string, limit int) (store.ChannelPage, error)
	GetProofs(id channel.ID) ([2]*channel.SignedProof, error)
	GetPayment(id store.PaymentID) (store.PaymentRecord, bool, error)
	GetMeta(namespace, key string) ([]byte, bool, error)
	ListPayments(ch channel.ID, q store.PaymentQuery) (store.PaymentPage, error)
	CountPayments(ch channel.ID) (uint64, error)
	GetCursor() (store.ChainCursor, bool, error)
	GetOp(id store.OpID) (store.OpRecord, bool, error)
	PendingOps() ([]store.OpRecord, error)
	Stats() store.CommitStats
	Close() error
}

// Transport is what the node needs from the peer-to-peer layer. *p2p.Transport satisfies
// it as is; it delivers inbound traffic to the node as a p2p.Handler.
type Transport interface {
	Send(ctx context.Context, to common.Address, msg p2p.Message) error
	// TrySend queues without waiting; replies to unsolicited requests use it, so a peer
	// that does not read can never hold a goroutine of ours.
	TrySend(to common.Address, msg p2p.Message) error
	// Penalize counts a refused message toward the peer's ban (p2p.Limits.MaxRefused).
	Penalize(peer common.Address, why string) bool
	// Stats are the transport's abuse counters, exported as metrics.
	Stats() p2p.Stats
	Connect(ctx context.Context, info peer.AddrInfo) error
	Peers() []p2p.PeerInfo
	// Connected reports a live session with the peer (one map lookup).
	Connected(addr common.Address) bool
	ID() peer.ID
	Addrs() []ma.Multiaddr
	Close() error
}

var (
	_ Storage   = (*store.Store)(nil)
	_ Transport = (*p2p.Transport)(nil)
)
