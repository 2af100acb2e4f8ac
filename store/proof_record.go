package store

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/sluicepay/sluice/channel"
)

// proofRecordLen is the fixed size of a stored balance proof: nonce(8) transferred(32)
// signature(65). Fixed size keeps the per-payment write allocation-free and cheap to decode.
const proofRecordLen = 8 + 32 + 65

func checkProof(p *channel.SignedProof, signer channel.Party) error {
	if signer > channel.PartyB {
		return fmt.Errorf("proof for channel %s: signer %d is not A or B", p.Channel, signer)
	}
	if err := checkAmount("transferred", p.Transferred); err != nil {
		return fmt.Errorf("proof for channel %s nonce %d: %w", p.Channel, p.Nonce, err)
	}
	return nil
}

func encodeProof(dst *[proofRecordLen]byte, p *channel.SignedProof) {
	binary.BigEndian.PutUint64(dst[0:8], p.Nonce)
	t := dst[8:40]
	if p.Transferred == nil {
		clear(t)
	} else {
		p.Transferred.FillBytes(t)
	}
	copy(dst[40:], p.Sig[:])
}

func decodeProof(ch channel.ID, b []byte) (channel.SignedProof, error) {
	if len(b) != proofRecordLen {
		return channel.SignedProof{}, fmt.Errorf("decode proof record for channel %s: %d bytes, want %d", ch, len(b), proofRecordLen)
	}
	var p channel.SignedProof
	p.Channel = ch
	p.Nonce = binary.BigEndian.Uint64(b[0:8])
	p.Transferred = new(big.Int).SetBytes(b[8:40])
	copy(p.Sig[:], b[40:])
	return p, nil
}
