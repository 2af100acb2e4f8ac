package channel

import (
	"fmt"
	"math"
	"math/big"
)

// LockChange is what a lock-aware proof does to its direction's pending locks.
type LockChange uint8

const (
	// LockAdd is a locked transfer: the proof adds Lock; transferred is unchanged.
	LockAdd LockChange = 1
	// LockUnlock settles the lock whose secret is Secret: its amount moves from locked
	// to transferred.
	LockUnlock LockChange = 2
	// LockExpire drops the lock on SecretHash after its expiration: its amount returns to
	// the payer; transferred is unchanged.
	LockExpire LockChange = 3
	// LockCancel drops the lock on SecretHash before its expiration because its receiver
	// refused it (MarkLockRefused): its amount returns to the payer; transferred is
	// unchanged. On the wire it travels as a LockExpired message (ADR 0026).
	LockCancel LockChange = 4
)

func (c LockChange) String() string {
	switch c {
	case LockAdd:
		return "add"
	case LockUnlock:
		return "unlock"
	case LockExpire:
		return "expire"
	case LockCancel:
		return "cancel"
	default:
		return fmt.Sprintf("lock-change-%d", uint8(c))
	}
}

// LockUpdate travels with a lock-aware proof and tells the receiver how to rebuild the
// pending set the proof commits to. Only the fields of its Change are used.
type LockUpdate struct {
	Change     LockChange
	Lock       Lock     // LockAdd: the new lock
	Secret     [32]byte // LockUnlock: the preimage; its hash names the lock
	SecretHash [32]byte // LockExpire, LockCancel: the lock removed
}

// AddLock, Unlock and ExpireLock build the three updates.
func AddLock(l Lock) LockUpdate         { return LockUpdate{Change: LockAdd, Lock: copyLock(l)} }
func Unlock(secret [32]byte) LockUpdate { return LockUpdate{Change: LockUnlock, Secret: secret} }
func ExpireLock(secretHash [32]byte) LockUpdate {
	return LockUpdate{Change: LockExpire, SecretHash: secretHash}
}

// CancelLock builds the removal of a lock its receiver refused (LockCancel).
func CancelLock(secretHash [32]byte) LockUpdate {
	return LockUpdate{Change: LockCancel, SecretHash: secretHash}
}

// lockStep is the direction's state after an update: the new pending set (a fresh
// slice) and the proof amounts that must commit to it.
type lockStep struct {
	set         cachedStep // the new set, its root and sponge (locks_root.go)
	transferred *big.Int
	locked      *big.Int // nil when no lock remains
}

