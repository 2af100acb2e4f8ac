package p2p

import (
	"crypto/rand"
	"errors"
	"testing"

	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	libp2pcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

func TestPeerIDAndAddressDeriveFromTheSameKey(t *testing.T) {
	for i := 0; i < 5; i++ {
		key, err := ethcrypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		want := ethcrypto.PubkeyToAddress(key.PublicKey)
		sk, err := PrivKey(key)
		if err != nil {
			t.Fatal(err)
		}
		idFromPriv, err := peer.IDFromPrivateKey(sk)
		if err != nil {
			t.Fatal(err)
		}
		idFromPub, err := PeerIDFromPublicKey(&key.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if idFromPriv != idFromPub {
			t.Fatalf("peer id from private key %s != from public key %s", idFromPriv, idFromPub)
		}
		got, err := AddressFromPeerID(idFromPriv)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("address from peer id %s, want %s", got, want)
		}
		raw, _ := sk.Raw()
		if string(raw) != string(ethcrypto.FromECDSA(key)) {
			t.Fatal("libp2p key does not hold the same 32 bytes as the Ethereum key")
		}
	}
}

func TestAddressDerivationRefusesNonSecp256k1Keys(t *testing.T) {
	_, pub, err := libp2pcrypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AddressFromPubKey(pub); !errors.Is(err, ErrNotSecp256k1) {
		t.Fatalf("ed25519 key: err %v, want ErrNotSecp256k1", err)
	}
	id, _ := peer.IDFromPublicKey(pub)
	if _, err := AddressFromPeerID(id); !errors.Is(err, ErrNotSecp256k1) {
		t.Fatalf("ed25519 peer id: err %v, want ErrNotSecp256k1", err)
	}
	if _, err := PrivKey(nil); err == nil {
		t.Fatal("nil key accepted")
	}
}
