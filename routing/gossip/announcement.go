package gossip

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
)

// AnnouncementType is the EIP-712 type of record. Wallet tooling (eth_signTypedData_v4)
// produces the same digest; TestDigestMatchesGoEthereumTypedData checks it.
const AnnouncementType = "ChannelAnnouncement(bytes32 channelId,address announcer,uint256 capacity,uint256 feeFlat,uint32 feePpm,uint64 sequence,uint64 timestamp,bytes peerId,bytes[] addrs)"

var announcementTypeHash = crypto.Keccak256Hash([]byte(AnnouncementType))

// Announcement is one participant's advertisement of its side of one channel.
type Announcement struct {
	Channel   channel.ID
	Announcer common.Address // the node key; must be a participant of Channel on chain
	Capacity  *big.Int       // what the announcer can send over Channel, a routing.Bucket value
	FeeFlat   *big.Int       // wei per forwarded payment
	FeePPM    uint32         // parts per million of the forwarded amount
	Sequence  uint64         // strictly increasing per (Channel, Announcer): newer replaces older
	Timestamp uint64         // unix seconds when signed: too old is stale, far ahead is refused
	PeerID    []byte         // binary libp2p peer id, derived from the same key as Announcer
	Addrs     [][]byte       // binary multiaddrs where the announcer listens
	Signature channel.Signature
}

// Digest is the EIP-712 digest of a under domain d: keccak256(0x1901 || separator ||
// hashStruct(a)), where bytes hash to keccak256(bytes) and bytes[] to the keccak256 of the
// concatenated element hashes.
func (a *Announcement) Digest(d channel.Domain) (common.Hash, error) {
	sep, err := d.Separator()
	if err != nil {
		return common.Hash{}, fmt.Errorf("announcement digest: %w", err)
	}
	if a.Capacity == nil || a.FeeFlat == nil || a.Capacity.Sign() < 0 || a.FeeFlat.Sign() < 0 ||
		a.Capacity.BitLen() > 256 || a.FeeFlat.BitLen() > 256 {
		return common.Hash{}, fmt.Errorf("announcement digest: capacity %v, fee %v: %w", a.Capacity, a.FeeFlat, ErrMalformed)
	}
	addrHashes := make([]byte, 0, 32*len(a.Addrs))
	for _, m := range a.Addrs {
		addrHashes = append(addrHashes, crypto.Keccak256(m)...)
	}
	buf := make([]byte, 0, 10*32)
	buf = append(buf, announcementTypeHash[:]...)
	buf = append(buf, a.Channel[:]...)
	buf = append(buf, common.LeftPadBytes(a.Announcer[:], 32)...)
	buf = append(buf, common.LeftPadBytes(a.Capacity.Bytes(), 32)...)
	buf = append(buf, common.LeftPadBytes(a.FeeFlat.Bytes(), 32)...)
	buf = append(buf, common.LeftPadBytes(new(big.Int).SetUint64(uint64(a.FeePPM)).Bytes(), 32)...)
	buf = append(buf, common.LeftPadBytes(new(big.Int).SetUint64(a.Sequence).Bytes(), 32)...)
	buf = append(buf, common.LeftPadBytes(new(big.Int).SetUint64(a.Timestamp).Bytes(), 32)...)
	buf = append(buf, crypto.Keccak256(a.PeerID)...)
	buf = append(buf, crypto.Keccak256(addrHashes)...)
	structHash := crypto.Keccak256(buf)
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], structHash), nil
}

// Sign sets a.Announcer to the signer's address and a.Signature to its signature.
func (a *Announcement) Sign(d channel.Domain, s channel.Signer) error {
	a.Announcer = s.Address()
	digest, err := a.Digest(d)
	if err != nil {
		return err
	}
	sig, err := s.SignDigest(digest)
	if err != nil {
		return fmt.Errorf("sign announcement of %s: %w", a.Channel, err)
	}
	a.Signature = sig
	return nil
}

// VerifySignature checks that a's signature recovers a.Announcer (with the contract's
// signature rules: low s, v in {27, 28}).
func (a *Announcement) VerifySignature(d channel.Domain) error {
	digest, err := a.Digest(d)
	if err != nil {
		return err
	}
	signer, err := channel.Recover(digest, a.Signature)
	if err != nil {
		return fmt.Errorf("announcement of %s: %v: %w", a.Channel, err, ErrBadSignature)
	}
	if signer != a.Announcer {
		return fmt.Errorf("announcement of %s by %s: signed by %s: %w", a.Channel, a.Announcer, signer, ErrBadSignature)
	}
	return nil
}
