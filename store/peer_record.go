package store

import (
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// PeerRecord is an address-book entry: how to reach the node behind an Ethereum address.
// The store keeps libp2p values in their portable forms so it needs no libp2p import.
type PeerRecord struct {
	Address  common.Address
	PeerID   string   // peer.ID in its string form (peer.Decode parses it back)
	Addrs    []string // multiaddrs in text form
	LastSeen time.Time
}

const (
	maxPeerIDLen = 128
	maxPeerAddrs = 64
	maxAddrLen   = 512
)

func (r *PeerRecord) validate() error {
	if len(r.PeerID) > maxPeerIDLen {
		return fmt.Errorf("peer %s: peer id of %d bytes exceeds %d", r.Address, len(r.PeerID), maxPeerIDLen)
	}
	if len(r.Addrs) > maxPeerAddrs {
		return fmt.Errorf("peer %s: %d addresses exceed %d", r.Address, len(r.Addrs), maxPeerAddrs)
	}
	for _, a := range r.Addrs {
		if len(a) > maxAddrLen {
			return fmt.Errorf("peer %s: address of %d bytes exceeds %d", r.Address, len(a), maxAddrLen)
		}
	}
	return checkTime("peer "+r.Address.Hex()+" last seen", r.LastSeen)
}

func encodePeer(r *PeerRecord) []byte {
	e := encoder{buf: make([]byte, 0, 128)}
	e.str(r.PeerID)
	e.u64(uint64(len(r.Addrs)))
	for _, a := range r.Addrs {
		e.str(a)
	}
	e.timestamp(r.LastSeen)
	return e.buf
}

func decodePeer(addr common.Address, b []byte) (PeerRecord, error) {
	r := PeerRecord{Address: addr}
	d := decoder{b: b}
	r.PeerID = d.str(maxPeerIDLen)
	n := d.u64()
	if n > maxPeerAddrs {
		return r, fmt.Errorf("decode peer %s: %d addresses exceed %d", addr, n, maxPeerAddrs)
	}
	for range n {
		r.Addrs = append(r.Addrs, d.str(maxAddrLen))
	}
	r.LastSeen = d.timestamp()
	if err := d.finish("peer " + addr.Hex()); err != nil {
		return r, err
	}
	return r, nil
}
