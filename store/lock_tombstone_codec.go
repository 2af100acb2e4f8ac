package store

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/sluicepay/sluice/channel"
)

// Tombstone encodings (ADR 0037):
//
//	floor     't' id(32) payer(1)           -> prunedThrough(8)
//	tombstone 't' id(32) payer(1) added(8)  -> hash(32) amount(16) expiration(8) removed(8), 64 bytes
const (
	tombstoneLen = 32 + 16 + 8 + 8
	tombFloorLen = 8
)

// encodeTombstone encodes a removed lock whose amount was validated (uint128, > 0).
func encodeTombstone(t *Tombstone) []byte {
	b := make([]byte, tombstoneLen)
	copy(b[0:32], t.Lock.SecretHash[:])
	t.Lock.Amount.FillBytes(b[32:48])
	binary.BigEndian.PutUint64(b[48:56], t.Lock.Expiration)
	binary.BigEndian.PutUint64(b[56:64], t.Removed)
	return b
}

// decodeTombstone decodes a tombstone; addedKey is the 8-byte key suffix.
func decodeTombstone(addedKey, b []byte) (Tombstone, error) {
	if len(addedKey) != 8 {
		return Tombstone{}, fmt.Errorf("tombstone key suffix of %d bytes", len(addedKey))
	}
	if len(b) != tombstoneLen {
		return Tombstone{}, fmt.Errorf("tombstone of %d bytes, want %d: %w", len(b), tombstoneLen, errShort)
	}
	t := Tombstone{
		Lock: channel.Lock{
			SecretHash: [32]byte(b[0:32]),
			Amount:     new(big.Int).SetBytes(b[32:48]),
			Expiration: binary.BigEndian.Uint64(b[48:56]),
		},
		Added:   binary.BigEndian.Uint64(addedKey),
		Removed: binary.BigEndian.Uint64(b[56:64]),
	}
	switch {
	case t.Lock.Amount.Sign() == 0:
		return Tombstone{}, fmt.Errorf("tombstone %x: zero amount", t.Lock.SecretHash)
	case t.Removed <= t.Added:
		return Tombstone{}, fmt.Errorf("tombstone %x: removed at nonce %d, added at %d", t.Lock.SecretHash, t.Removed, t.Added)
	}
	return t, nil
}

func encodeTombFloor(through uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, tombFloorLen), through)
}

func decodeTombFloor(b []byte) (uint64, error) {
	if len(b) != tombFloorLen {
		return 0, fmt.Errorf("tombstone floor of %d bytes, want %d: %w", len(b), tombFloorLen, errShort)
	}
	return binary.BigEndian.Uint64(b), nil
}
