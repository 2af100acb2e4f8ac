package channel

import (
	"encoding/binary"
	"fmt"
)

// SignedProofSize is the length of a SignedProof's binary form:
// channel id 32 | nonce 8 (big-endian) | transferred 16 (uint128 big-endian) | sig 65.
const SignedProofSize = 32 + 8 + 16 + 65

// MarshalBinary encodes p in its fixed 121-byte form.
func (p SignedProof) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, SignedProofSize))
}

// AppendBinary appends p's binary form to b, so callers can encode into a reused buffer.
func (p SignedProof) AppendBinary(b []byte) ([]byte, error) {
	if err := checkAmount("proof transferred", p.Transferred); err != nil {
		return b, fmt.Errorf("encode proof for channel %s: %w", p.Channel, err)
	}
	n := len(b)
	b = append(b, make([]byte, SignedProofSize)...)
	out := b[n:]
	copy(out[0:32], p.Channel[:])
	binary.BigEndian.PutUint64(out[32:40], p.Nonce)
	p.Transferred.FillBytes(out[40:56])
	copy(out[56:], p.Sig[:])
	return b, nil
}

// UnmarshalBinary decodes exactly SignedProofSize bytes. The width bounds transferred to
// uint128; v must be 27 or 28 so only canonical encodings decode. It reuses p.Transferred
// when set, and leaves p untouched on error.
func (p *SignedProof) UnmarshalBinary(data []byte) error {
	if len(data) != SignedProofSize {
		return fmt.Errorf("decode proof: %d bytes, want %d: %w", len(data), SignedProofSize, ErrMalformed)
	}
	if v := data[SignedProofSize-1]; v != 27 && v != 28 {
		return fmt.Errorf("decode proof: signature v=%d: %w", v, ErrMalformed)
	}
	copy(p.Channel[:], data[0:32])
	p.Nonce = binary.BigEndian.Uint64(data[32:40])
	if p.Transferred == nil {
		p.Transferred = newAmount()
	}
	p.Transferred.SetBytes(data[40:56])
	copy(p.Sig[:], data[56:])
	return nil
}
