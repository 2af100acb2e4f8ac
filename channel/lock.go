package channel

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
)

// MaxLocks bounds the pending locks per direction, so the contract's unlock of a whole
// direction fits in a block (ADR 0019).
const MaxLocks = 64

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
		if err := putUint256(buf[0:32], locks[i].Amount); err != nil {
			return [32]byte{}, fmt.Errorf("lock %d amount: %w", i, err)
		}
		putUint64(buf[32:64], locks[i].Expiration)
		copy(buf[64:96], locks[i].SecretHash[:])
		k.Write(buf[:])
	}
	k.Read(root[:])
	return root, nil
}

// SecretHash returns keccak256(secret).
func SecretHash(secret [32]byte) [32]byte {
	return crypto.Keccak256Hash(secret[:])
}
