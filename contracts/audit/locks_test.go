package audit_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/audit"
)

// lockedProof signs a proof of transferred plus locks.
func (w *world) lockedProof(payer *party, id channel.ID, nonce uint64, transferred *big.Int, locks []channel.Lock) channel.SignedProof {
	w.t.Helper()
	locked := new(big.Int)
	for _, l := range locks {
		locked.Add(locked, l.Amount)
	}
	root, err := channel.LocksRoot(locks)
	if err != nil {
		w.t.Fatal(err)
	}
	bp := channel.BalanceProof{Channel: id, Nonce: nonce, Transferred: transferred, Locked: locked, LocksRoot: root}
	d, err := w.domain.BalanceProofDigest(bp)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, err := payer.signer.SignDigest(d)
	if err != nil {
		w.t.Fatal(err)
	}
	return channel.SignedProof{BalanceProof: bp, Sig: sig}
}

// TestAuditVerifiesHoldBacksSecretsAndUnlocks: a unilateral close with locks pending both
// ways, secrets registered in time and too late, settle and both unlocks audit clean
// (before the audit knew locks, settle's hold-back was a settlement mismatch and the held
// money a surplus); and the auditor checks each unlock's split against its calldata and the
// registry's times.
func TestAuditVerifiesHoldBacksSecretsAndUnlocks(t *testing.T) {
	w := newWorld(t)
	alice, bob := w.party(1), w.party(2)
	id := w.open(alice, bob, [20]byte{}, ether(10), period)
	w.must(bob.client.Deposit(w.ctx, id, bob.addr, ether(5)))
	head, err := w.chain.Client().HeaderByNumber(w.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	secret := func(n byte) [32]byte { return crypto.Keccak256Hash([]byte{n}) }
	lock := func(amount int64, n byte, exp uint64) channel.Lock {
		return channel.Lock{Amount: ether(amount), Expiration: exp, SecretHash: channel.SecretHash(secret(n))}
	}
	aliceLocks := []channel.Lock{lock(2, 1, head.Time+10_000), lock(1, 2, head.Time+30)}
	bobLocks := []channel.Lock{lock(1, 3, head.Time+10_000)}
	fromAlice := w.lockedProof(alice, id, 4, ether(1), aliceLocks)
	fromBob := w.lockedProof(bob, id, 2, ether(0), bobLocks)
	w.must(bob.client.Close(w.ctx, id, &fromAlice))
	w.must(alice.client.UpdateProof(w.ctx, fromBob))
	w.must(bob.client.RegisterSecret(w.ctx, secret(1)))
	w.passChallenge(period)
	w.must(bob.client.Settle(w.ctx, id))
	w.must(bob.client.RegisterSecret(w.ctx, secret(2))) // after its expiration: does not count
	w.must(alice.client.RegisterSecret(w.ctx, secret(3)))
	w.must(bob.client.Unlock(w.ctx, id, alice.addr, aliceLocks))
	w.must(alice.client.Unlock(w.ctx, id, bob.addr, bobLocks))

	rep := w.audit(audit.Config{})
	if len(rep.Discrepancies) != 0 || len(rep.Warnings) != 0 {
		t.Fatalf("audit of a clean lock scenario: discrepancies %v, warnings %v", rep.Discrepancies, rep.Warnings)
	}
}
