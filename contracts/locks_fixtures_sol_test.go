package contracts_test

import (
	"crypto/ecdsa"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings"
)

// lockedProof is a signed balance proof with pending locks.
type lockedProof struct {
	proof
	locked *big.Int
	root   [32]byte
	locks  []channel.Lock
}

// secretOf derives a distinct test secret from n.
func secretOf(n int) [32]byte {
	return crypto.Keccak256Hash([]byte("sluice test secret"), big.NewInt(int64(n)).Bytes())
}

func (e *evm) lockedProofDigest(id [32]byte, nonce uint64, transferred, locked *big.Int, root [32]byte) []byte {
	return e.typedDigest("BalanceProof", apitypes.TypedDataMessage{
		"channelId": id[:], "nonce": new(big.Int).SetUint64(nonce), "transferred": transferred,
		"locked": locked, "locksRoot": root[:],
	})
}

// signLocked signs a proof of transferred plus locks; locked is their sum and the root is
// computed by package channel (pinned to the contract's hashLocksRoot in the tests).
func (e *evm) signLocked(key *ecdsa.PrivateKey, id [32]byte, nonce uint64, transferred *big.Int, locks []channel.Lock) lockedProof {
	e.t.Helper()
	locked := new(big.Int)
	for _, l := range locks {
		locked.Add(locked, l.Amount)
	}
	root, err := channel.LocksRoot(locks)
	if err != nil {
		e.t.Fatalf("locks root: %v", err)
	}
	return e.signLockedRaw(key, id, nonce, transferred, locked, root, locks)
}

// signLockedRaw signs whatever locked and root it is given (for inconsistent proofs).
func (e *evm) signLockedRaw(key *ecdsa.PrivateKey, id [32]byte, nonce uint64, transferred, locked *big.Int, root [32]byte, locks []channel.Lock) lockedProof {
	sig := sign(e.t, key, e.lockedProofDigest(id, nonce, transferred, locked, root))
	return lockedProof{proof: proof{nonce: nonce, transferred: transferred, sig: sig}, locked: locked, root: root, locks: locks}
}

func (e *evm) packCloseLocked(id [32]byte, p lockedProof) []byte {
	return e.sc.PackClose(id, p.nonce, p.transferred, p.locked, p.root, p.sig)
}

func (e *evm) packUpdateLocked(id [32]byte, p lockedProof) []byte {
	return e.sc.PackUpdateProof(id, p.nonce, p.transferred, p.locked, p.root, p.sig)
}

func abiLocks(locks []channel.Lock) []bindings.SluiceChannelsLock {
	out := make([]bindings.SluiceChannelsLock, len(locks))
	for i, l := range locks {
		out[i] = bindings.SluiceChannelsLock{Amount: l.Amount, Expiration: l.Expiration, SecretHash: l.SecretHash}
	}
	return out
}

func (e *evm) packUnlock(id [32]byte, sender [20]byte, locks []channel.Lock) []byte {
	return e.sc.PackUnlock(id, sender, abiLocks(locks))
}

// lockOf is a lock of amount on secretOf(n), expiring at exp.
func lockOf(amount *big.Int, exp uint64, n int) channel.Lock {
	return channel.Lock{Amount: amount, Expiration: exp, SecretHash: channel.SecretHash(secretOf(n))}
}
