package channel

import (
	"encoding/binary"
	"fmt"
)

// LockSize is the length of a Lock's binary form (the store's and the wire's, not the
// ABI's): amount 16 (uint128 big-endian) | expiration 8 (big-endian) | secret hash 32.
const LockSize = 16 + 8 + 32

// AppendLocks appends a pending set: count(1) then each lock in order. It refuses what
// no State holds: more than MaxLocks, a zero or out-of-range amount, a repeated hash.
func AppendLocks(b []byte, locks []Lock) ([]byte, error) {
	if len(locks) > MaxLocks {
		return b, fmt.Errorf("encode locks: %d, at most %d: %w", len(locks), MaxLocks, ErrTooManyLocks)
	}
	for i := range locks {
		if err := checkLockAmount(locks[i].Amount); err != nil {
			return b, fmt.Errorf("encode lock %d: %w", i, err)
		}
		if lockIndex(locks[:i], locks[i].SecretHash) >= 0 {
			return b, fmt.Errorf("encode lock %d: %w", i, ErrDuplicateLock)
		}
	}
	b = append(b, byte(len(locks)))
	for i := range locks {
		b = appendLock(b, &locks[i])
	}
	return b, nil
}

func appendLock(b []byte, l *Lock) []byte {
	n := len(b)
	b = append(b, make([]byte, LockSize)...)
	out := b[n:]
	l.Amount.FillBytes(out[0:16])
	binary.BigEndian.PutUint64(out[16:24], l.Expiration)
	copy(out[24:56], l.SecretHash[:])
	return b
}

// DecodeLocks decodes exactly one AppendLocks encoding. Whatever it accepts, AppendLocks
// encodes back to the same bytes. Errors wrap ErrMalformed.
func DecodeLocks(data []byte) ([]Lock, error) {
	if len(data) < 1 {
		return nil, fmt.Errorf("decode locks: empty: %w", ErrMalformed)
	}
	n := int(data[0])
	if n > MaxLocks {
		return nil, fmt.Errorf("decode locks: count %d above %d: %w", n, MaxLocks, ErrMalformed)
	}
	if len(data) != 1+n*LockSize {
		return nil, fmt.Errorf("decode locks: %d bytes for %d locks, want %d: %w", len(data), n, 1+n*LockSize, ErrMalformed)
	}
	if n == 0 {
		return nil, nil
	}
	locks := make([]Lock, n)
	for i := range locks {
		if err := decodeLock(&locks[i], data[1+i*LockSize:1+(i+1)*LockSize]); err != nil {
			return nil, fmt.Errorf("decode lock %d: %w", i, err)
		}
		if lockIndex(locks[:i], locks[i].SecretHash) >= 0 {
			return nil, fmt.Errorf("decode lock %d: repeated secret hash: %w", i, ErrMalformed)
		}
	}
	return locks, nil
}

func decodeLock(l *Lock, b []byte) error {
	l.Amount = newAmount().SetBytes(b[0:16])
	if l.Amount.Sign() == 0 {
		return fmt.Errorf("zero amount: %w", ErrMalformed)
	}
	l.Expiration = binary.BigEndian.Uint64(b[16:24])
	copy(l.SecretHash[:], b[24:56])
	return nil
}

// MarshalBinary encodes u: change(1), then the lock (add, LockSize bytes), the secret
// (unlock, 32) or the secret hash (expire or cancel, 32).
func (u LockUpdate) MarshalBinary() ([]byte, error) {
	b := []byte{byte(u.Change)}
	switch u.Change {
	case LockAdd:
		if err := checkLockAmount(u.Lock.Amount); err != nil {
			return nil, fmt.Errorf("encode lock update: %w", err)
		}
		return appendLock(b, &u.Lock), nil
	case LockUnlock:
		return append(b, u.Secret[:]...), nil
	case LockExpire, LockCancel:
		return append(b, u.SecretHash[:]...), nil
	}
	return nil, fmt.Errorf("encode lock update %s: %w", u.Change, ErrBadLockUpdate)
}

// UnmarshalBinary decodes exactly one MarshalBinary encoding, leaving u untouched on
// error. Errors wrap ErrMalformed.
func (u *LockUpdate) UnmarshalBinary(data []byte) error {
	if len(data) < 1 {
		return fmt.Errorf("decode lock update: empty: %w", ErrMalformed)
	}
	var out LockUpdate
	out.Change = LockChange(data[0])
	body := data[1:]
	switch out.Change {
	case LockAdd:
		if len(body) != LockSize {
			return fmt.Errorf("decode lock update: add of %d bytes, want %d: %w", len(body), LockSize, ErrMalformed)
		}
		if err := decodeLock(&out.Lock, body); err != nil {
			return fmt.Errorf("decode lock update: %w", err)
		}
	case LockUnlock, LockExpire, LockCancel:
		if len(body) != 32 {
			return fmt.Errorf("decode lock update: %s of %d bytes, want 32: %w", out.Change, len(body), ErrMalformed)
		}
		if out.Change == LockUnlock {
			copy(out.Secret[:], body)
		} else {
			copy(out.SecretHash[:], body)
		}
	default:
		return fmt.Errorf("decode lock update: kind %d: %w", data[0], ErrMalformed)
	}
	*u = out
	return nil
}
