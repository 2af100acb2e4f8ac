package channel

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Signer signs EIP-712 digests for one Ethereum address. The node's keystore, a hardware
// wallet or a remote signer can stand behind it; the state machine only needs these two.
type Signer interface {
	Address() common.Address
	// SignDigest signs a 32-byte digest and returns r || s || v with v in {27, 28}, low s.
	SignDigest(digest common.Hash) (Signature, error)
}

// KeySigner signs with an in-memory secp256k1 key. It is safe for concurrent use, so one
// node key can serve every channel.
type KeySigner struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// NewKeySigner wraps key. The key is used, not copied: the caller keeps ownership.
func NewKeySigner(key *ecdsa.PrivateKey) (*KeySigner, error) {
	if key == nil || key.D == nil || key.D.Sign() <= 0 {
		return nil, errors.New("new key signer: missing private key")
	}
	return &KeySigner{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}, nil
}

// Address is the Ethereum address of the key.
func (k *KeySigner) Address() common.Address { return k.addr }

// SignDigest signs digest; go-ethereum's secp256k1 already produces low-s signatures.
func (k *KeySigner) SignDigest(digest common.Hash) (Signature, error) {
	raw, err := crypto.Sign(digest[:], k.key)
	if err != nil {
		return Signature{}, fmt.Errorf("sign digest %x: %w", digest[:4], err)
	}
	var sig Signature
	copy(sig[:], raw)
	sig[64] += 27
	return sig, nil
}

// secp256k1HalfN is floor(N/2); the contract rejects any s above it (EIP-2 malleability).
var secp256k1HalfN = [32]byte{
	0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
}

// Recover returns the address that signed digest, applying the contract's rules: v must
// be 27 or 28, s must be in the lower half order, r and s non-zero, and the recovered
// signer must not be address(0). Every failure wraps ErrBadSignature. A Hasher's Recover
// does the same with fewer allocations.
func Recover(digest common.Hash, sig Signature) (common.Address, error) {
	var sc recoverScratch
	pub, err := sc.recoverPubkey(digest, sig)
	if err != nil {
		return common.Address{}, err
	}
	return pubkeyAddress(crypto.Keccak256Hash(pub[1:]))
}

// Recover is the package-level Recover reusing this Hasher's buffers and keccak state.
func (h *Hasher) Recover(digest common.Hash, sig Signature) (common.Address, error) {
	pub, err := h.rs.recoverPubkey(digest, sig)
	if err != nil {
		return common.Address{}, err
	}
	h.k.Reset()
	h.k.Write(pub[1:])
	h.k.Read(h.rs.out[:])
	return pubkeyAddress(h.rs.out)
}

// recoverScratch holds what crypto.Ecrecover needs as slices; keeping it inside a
// long-lived Hasher stops those slices from escaping to a fresh allocation per call.
type recoverScratch struct {
	digest common.Hash
	sig    Signature
	out    common.Hash
}

// recoverPubkey applies the contract's signature rules, then recovers the uncompressed
// public key (65 bytes, 0x04 prefix).
func (sc *recoverScratch) recoverPubkey(digest common.Hash, sig Signature) ([]byte, error) {
	v := sig[64]
	if v != 27 && v != 28 {
		return nil, fmt.Errorf("signature v=%d not in {27,28}: %w", v, ErrBadSignature)
	}
	r, s := sig[0:32], sig[32:64]
	if isZero(r) || isZero(s) {
		return nil, fmt.Errorf("signature r or s is zero: %w", ErrBadSignature)
	}
	if bytes.Compare(s, secp256k1HalfN[:]) > 0 {
		return nil, fmt.Errorf("signature s in upper half order: %w", ErrBadSignature)
	}
	sc.digest, sc.sig = digest, sig
	sc.sig[64] = v - 27
	pub, err := crypto.Ecrecover(sc.digest[:], sc.sig[:])
	if err != nil {
		return nil, fmt.Errorf("recover signer: %v: %w", err, ErrBadSignature)
	}
	return pub, nil
}

// pubkeyAddress takes the address from keccak256(pubkey) and refuses address(0).
func pubkeyAddress(h common.Hash) (common.Address, error) {
	var addr common.Address
	copy(addr[:], h[12:])
	if addr == (common.Address{}) {
		return common.Address{}, fmt.Errorf("signer is address(0): %w", ErrBadSignature)
	}
	return addr, nil
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
