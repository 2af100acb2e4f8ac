package node

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// peerBook is the store's PeerRecords seen as p2p's AddressBook: peers this node dialled
// are redialled after a restart without being configured as static peers.
type peerBook interface {
	Commit(ctx context.Context, b *store.Batch) error
	ListPeers() ([]store.PeerRecord, error)
}

type storeAddressBook struct{ st peerBook }

// addressBookWriteTimeout bounds one address-book commit; the transport calls PutPeer on
// its dialling goroutine.
const addressBookWriteTimeout = 10 * time.Second

// PutPeer implements p2p.AddressBook.
func (b storeAddressBook) PutPeer(addr common.Address, multiaddrs []string) error {
	rec := &store.PeerRecord{Address: addr, Addrs: multiaddrs, LastSeen: time.Now()}
	for _, s := range multiaddrs {
		m, err := ma.NewMultiaddr(s)
		if err != nil {
			continue
		}
		if info, err := peer.AddrInfoFromP2pAddr(m); err == nil {
			rec.PeerID = info.ID.String()
			break
		}
	}
	var batch store.Batch
	if err := batch.PutPeer(rec); err != nil {
		return fmt.Errorf("address book: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), addressBookWriteTimeout)
	defer cancel()
	if err := b.st.Commit(ctx, &batch); err != nil {
		return fmt.Errorf("address book: store peer %s: %w", addr, err)
	}
	return nil
}

// LoadPeers implements p2p.AddressBook.
func (b storeAddressBook) LoadPeers() (map[common.Address][]string, error) {
	recs, err := b.st.ListPeers()
	if err != nil {
		return nil, fmt.Errorf("address book: %w", err)
	}
	out := make(map[common.Address][]string, len(recs))
	for _, r := range recs {
		out[r.Address] = r.Addrs
	}
	return out, nil
}

var _ p2p.AddressBook = storeAddressBook{}
