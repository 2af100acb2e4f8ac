package channel

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// modelRoot is the contract's locksRoot computed independently of locks_root.go:
// keccak256 of the concatenated abi.encode(uint256, uint64, bytes32) words.
func modelRoot(locks []Lock) [32]byte {
	if len(locks) == 0 {
		return [32]byte{}
	}
	var pre []byte
	for _, l := range locks {
		pre = append(pre, common.LeftPadBytes(l.Amount.Bytes(), 32)...)
		pre = append(pre, common.LeftPadBytes(new(big.Int).SetUint64(l.Expiration).Bytes(), 32)...)
		pre = append(pre, l.SecretHash[:]...)
	}
	return crypto.Keccak256Hash(pre)
}

// TestCachedRootsMatchAnIndependentModel drives a payer and a receiver through random
// adds and removals (unlock, expire, cancel) with the detours the caches must survive:
// a prepared update that is never committed, then a different one; a receiver that
// validates a proof it then does not commit; a proof with a wrong root; Clone and
// Restore mid-way. After every step both ends' pending sets and roots equal a plain list
// and its root computed without the caches.
func TestCachedRootsMatchAnIndependentModel(t *testing.T) {
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 33))
		lp := newLockPair(t, 1_000_000_000, 0)
		signer := lp.f.signers[PartyA]
		var model []Lock
		next := 0
		for step := range 300 {
			// A detour first: an update prepared (and validated) but dropped.
			if rng.IntN(4) == 0 {
				u := AddLock(Lock{Amount: big.NewInt(int64(1 + rng.IntN(9))), Expiration: lp.now + 50, SecretHash: SecretHash(benchSecret(uint64(1<<40 + step)))})
				if len(model) > 0 && rng.IntN(2) == 0 {
					u = Unlock(benchSecret(uint64(secretIndex(t, model, rng.IntN(len(model))))))
				}
				if p, err := lp.payer.PrepareLockUpdate(PartyA, u, lp.now, signer); err == nil {
					if _, err := lp.receiver.ValidateLockUpdate(PartyA, u, p, lp.now); err != nil {
						t.Fatalf("seed %d step %d: receiver refuses a dropped update: %v", seed, step, err)
					}
					bad := p
					bad.LocksRoot[0] ^= 1
					if err := lp.receiver.CommitLockUpdate(PartyA, u, bad, lp.now); err == nil {
						t.Fatalf("seed %d step %d: receiver commits a proof with a wrong root", seed, step)
					}
				}
			}
			var u LockUpdate
			switch {
			case len(model) < MaxLocks && (len(model) == 0 || rng.IntN(2) == 0):
				l := Lock{Amount: big.NewInt(int64(1 + rng.IntN(1000))), Expiration: lp.now + 1 + uint64(rng.IntN(30)), SecretHash: SecretHash(benchSecret(uint64(next)))}
				next++
				u = AddLock(l)
				model = append(model, copyLock(l))
			default:
				i := rng.IntN(len(model))
				if rng.IntN(3) == 0 {
					i = 0 // the oldest, the routed bench's pattern
				}
				switch h := model[i].SecretHash; {
				case lp.now > model[i].Expiration:
					u = ExpireLock(h)
				case rng.IntN(4) == 0:
					for _, s := range []*State{lp.payer, lp.receiver} {
						if err := s.MarkLockRefused(PartyA, h); err != nil {
							t.Fatal(err)
						}
					}
					u = CancelLock(h)
				default:
					u = Unlock(benchSecret(uint64(secretIndex(t, model, i))))
				}
				model = append(model[:i:i], model[i+1:]...)
			}
			lp.step(t, u)
			lp.now += uint64(rng.IntN(3))
			switch rng.IntN(20) {
			case 0:
				lp.payer = lp.payer.Clone()
			case 1:
				r, err := Restore(lp.receiver.Snapshot())
				if err != nil {
					t.Fatal(err)
				}
				lp.receiver = r
			}
			want := modelRoot(model)
			for _, s := range []*State{lp.payer, lp.receiver} {
				if got := s.Locks(PartyA); !sameLocks(got, model) {
					t.Fatalf("seed %d step %d: %d locks pending, model has %d", seed, step, len(got), len(model))
				}
				if got, _ := s.Latest(PartyA); got.LocksRoot != want {
					t.Fatalf("seed %d step %d: root %x, model %x", seed, step, got.LocksRoot, want)
				}
			}
		}
	}
}

// secretIndex recovers n from a model lock whose hash is SecretHash(benchSecret(n)).
func secretIndex(t *testing.T, model []Lock, i int) int {
	t.Helper()
	if benchSecrets == nil {
		benchSecrets = map[[32]byte]int{}
		for n := range 4096 {
			benchSecrets[SecretHash(benchSecret(uint64(n)))] = n
		}
	}
	n, ok := benchSecrets[model[i].SecretHash]
	if !ok {
		t.Fatalf("lock %d: unknown secret", i)
	}
	return n
}

var benchSecrets map[[32]byte]int

// TestPreparedAddIsNotReusedForAnotherLock: the step cache is keyed by the lock, so a
// prepared but dropped add of one lock never stands in for an add of another.
func TestPreparedAddIsNotReusedForAnotherLock(t *testing.T) {
	lp := newLockPair(t, 1000, 0)
	x, y := lockN(1, 10, 2_000), lockN(2, 10, 2_000)
	if _, err := lp.payer.PrepareLockUpdate(PartyA, AddLock(x), lp.now, lp.f.signers[PartyA]); err != nil {
		t.Fatal(err)
	}
	y2 := y
	y2.Amount = big.NewInt(11)
	if _, err := lp.payer.PrepareLockUpdate(PartyA, AddLock(y2), lp.now, lp.f.signers[PartyA]); err != nil {
		t.Fatal(err)
	}
	p := lp.step(t, AddLock(y))
	if want := modelRoot([]Lock{y}); p.LocksRoot != want {
		t.Fatalf("root %x, want %x", p.LocksRoot, want)
	}
}