// stepLocks applies u to payer's pending locks at chain time now, or says why it may not.
// It changes nothing. Both ends run it: the payer to build the proof, the receiver to
// check the proof it got against its own copy of the locks.
func (s *State) stepLocks(payer Party, u LockUpdate, now uint64) (lockStep, error) {
	if err := checkParty(payer); err != nil {
		return lockStep{}, err
	}
	if err := s.usable(); err != nil {
		return lockStep{}, err
	}
	side := &s.sides[payer]
	if side.Sent.Nonce == math.MaxUint64 {
		return lockStep{}, fmt.Errorf("channel %s: party %s: %w", s.params.ID, payer, ErrNonceExhausted)
	}
	cur := side.Locks
	locked := copyInt(side.Sent.Locked)
	st := lockStep{transferred: copyInt(side.Sent.Transferred)}
	var removed int // index of the lock removed; -1 for an add
	switch u.Change {
	case LockAdd:
		l := u.Lock
		if err := checkLockAmount(l.Amount); err != nil {
			return lockStep{}, fmt.Errorf("channel %s: add lock: %w", s.params.ID, err)
		}
		if l.Expiration <= now {
			return lockStep{}, fmt.Errorf("channel %s: add lock expiring at %d, chain time %d: %w", s.params.ID, l.Expiration, now, ErrLockExpired)
		}
		if len(cur) >= MaxLocks {
			return lockStep{}, fmt.Errorf("channel %s: party %s has %d pending locks: %w", s.params.ID, payer, len(cur), ErrTooManyLocks)
		}
		if lockIndex(cur, l.SecretHash) >= 0 {
			return lockStep{}, fmt.Errorf("channel %s: add lock %x: %w", s.params.ID, l.SecretHash, ErrDuplicateLock)
		}
		locked.Add(locked, l.Amount)
		if err := checkAmount("locked", locked); err != nil {
			return lockStep{}, fmt.Errorf("channel %s: add lock: %w", s.params.ID, err)
		}
		if locked.Cmp(maxLocked) > 0 {
			return lockStep{}, fmt.Errorf("channel %s: add lock: %s locked exceeds the contract's 2^96-1: %w", s.params.ID, locked, ErrAmountTooLarge)
		}
		if !s.covers(payer, st.transferred, locked) {
			return lockStep{}, fmt.Errorf("channel %s: party %s locks %s with %s spendable: %w",
				s.params.ID, payer, l.Amount, s.Spendable(payer), ErrOverdraft)
		}
		removed = -1
	case LockUnlock:
		h := SecretHash(u.Secret)
		i := lockIndex(cur, h)
		if i < 0 {
			return lockStep{}, fmt.Errorf("channel %s: unlock %x: %w", s.params.ID, h, ErrUnknownLock)
		}
		// Unlocking is the payer paying; it is valid at any time the lock is pending.
		st.transferred.Add(st.transferred, cur[i].Amount)
		if err := checkAmount("transferred", st.transferred); err != nil {
			return lockStep{}, fmt.Errorf("channel %s: unlock: %w", s.params.ID, err)
		}
		locked.Sub(locked, cur[i].Amount)
		removed = i
	case LockExpire:
		i := lockIndex(cur, u.SecretHash)
		if i < 0 {
			return lockStep{}, fmt.Errorf("channel %s: expire %x: %w", s.params.ID, u.SecretHash, ErrUnknownLock)
		}
		// Expiration is inclusive: a secret registered at a block with timestamp ==
		// expiration still claims the lock on chain.
		if now <= cur[i].Expiration {
			return lockStep{}, fmt.Errorf("channel %s: expire lock %x at chain time %d, expires after %d: %w",
				s.params.ID, u.SecretHash, now, cur[i].Expiration, ErrLockNotExpired)
		}
		locked.Sub(locked, cur[i].Amount)
		removed = i
	case LockCancel:
		i := lockIndex(cur, u.SecretHash)
		if i < 0 {
			return lockStep{}, fmt.Errorf("channel %s: cancel %x: %w", s.params.ID, u.SecretHash, ErrUnknownLock)
		}
		// Only the receiver's refusal lets a lock go before its expiration; without it the
		// receiver may still be owed the lock (it may have forwarded it).
		if !s.LockRefused(payer, u.SecretHash) {
			return lockStep{}, fmt.Errorf("channel %s: cancel lock %x its receiver did not refuse, expires after %d: %w",
				s.params.ID, u.SecretHash, cur[i].Expiration, ErrLockNotExpired)
		}
		locked.Sub(locked, cur[i].Amount)
		removed = i
	default:
		return lockStep{}, fmt.Errorf("channel %s: lock update %s: %w", s.params.ID, u.Change, ErrBadLockUpdate)
	}
	st.locked = copyLocked(locked)
	var err error
	if st.set, err = s.nextLocks(payer, removed, &u.Lock); err != nil {
		return lockStep{}, fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	return st, nil
}

// PrepareLockUpdate builds and signs payer's next proof applying u at chain time now
// (a locked transfer, an unlock or an expiry). It does not change the State: persist the
// proof and the new lock set, then CommitLockUpdate with the same u and now.
func (s *State) PrepareLockUpdate(payer Party, u LockUpdate, now uint64, signer Signer) (SignedProof, error) {
	if err := checkParty(payer); err != nil {
		return SignedProof{}, err
	}
	if signer == nil || signer.Address() != s.params.Participants[payer] {
		return SignedProof{}, fmt.Errorf("channel %s: signer is not party %s: %w", s.params.ID, payer, ErrWrongSigner)
	}
	st, err := s.stepLocks(payer, u, now)
	if err != nil {
		return SignedProof{}, err
	}
	proof := SignedProof{BalanceProof: BalanceProof{Channel: s.params.ID, Nonce: s.sides[payer].Sent.Nonce + 1,
		Transferred: st.transferred, Locked: st.locked, LocksRoot: st.set.root}}
	digest, err := s.hasher.BalanceProofDigest(proof.BalanceProof)
	if err != nil {
		return SignedProof{}, fmt.Errorf("channel %s: %w", s.params.ID, err)
	}
	if proof.Sig, err = signer.SignDigest(digest); err != nil {
		return SignedProof{}, fmt.Errorf("channel %s: sign proof %d: %v: %w", s.params.ID, proof.Nonce, err, ErrInternal)
	}
	return proof, nil
}

// ValidateLockUpdate checks a lock-aware proof received from payer against this State's
// copy of payer's locks, at the receiver's chain time now, without changing anything:
// the nonce is exactly the next, and transferred, locked and locksRoot are exactly what
// applying u to the pending locks gives; then the signature. So a proof that moves
// transferred by anything but an unlocked amount, drops a lock before its expiry, or
// commits to another lock list is refused. An exact repeat of the latest proof is
// OutcomeRepeat.
func (s *State) ValidateLockUpdate(payer Party, u LockUpdate, p SignedProof, now uint64) (Outcome, error) {
	o, _, err := s.checkLockUpdate(payer, u, p, now)
	if err != nil || o == OutcomeRepeat {
		return o, err
	}
	if err := s.verifySignature(payer, &p); err != nil {
		return 0, err
	}
	return OutcomeNew, nil
}

// ApplyLockUpdate validates (ValidateLockUpdate) and, if the proof is new, commits it.
func (s *State) ApplyLockUpdate(payer Party, u LockUpdate, p SignedProof, now uint64) (Outcome, error) {
	o, st, err := s.checkLockUpdate(payer, u, p, now)
	if err != nil || o == OutcomeRepeat {
		return o, err
	}
	if err := s.verifySignature(payer, &p); err != nil {
		return 0, err
	}
	s.commitLocks(payer, p, st)
	return OutcomeNew, nil
}

// CommitLockUpdate records a proof that PrepareLockUpdate produced or ValidateLockUpdate
// accepted, with the same u and now, typically after persisting it. It re-checks
// everything except the signature; a repeat of the latest proof is a no-op.
func (s *State) CommitLockUpdate(payer Party, u LockUpdate, p SignedProof, now uint64) error {
	o, st, err := s.checkLockUpdate(payer, u, p, now)
	if err != nil || o == OutcomeRepeat {
		return err
	}
	s.commitLocks(payer, p, st)
	return nil
}

func (s *State) checkLockUpdate(payer Party, u LockUpdate, p SignedProof, now uint64) (Outcome, lockStep, error) {
	// No gap: the receiver must see every change to the lock set it commits to.
	o, err := s.checkHeader(payer, &p, false)
	if err != nil || o == OutcomeRepeat {
		return o, lockStep{}, err
	}
	// The receiver takes an add whose lock has already expired in its view: the payer
	// priced it from a chain view behind ours. Such a lock costs the receiver nothing (it
	// goes back to the payer on chain unless its secret was registered in time), and
	// refusing the proof would leave the channel a nonce apart for good, since the payer
	// counts it sent. The node then refuses the lock (too short to forward or to reveal)
	// and the payer cancels it (ADR 0039).
	stepNow := now
	if u.Change == LockAdd {
		stepNow = 0
	}
	st, err := s.stepLocks(payer, u, stepNow)
	if err != nil {
		return 0, lockStep{}, err
	}
	switch {
	case p.Transferred.Cmp(st.transferred) != 0:
		return 0, lockStep{}, fmt.Errorf("channel %s: %s proof %d transferred %s, want %s: %w",
			s.params.ID, u.Change, p.Nonce, p.Transferred, st.transferred, ErrLocksMismatch)
	case !sameAmount(p.Locked, st.locked):
		return 0, lockStep{}, fmt.Errorf("channel %s: %s proof %d locked %v, want %v: %w",
			s.params.ID, u.Change, p.Nonce, p.Locked, st.locked, ErrLocksMismatch)
	case p.LocksRoot != st.set.root:
		return 0, lockStep{}, fmt.Errorf("channel %s: %s proof %d locks root %x, want %x: %w",
			s.params.ID, u.Change, p.Nonce, p.LocksRoot, st.set.root, ErrLocksMismatch)
	}
	return OutcomeNew, st, nil
}

// commitLocks installs a checked lock-aware proof and its lock set.
func (s *State) commitLocks(payer Party, p SignedProof, st lockStep) {
	side := &s.sides[payer]
	s.commit(payer, &p)
	side.Sent.Locked = st.locked
	side.Sent.LocksRoot = st.set.root
	s.installLocks(payer, &st.set)
	s.pruneRefusals(payer)
}
