package gossip

import (
	"bytes"
	"fmt"

	"github.com/ethereum/go-ethereum/rlp"
)

// Limits of the wire form, checked before (size) and after (fields) decoding.
const (
	MaxSize      = 1024 // bytes of one encoded announcement
	MaxAddrs     = 8
	MaxAddrLen   = 128
	MaxPeerIDLen = 64
)

// wireVersion is the first field of the encoding; a node refuses versions it does not know.
const wireVersion = 1

type wireAnnouncement struct {
	Version uint
	Announcement
}

// Encode returns the canonical RLP form of a.
func Encode(a *Announcement) ([]byte, error) {
	out, err := rlp.EncodeToBytes(&wireAnnouncement{Version: wireVersion, Announcement: *a})
	if err != nil {
		return nil, fmt.Errorf("encode announcement: %w", err)
	}
	if len(out) > MaxSize {
		return nil, fmt.Errorf("encode announcement: %d bytes: %w", len(out), ErrTooLarge)
	}
	return out, nil
}

// Decode parses one announcement. It refuses oversized input before reading it, unknown
// versions, trailing bytes, non-canonical encodings and fields past their limits, so a
// decoded announcement re-encodes to exactly the input.
func Decode(data []byte) (*Announcement, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("decode announcement: %d bytes: %w", len(data), ErrTooLarge)
	}
	var w wireAnnouncement
	if err := rlp.DecodeBytes(data, &w); err != nil {
		return nil, fmt.Errorf("decode announcement: %v: %w", err, ErrMalformed)
	}
	if w.Version != wireVersion {
		return nil, fmt.Errorf("decode announcement: version %d: %w", w.Version, ErrMalformed)
	}
	a := &w.Announcement
	if len(a.PeerID) > MaxPeerIDLen || len(a.Addrs) > MaxAddrs {
		return nil, fmt.Errorf("decode announcement: peer id %d bytes, %d addrs: %w", len(a.PeerID), len(a.Addrs), ErrMalformed)
	}
	for _, m := range a.Addrs {
		if len(m) > MaxAddrLen {
			return nil, fmt.Errorf("decode announcement: address of %d bytes: %w", len(m), ErrMalformed)
		}
	}
	if a.Capacity.BitLen() > 128 || a.FeeFlat.BitLen() > 128 {
		return nil, fmt.Errorf("decode announcement: capacity or fee above 2^128-1: %w", ErrMalformed)
	}
	again, err := rlp.EncodeToBytes(&w)
	if err != nil || !bytes.Equal(again, data) {
		return nil, fmt.Errorf("decode announcement: non-canonical encoding: %w", ErrMalformed)
	}
	return a, nil
}
