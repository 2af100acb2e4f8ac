package p2p

import (
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
	ma "github.com/multiformats/go-multiaddr"
)

// mdnsService is the mDNS service name Sluice nodes announce, distinct from the
// libp2p default so that other libp2p software on the LAN is ignored.
const mdnsService = "_sluice._udp"

// AddressBook persists peers this node has dialed, so they are redialed after a
// restart. Its methods use only standard and go-ethereum types, so the store can
// implement it without importing p2p. Multiaddrs are full: /ip4/../tcp/../p2p/<id>.
type AddressBook interface {
	// PutPeer records (replacing) the dialable multiaddrs of the node with addr.
	PutPeer(addr common.Address, multiaddrs []string) error
	// LoadPeers returns every recorded peer.
	LoadPeers() (map[common.Address][]string, error)
}

// MemoryAddressBook is an in-memory AddressBook for tests and ephemeral nodes.
type MemoryAddressBook struct {
	mu    sync.Mutex
	peers map[common.Address][]string
}

// PutPeer implements AddressBook.
func (b *MemoryAddressBook) PutPeer(addr common.Address, multiaddrs []string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.peers == nil {
		b.peers = map[common.Address][]string{}
	}
	b.peers[addr] = append([]string(nil), multiaddrs...)
	return nil
}

// LoadPeers implements AddressBook.
func (b *MemoryAddressBook) LoadPeers() (map[common.Address][]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make(map[common.Address][]string, len(b.peers))
	for k, v := range b.peers {
		out[k] = append([]string(nil), v...)
	}
	return out, nil
}

// ParsePeerAddrs groups full multiaddrs (each ending in /p2p/<id>) by peer.
func ParsePeerAddrs(addrs ...string) ([]peer.AddrInfo, error) {
	mas := make([]ma.Multiaddr, 0, len(addrs))
	for _, a := range addrs {
		m, err := ma.NewMultiaddr(a)
		if err != nil {
			return nil, fmt.Errorf("peer address %q: %w", a, err)
		}
		mas = append(mas, m)
	}
	infos, err := peer.AddrInfosFromP2pAddrs(mas...)
	if err != nil {
		return nil, fmt.Errorf("peer addresses %v: %w", addrs, err)
	}
	return infos, nil
}

// startDiscovery keeps static and address-book peers connected and starts mDNS.
// Dials run in the background: a peer that is down must not delay start-up.
func (t *Transport) startDiscovery() error {
	infos, err := ParsePeerAddrs(t.cfg.StaticPeers...)
	if err != nil {
		return fmt.Errorf("static peers: %w", err)
	}
	if t.cfg.AddressBook != nil {
		known, err := t.cfg.AddressBook.LoadPeers()
		if err != nil {
			return fmt.Errorf("load address book: %w", err)
		}
		for addr, list := range known {
			more, err := ParsePeerAddrs(list...)
			if err != nil {
				t.log.Warn("skipping unparseable address book entry", "peer", addr, "err", err)
				continue
			}
			infos = append(infos, more...)
		}
	}
	for _, info := range infos {
		t.connectInBackground(info)
	}
	if t.cfg.EnableMDNS {
		svc := mdns.NewMdnsService(t.host, mdnsService, mdnsNotifee{t})
		if err := svc.Start(); err != nil {
			return fmt.Errorf("start mdns: %w", err)
		}
		t.mdns = svc
	}
	return nil
}

// connectInBackground registers info's peer for keeping; its keeper does the dialing.
func (t *Transport) connectInBackground(info peer.AddrInfo) {
	addr, err := AddressFromPeerID(info.ID)
	if err != nil {
		t.log.Warn("ignoring peer without a secp256k1 identity", "id", info.ID, "err", err)
		return
	}
	if info.ID == t.host.ID() {
		return
	}
	t.host.Peerstore().AddAddrs(info.ID, info.Addrs, peerstore.PermanentAddrTTL)
	t.keep(addr, info.ID) // fails only once the transport is closed
}

// remember writes a peer we reached by dialing to the address book.
func (t *Transport) remember(addr common.Address, id peer.ID) {
	if t.cfg.AddressBook == nil {
		return
	}
	addrs, err := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: id, Addrs: t.host.Peerstore().Addrs(id)})
	if err != nil || len(addrs) == 0 {
		return
	}
	list := make([]string, len(addrs))
	for i, a := range addrs {
		list[i] = a.String()
	}
	if err := t.cfg.AddressBook.PutPeer(addr, list); err != nil {
		t.log.Warn("address book write failed", "peer", addr, "err", err)
	}
}

type mdnsNotifee struct{ t *Transport }

func (n mdnsNotifee) HandlePeerFound(info peer.AddrInfo) {
	if info.ID == n.t.host.ID() {
		return
	}
	n.t.connectInBackground(info)
}
