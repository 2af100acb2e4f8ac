package channel

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestKeySignerSignaturesRecoverToItsAddress(t *testing.T) {
	h, err := NewHasher(Domain{ChainID: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	for seed := byte(1); seed <= 20; seed++ {
		s := testSigner(t, seed)
		digest := crypto.Keccak256Hash([]byte{seed})
		sig, err := s.SignDigest(digest)
		if err != nil {
			t.Fatal(err)
		}
		if v := sig[64]; v != 27 && v != 28 {
			t.Fatalf("seed %d: v = %d, want 27 or 28", seed, v)
		}
		if bytes.Compare(sig[32:64], secp256k1HalfN[:]) > 0 {
			t.Fatalf("seed %d: signer produced high s", seed)
		}
		got, err := Recover(digest, sig)
		if err != nil || got != s.Address() {
			t.Fatalf("seed %d: Recover = %s, %v; want %s", seed, got, err, s.Address())
		}
		if got, err := h.Recover(digest, sig); err != nil || got != s.Address() {
			t.Fatalf("seed %d: Hasher.Recover = %s, %v; want %s", seed, got, err, s.Address())
		}
	}
}

func TestKeySignerMatchesGoEthereumSign(t *testing.T) {
	key := testKey(t, 3)
	s, err := NewKeySigner(key)
	if err != nil {
		t.Fatal(err)
	}
	digest := crypto.Keccak256Hash([]byte("sluice"))
	sig, err := s.SignDigest(digest)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := crypto.Sign(digest[:], key)
	if err != nil {
		t.Fatal(err)
	}
	raw[64] += 27
	if !bytes.Equal(sig[:], raw) {
		t.Fatalf("signature %x, go-ethereum %x", sig, raw)
	}
}

func TestNewKeySignerRejectsMissingKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  *ecdsa.PrivateKey
	}{{"nil key", nil}, {"nil scalar", &ecdsa.PrivateKey{}}, {"zero scalar", &ecdsa.PrivateKey{D: new(big.Int)}}} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewKeySigner(tc.key); err == nil {
				t.Fatal("NewKeySigner accepted a missing key")
			}
		})
	}
}

func TestRecoverRejects(t *testing.T) {
	s := testSigner(t, 4)
	digest := crypto.Keccak256Hash([]byte("digest"))
	good, err := s.SignDigest(digest)
	if err != nil {
		t.Fatal(err)
	}
	n := bi("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
	h, err := NewHasher(Domain{ChainID: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(*Signature)) Signature { sig := good; f(&sig); return sig }
	cases := []struct {
		name string
		sig  Signature
	}{
		{"v 0", with(func(s *Signature) { s[64] = 0 })},
		{"v 1", with(func(s *Signature) { s[64] = 1 })},
		{"v 29", with(func(s *Signature) { s[64] = 29 })},
		{"high s twin", highS(good)},
		{"zero r", with(func(s *Signature) { clear(s[0:32]) })},
		{"zero s", with(func(s *Signature) { clear(s[32:64]) })},
		{"r equal to the group order", with(func(s *Signature) { n.FillBytes(s[0:32]) })},
		{"r with no curve point", with(func(s *Signature) { big.NewInt(5).FillBytes(s[0:32]) })},
		{"all zero", Signature{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			addr, err := Recover(digest, tc.sig)
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("Recover = %s, %v; want ErrBadSignature", addr, err)
			}
			addr, err = h.Recover(digest, tc.sig)
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("Hasher.Recover = %s, %v; want ErrBadSignature", addr, err)
			}
		})
	}
}

func TestHighSTwinIsOtherwiseAValidSignature(t *testing.T) {
	// Guards the high-s case above: without the explicit check, secp256k1 would accept
	// the twin and recover the real signer.
	s := testSigner(t, 4)
	digest := crypto.Keccak256Hash([]byte("digest"))
	sig, _ := s.SignDigest(digest)
	twin := highS(sig)
	twin[64] -= 27
	pub, err := crypto.SigToPub(digest[:], twin[:])
	if err != nil {
		t.Fatal(err)
	}
	if crypto.PubkeyToAddress(*pub) != s.Address() {
		t.Fatal("high-s twin does not recover to the signer; the high-s test proves nothing")
	}
}

func TestRecoverDistinguishesDigests(t *testing.T) {
	s := testSigner(t, 5)
	sig, _ := s.SignDigest(common.Hash{1})
	addr, err := Recover(common.Hash{2}, sig)
	if err == nil && addr == s.Address() {
		t.Fatal("signature over one digest recovered the signer for another")
	}
}
