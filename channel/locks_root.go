package channel

import (
	"encoding"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"
)

// Locks roots computed once per update (ADR 0033). A lock update is built or checked
// twice on each end (PrepareLockUpdate then CommitLockUpdate on the payer,
// ValidateLockUpdate then CommitLockUpdate on the receiver), and each used to rehash the
// whole pending set: with 48 locks pending, 4.6 KB of keccak four times per update. Two
// caches per direction cut that to one hash per end, and to one keccak block for the
// common append:
//
//   - the step cache: the new set, root and sponge the last stepLocks built, keyed by the
//     set it started from (its generation) and the change (the lock appended, or the
//     index removed); Commit takes them from there instead of rebuilding;
//   - the sponge: the keccak state after absorbing exactly the pending set, so appending
//     a lock absorbs 96 bytes instead of the whole set. A removal rehashes the rest of
//     the set (keccak cannot take bytes out), producing the next sponge as it goes.
//
// Both are keyed by lockGen, which commitLocks bumps whenever a direction's set changes;
// nothing else assigns Side.Locks on a live State (Restore and Clone build a new State
// whose caches are empty). The caches hold no state a caller can reach: a step's slice
// becomes Side.Locks only through commitLocks, and every accessor copies.

// lockCache is one direction's caches.
type lockCache struct {
	gen    uint64 // generation of the pending set the entries below describe
	sponge []byte // keccak state after absorbing the pending set; nil when unknown
	step   cachedStep
}

// cachedStep is the last set stepLocks built from the generation-gen set.
type cachedStep struct {
	ok     bool
	remove int  // index removed; -1 for an append
	add    Lock // the lock appended
	locks  []Lock
	root   [32]byte
	sponge []byte
}

// savedKeccak is the hash state the go-ethereum keccak implements: it can be saved and
// resumed, which is what lets a root be extended by one lock.
type savedKeccak interface {
	encoding.BinaryAppender
	encoding.BinaryUnmarshaler
}

// sameLock compares two locks by value.
func sameLock(a, b *Lock) bool {
	return a.Expiration == b.Expiration && a.SecretHash == b.SecretHash && sameAmount(a.Amount, b.Amount)
}

// nextLocks returns payer's pending set after appending add (remove < 0) or removing the
// lock at index remove, with its locks root and sponge, from the cache when the same step
// was built before. The returned slice is fresh (never the current Side.Locks), and
// shared only with the cache.
func (s *State) nextLocks(payer Party, remove int, add *Lock) (cachedStep, error) {
	c := &s.lockCache[payer]
	if c.gen != s.lockGen[payer] {
		*c = lockCache{gen: s.lockGen[payer]}
	}
	if st := &c.step; st.ok && st.remove == remove && (remove >= 0 || sameLock(&st.add, add)) {
		return *st, nil
	}
	cur := s.sides[payer].Locks
	next := cachedStep{ok: true, remove: remove}
	var err error
	if remove < 0 {
		next.add = copyLock(*add)
		next.locks = make([]Lock, len(cur), len(cur)+1)
		copy(next.locks, cur)
		next.locks = append(next.locks, next.add)
		next.root, next.sponge, err = appendRoot(c.sponge, cur, &next.add)
	} else {
		next.locks = withoutLock(cur, remove)
		if len(next.locks) == 0 {
			next.locks = nil
		}
		next.root, next.sponge, err = rootSponge(next.locks)
	}
	if err != nil {
		return cachedStep{}, err
	}
	c.step = next
	return next, nil
}

// installLocks makes a built step payer's pending set: a new generation whose sponge is
// the step's.
func (s *State) installLocks(payer Party, st *cachedStep) {
	s.sides[payer].Locks = st.locks
	s.lockGen[payer]++
	s.lockCache[payer] = lockCache{gen: s.lockGen[payer], sponge: st.sponge}
}

// appendRoot is LocksRoot(append(cur, *l)) and the sponge after it, resuming sponge (the
// state after cur) when there is one.
func appendRoot(sponge []byte, cur []Lock, l *Lock) ([32]byte, []byte, error) {
	k := newKeccak()
	resumed := false
	if sponge != nil {
		if sk, ok := k.(savedKeccak); ok && sk.UnmarshalBinary(sponge) == nil {
			resumed = true
		}
	}
	var buf [lockEncodedSize]byte
	if !resumed {
		k.Reset()
		for i := range cur {
			if err := absorbLock(k, &buf, &cur[i]); err != nil {
				return [32]byte{}, nil, fmt.Errorf("lock %d: %w", i, err)
			}
		}
	}
	if err := absorbLock(k, &buf, l); err != nil {
		return [32]byte{}, nil, fmt.Errorf("lock %d: %w", len(cur), err)
	}
	return finishRoot(k)
}

// rootSponge is LocksRoot(locks) and the sponge after absorbing locks.
func rootSponge(locks []Lock) ([32]byte, []byte, error) {
	if len(locks) == 0 {
		return [32]byte{}, nil, nil
	}
	k := newKeccak()
	var buf [lockEncodedSize]byte
	for i := range locks {
		if err := absorbLock(k, &buf, &locks[i]); err != nil {
			return [32]byte{}, nil, fmt.Errorf("lock %d: %w", i, err)
		}
	}
	return finishRoot(k)
}

// finishRoot saves the sponge (nil if the state cannot be saved) and reads the root.
func finishRoot(k crypto.KeccakState) ([32]byte, []byte, error) {
	var sponge []byte
	if sk, ok := k.(savedKeccak); ok {
		var err error
		if sponge, err = sk.AppendBinary(nil); err != nil {
			sponge = nil
		}
	}
	var root [32]byte
	k.Read(root[:])
	return root, sponge, nil
}

// absorbLock writes one lock's abi.encode(amount, expiration, secretHash) into k.
func absorbLock(k crypto.KeccakState, buf *[lockEncodedSize]byte, l *Lock) error {
	if err := encodeLockABI(buf, l); err != nil {
		return err
	}
	k.Write(buf[:])
	return nil
}

// encodeLockABI writes abi.encode(amount, expiration, secretHash) of l into buf.
func encodeLockABI(buf *[lockEncodedSize]byte, l *Lock) error {
	if err := putUint256(buf[0:32], l.Amount); err != nil {
		return fmt.Errorf("amount: %w", err)
	}
	putUint64(buf[32:64], l.Expiration)
	copy(buf[64:96], l.SecretHash[:])
	return nil
}
