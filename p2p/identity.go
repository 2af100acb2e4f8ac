package p2p

import (
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// ErrNotSecp256k1 is returned for peer keys of another type: such a peer has no
// Ethereum address and cannot hold a channel.
var ErrNotSecp256k1 = errors.New("peer key is not secp256k1")

// PrivKey converts the node's Ethereum key into its libp2p identity. Both are the
// same 32 bytes, so the peer ID and the Ethereum address derive from one key.
func PrivKey(key *ecdsa.PrivateKey) (libp2pcrypto.PrivKey, error) {
	if key == nil {
		return nil, errors.New("p2p identity: nil private key")
	}
	raw := ethcrypto.FromECDSA(key)
	sk, err := libp2pcrypto.UnmarshalSecp256k1PrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("p2p identity: %w", err)
	}
	return sk, nil
}

// PeerIDFromPublicKey returns the peer ID of the node whose Ethereum key is pub.
func PeerIDFromPublicKey(pub *ecdsa.PublicKey) (peer.ID, error) {
	if pub == nil {
		return "", errors.New("peer id: nil public key")
	}
	pk, err := libp2pcrypto.UnmarshalSecp256k1PublicKey(ethcrypto.CompressPubkey(pub))
	if err != nil {
		return "", fmt.Errorf("peer id: %w", err)
	}
	return peer.IDFromPublicKey(pk)
}

// AddressFromPubKey derives the Ethereum address of an authenticated libp2p key.
func AddressFromPubKey(pk libp2pcrypto.PubKey) (common.Address, error) {
	if pk == nil {
		return common.Address{}, fmt.Errorf("address: %w: no key", ErrNotSecp256k1)
	}
	if _, ok := pk.(*libp2pcrypto.Secp256k1PublicKey); !ok {
		return common.Address{}, fmt.Errorf("address: %w: got %s", ErrNotSecp256k1, pk.Type())
	}
	compressed, err := pk.Raw()
	if err != nil {
		return common.Address{}, fmt.Errorf("address: raw key: %w", err)
	}
	pub, err := ethcrypto.DecompressPubkey(compressed)
	if err != nil {
		return common.Address{}, fmt.Errorf("address: decompress key: %w", err)
	}
	return ethcrypto.PubkeyToAddress(*pub), nil
}

// AddressFromPeerID derives the Ethereum address embedded in a secp256k1 peer ID
// (such IDs inline the public key). Use it for display and address books; a live
// session's address comes from the key the handshake authenticated.
func AddressFromPeerID(id peer.ID) (common.Address, error) {
	pk, err := id.ExtractPublicKey()
	if err != nil {
		return common.Address{}, fmt.Errorf("address of peer %s: %w", id, err)
	}
	addr, err := AddressFromPubKey(pk)
	if err != nil {
		return common.Address{}, fmt.Errorf("address of peer %s: %w", id, err)
	}
	return addr, nil
}
