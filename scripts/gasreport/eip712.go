package main

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// domain hashes SluiceChannels' EIP-712 structs. The contract tests pin the contract's
// digests to go-ethereum's apitypes; this is the plain encoding, enough to sign with.
type domain struct {
	chainID  *big.Int
	contract common.Address
}

var (
	domainTypeHash       = crypto.Keccak256([]byte("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"))
	balanceProofTypeHash = crypto.Keccak256([]byte("BalanceProof(bytes32 channelId,uint64 nonce,uint256 transferred,uint256 locked,bytes32 locksRoot)"))
	settlementTypeHash   = crypto.Keccak256([]byte("Settlement(bytes32 channelId,uint256 balanceA,uint256 balanceB)"))
	withdrawalTypeHash   = crypto.Keccak256([]byte("Withdrawal(bytes32 channelId,address participant,uint256 totalWithdrawn,uint64 expiry)"))
	endorsementTypeHash  = crypto.Keccak256([]byte("ProofEndorsement(BalanceProof proof)BalanceProof(bytes32 channelId,uint64 nonce,uint256 transferred,uint256 locked,bytes32 locksRoot)"))
)

func word(b []byte) []byte { return common.LeftPadBytes(b, 32) }

func (d domain) digest(structHash []byte) []byte {
	sep := crypto.Keccak256(domainTypeHash, crypto.Keccak256([]byte("Sluice")), crypto.Keccak256([]byte("1")),
		word(d.chainID.Bytes()), word(d.contract.Bytes()))
	return crypto.Keccak256([]byte{0x19, 0x01}, sep, structHash)
}

// balanceProof is the digest of a lock-free proof (locked 0, locksRoot 0).
func (d domain) balanceProof(id [32]byte, nonce uint64, transferred *big.Int) []byte {
	return d.lockedProof(id, nonce, transferred, new(big.Int), [32]byte{})
}

func proofStructHash(id [32]byte, nonce uint64, transferred, locked *big.Int, root [32]byte) []byte {
	return crypto.Keccak256(balanceProofTypeHash, id[:], word(new(big.Int).SetUint64(nonce).Bytes()), word(transferred.Bytes()),
		word(locked.Bytes()), root[:])
}

// lockedProof is the digest of a proof with pending locks.
func (d domain) lockedProof(id [32]byte, nonce uint64, transferred, locked *big.Int, root [32]byte) []byte {
	return d.digest(proofStructHash(id, nonce, transferred, locked, root))
}

// endorsement is the receiver's consent to updateProofFor of one lock-free proof.
func (d domain) endorsement(id [32]byte, nonce uint64, transferred *big.Int) []byte {
	return d.digest(crypto.Keccak256(endorsementTypeHash, proofStructHash(id, nonce, transferred, new(big.Int), [32]byte{})))
}

func (d domain) settlement(id [32]byte, balanceA, balanceB *big.Int) []byte {
	return d.digest(crypto.Keccak256(settlementTypeHash, id[:], word(balanceA.Bytes()), word(balanceB.Bytes())))
}

func (d domain) withdrawal(id [32]byte, participant common.Address, total *big.Int, expiry uint64) []byte {
	return d.digest(crypto.Keccak256(withdrawalTypeHash, id[:], word(participant.Bytes()), word(total.Bytes()),
		word(new(big.Int).SetUint64(expiry).Bytes())))
}

// signBoth returns both parties' r || s || v signatures (v in {27, 28}) of digest.
func signBoth(digest []byte, a, b *ecdsa.PrivateKey) (sigA, sigB []byte, err error) {
	if sigA, err = signDigest(a, digest); err != nil {
		return nil, nil, err
	}
	sigB, err = signDigest(b, digest)
	return sigA, sigB, err
}

func signDigest(key *ecdsa.PrivateKey, digest []byte) ([]byte, error) {
	sig, err := crypto.Sign(digest, key)
	if err != nil {
		return nil, fmt.Errorf("sign EIP-712 digest: %w", err)
	}
	sig[64] += 27
	return sig, nil
}
