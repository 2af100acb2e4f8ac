package channel

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
)

// MaxLocks bounds the pending locks per direction, so the contract's unlock of a whole
// direction fits in a block (ADR 0019).
const MaxLocks = 64

// maxLocked is the contract's MAX_LOCKED, 2^96-1: the most one direction may hold in pending
// locks. settle stores the held-back amount in 96 bits, so close and updateProof refuse a
// proof above it, and a receiver must never accept a lock it could not put on chain (ADR 0019).
var maxLocked = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 96), big.NewInt(1))

// MaxLocked returns a fresh copy of 2^96-1.
func MaxLocked() *big.Int { return new(big.Int).Set(maxLocked) }

// lockEncodedSize is the length of one lock in the locksRoot preimage:
// abi.encode(uint256 amount, uint64 expiration, bytes32 secretHash).
const lockEncodedSize = 3 * 32

// Lock is the EIP-712 struct Lock(uint256 amount,uint64 expiration,bytes32 secretHash): an amount the
// payer owes the receiver only if the receiver reveals the preimage of SecretHash by Expiration.
type Lock struct {
	Amount     *big.Int
	Expiration uint64 // unix seconds of chain time, inclusive
	SecretHash [32]byte
}

// LocksRoot returns the commitment the contract checks in unlock: zero for no locks, else
// keccak256 over the 96-byte abi.encode(amount, expiration, secretHash) of each lock in order.
func LocksRoot(locks []Lock) ([32]byte, error) {
	var root [32]byte
	if len(locks) == 0 {
		return root, nil
	}
	k := newKeccak()
	var buf [lockEncodedSize]byte
	for i := range locks {
		if err := encodeLockABI(&buf, &locks[i]); err != nil {
			return [32]byte{}, fmt.Errorf("lock %d %w", i, err)
		}
		k.Write(buf[:])
	}
	k.Read(root[:])
	return root, nil
}

// SecretHash returns keccak256(secret).
func SecretHash(secret [32]byte) [32]byte {
	return crypto.Keccak256Hash(secret[:])
}
