package channel

import (
	"encoding/binary"
	"fmt"
)

// SignedProofSize is the length of a lock-free SignedProof's binary form:
// channel id 32 | nonce 8 (big-endian) | transferred 16 (uint128 big-endian) | sig 65.
// A proof with pending locks appends locked 16 (uint128) | locksRoot 32, which makes it
// LockedSignedProofSize long; the short form is exactly what it was before locks.
const (
	SignedProofSize       = 32 + 8 + 16 + 65
	LockedSignedProofSize = SignedProofSize + 16 + 32
)

// hasLocks says whether p needs the long form: a non-zero Locked or LocksRoot.
func (p *BalanceProof) hasLocks() bool {
	return (p.Locked != nil && p.Locked.Sign() != 0) || p.LocksRoot != [32]byte{}
}

// MarshalBinary encodes p in its fixed 121-byte form, or 169 bytes with pending locks.
func (p SignedProof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, LockedSignedProofSize))
}

// AppendBinary appends p's binary form to b, so callers can encode into a reused buffer.
func (p SignedProof) AppendBinary(b []byte) ([]byte, error) {
	if err := checkAmount("proof transferred", p.Transferred); err != nil {
		return b, fmt.Errorf("encode proof for channel %s: %w", p.Channel, err)
	}
	locks := p.hasLocks()
	size := SignedProofSize
	if locks {
		if p.Locked != nil {
			if err := checkAmount("proof locked", p.Locked); err != nil {
				return b, fmt.Errorf("encode proof for channel %s: %w", p.Channel, err)
			}
		}
		size = LockedSignedProofSize
	}
	n := len(b)
	b = append(b, make([]byte, size)...)
	out := b[n:]
	copy(out[0:32], p.Channel[:])
	binary.BigEndian.PutUint64(out[32:40], p.Nonce)
	p.Transferred.FillBytes(out[40:56])
	copy(out[56:SignedProofSize], p.Sig[:])
	if locks {
		if p.Locked != nil {
			p.Locked.FillBytes(out[SignedProofSize : SignedProofSize+16])
		}
		copy(out[SignedProofSize+16:], p.LocksRoot[:])
	}
	return b, nil
}

// UnmarshalBinary decodes exactly SignedProofSize or LockedSignedProofSize bytes. The width
// bounds transferred and locked to uint128; v must be 27 or 28, and the long form must carry
// a lock (non-zero locked or locksRoot), so only canonical encodings decode. It reuses
// p.Transferred and p.Locked when set, and leaves p untouched on error.
func (p *SignedProof) UnmarshalBinary(data []byte) error {
	if len(data) != SignedProofSize && len(data) != LockedSignedProofSize {
		return fmt.Errorf("decode proof: %d bytes, want %d or %d: %w", len(data), SignedProofSize, LockedSignedProofSize, ErrMalformed)
	}
	if v := data[SignedProofSize-1]; v != 27 && v != 28 {
		return fmt.Errorf("decode proof: signature v=%d: %w", v, ErrMalformed)
	}
	locks := len(data) == LockedSignedProofSize
	if locks && allZero(data[SignedProofSize:]) {
		return fmt.Errorf("decode proof: long form without locks: %w", ErrMalformed)
	}
	copy(p.Channel[:], data[0:32])
	p.Nonce = binary.BigEndian.Uint64(data[32:40])
	if p.Transferred == nil {
		p.Transferred = newAmount()
	}
	p.Transferred.SetBytes(data[40:56])
	copy(p.Sig[:], data[56:SignedProofSize])
	if !locks {
		// A direct proof: Locked stays nil (no allocation) or is reset to 0.
		if p.Locked != nil {
			p.Locked.SetUint64(0)
		}
		p.LocksRoot = [32]byte{}
		return nil
	}
	if p.Locked == nil {
		p.Locked = newAmount()
	}
	p.Locked.SetBytes(data[SignedProofSize : SignedProofSize+16])
	copy(p.LocksRoot[:], data[SignedProofSize+16:])
	return nil
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
