package store

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/sluicepay/sluice/channel"
)

// proofRecordLen is the size of a stored lock-free balance proof: nonce(8) transferred(32)
// signature(65). A proof with pending locks appends locked(32) locksRoot(32), so records
// written before locks existed decode unchanged. Fixed sizes keep the per-payment write
// allocation-free and cheap to decode.
const (
	proofRecordLen       = 8 + 32 + 65
	lockedProofRecordLen = proofRecordLen + 32 + 32
)

func checkProof(p *channel.SignedProof, signer channel.Party) error {
	if signer > channel.PartyB {
		return fmt.Errorf("proof for channel %s: signer %d is not A or B", p.Channel, signer)
	}
	if err := checkAmount("transferred", p.Transferred); err != nil {
		return fmt.Errorf("proof for channel %s nonce %d: %w", p.Channel, p.Nonce, err)
	}
	if p.Locked != nil {
		if err := checkAmount("locked", p.Locked); err != nil {
			return fmt.Errorf("proof for channel %s nonce %d: %w", p.Channel, p.Nonce, err)
		}
	}
	return nil
}

// hasLocks says whether p needs the long record: a non-zero Locked or LocksRoot.
func hasLocks(p *channel.SignedProof) bool {
	return (p.Locked != nil && p.Locked.Sign() != 0) || p.LocksRoot != [32]byte{}
}

// encodeProof writes p into dst and returns the record's length.
func encodeProof(dst *[lockedProofRecordLen]byte, p *channel.SignedProof) int {
	binary.BigEndian.PutUint64(dst[0:8], p.Nonce)
	t := dst[8:40]
	if p.Transferred == nil {
		clear(t)
	} else {
		p.Transferred.FillBytes(t)
	}
	copy(dst[40:proofRecordLen], p.Sig[:])
	if !hasLocks(p) {
		return proofRecordLen
	}
	l := dst[proofRecordLen : proofRecordLen+32]
	if p.Locked == nil {
		clear(l)
	} else {
		p.Locked.FillBytes(l)
	}
	copy(dst[proofRecordLen+32:], p.LocksRoot[:])
	return lockedProofRecordLen
}

func decodeProof(ch channel.ID, b []byte) (channel.SignedProof, error) {
	if len(b) != proofRecordLen && len(b) != lockedProofRecordLen {
		return channel.SignedProof{}, fmt.Errorf("decode proof record for channel %s: %d bytes, want %d or %d", ch, len(b), proofRecordLen, lockedProofRecordLen)
	}
	var p channel.SignedProof
	p.Channel = ch
	p.Nonce = binary.BigEndian.Uint64(b[0:8])
	p.Transferred = new(big.Int).SetBytes(b[8:40])
	copy(p.Sig[:], b[40:proofRecordLen])
	if len(b) == lockedProofRecordLen {
		p.Locked = new(big.Int).SetBytes(b[proofRecordLen : proofRecordLen+32])
		copy(p.LocksRoot[:], b[proofRecordLen+32:])
	}
	return p, nil
}
