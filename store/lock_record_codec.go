package store

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"math/big"
	"slices"

	"github.com/sluicepay/sluice/channel"
)

// Lock set encodings (schema version 2):
//
//	header 'l' id(32) payer(1)          -> nonce(8) 0x80 count(1) root(32), 42 bytes
//	lock   'l' id(32) payer(1) hash(32) -> seq(8) amount(16) expiration(8), 32 bytes
//
// seq is the nonce of the proof that added the lock, so sorting a set's locks by seq
// recovers the creation order LocksRoot hashes. The 0x80 byte sits where version 1 kept
// the lock count (at most 64), so a record of the old layout is never read as a header.
const (
	lockHeaderLen    = 8 + 1 + 1 + 32
	lockEntryLen     = 8 + 16 + 8
	lockHeaderFormat = 0x80
)

func encodeLockHeader(nonce uint64, count int, root [32]byte) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, lockHeaderLen), nonce)
	b = append(b, lockHeaderFormat, byte(count))
	return append(b, root[:]...)
}

type lockHeader struct {
	nonce uint64
	count int
	root  [32]byte
}

func decodeLockHeader(b []byte) (lockHeader, error) {
	if len(b) != lockHeaderLen {
		return lockHeader{}, fmt.Errorf("header of %d bytes, want %d: %w", len(b), lockHeaderLen, errShort)
	}
	if b[8] != lockHeaderFormat {
		return lockHeader{}, fmt.Errorf("header format %#x, want %#x (a version 1 record left unmigrated?)", b[8], lockHeaderFormat)
	}
	h := lockHeader{nonce: binary.BigEndian.Uint64(b[:8]), count: int(b[9]), root: [32]byte(b[10:])}
	switch {
	case h.count == 0 || h.count > channel.MaxLocks:
		return lockHeader{}, fmt.Errorf("header counts %d locks, want 1..%d", h.count, channel.MaxLocks)
	case h.root == [32]byte{}:
		return lockHeader{}, fmt.Errorf("header of %d locks with root zero", h.count)
	}
	return h, nil
}

// encodeLockEntry encodes a lock whose amount PutLockChange validated (uint128, > 0).
func encodeLockEntry(seq uint64, l *channel.Lock) []byte {
	b := make([]byte, lockEntryLen)
	binary.BigEndian.PutUint64(b[0:8], seq)
	l.Amount.FillBytes(b[8:24])
	binary.BigEndian.PutUint64(b[24:32], l.Expiration)
	return b
}

type lockEntry struct {
	seq  uint64
	lock channel.Lock
}

func decodeLockEntry(hash [32]byte, b []byte) (lockEntry, error) {
	if len(b) != lockEntryLen {
		return lockEntry{}, fmt.Errorf("lock %x: %d bytes, want %d: %w", hash, len(b), lockEntryLen, errShort)
	}
	e := lockEntry{seq: binary.BigEndian.Uint64(b[0:8]), lock: channel.Lock{
		Amount: new(big.Int).SetBytes(b[8:24]), Expiration: binary.BigEndian.Uint64(b[24:32]), SecretHash: hash,
	}}
	if e.lock.Amount.Sign() == 0 {
		return lockEntry{}, fmt.Errorf("lock %x: zero amount", hash)
	}
	return e, nil
}

// lockSetReader assembles one direction's set from a scan of its keys (header first).
type lockSetReader struct {
	header  []byte
	entries []lockEntry
	bad     error
}

func (r *lockSetReader) add(key, val []byte) {
	if r.bad != nil {
		return
	}
	switch len(key) {
	case locksKeyLen:
		r.header = bytes.Clone(val)
	case lockEntryKeyLen:
		e, err := decodeLockEntry([32]byte(key[locksKeyLen:]), val)
		if err != nil {
			r.bad = err
			return
		}
		r.entries = append(r.entries, e)
	default:
		r.bad = fmt.Errorf("locks key of %d bytes", len(key))
	}
}

// finish checks the set against its header: as many locks as it counts, each added by a
// proof no later than the header's, in an unambiguous order, hashing to its root. Lock
// keys without a header (left by DeleteChannel) read as no set.
func (r *lockSetReader) finish(id channel.ID, payer channel.Party) (LockSetRecord, bool, error) {
	bad := func(err error) (LockSetRecord, bool, error) {
		return LockSetRecord{}, false, fmt.Errorf("decode locks of channel %s payer %s: %w", id, payer, err)
	}
	if r.bad != nil {
		return bad(r.bad)
	}
	if r.header == nil {
		return LockSetRecord{}, false, nil
	}
	h, err := decodeLockHeader(r.header)
	if err != nil {
		return bad(err)
	}
	if len(r.entries) != h.count {
		return bad(fmt.Errorf("header counts %d locks, %d stored", h.count, len(r.entries)))
	}
	slices.SortFunc(r.entries, func(a, b lockEntry) int { return cmp.Compare(a.seq, b.seq) })
	locks := make([]channel.Lock, len(r.entries))
	seqs := make([]uint64, len(r.entries))
	for i, e := range r.entries {
		seqs[i] = e.seq
		if e.seq > h.nonce {
			return bad(fmt.Errorf("lock %x added at nonce %d, after the header's %d", e.lock.SecretHash, e.seq, h.nonce))
		}
		if i > 0 && r.entries[i-1].seq == e.seq {
			return bad(fmt.Errorf("two locks added at nonce %d", e.seq))
		}
		locks[i] = e.lock
	}
	root, err := channel.LocksRoot(locks)
	if err != nil {
		return bad(err)
	}
	if root != h.root {
		return bad(fmt.Errorf("locks hash to %x, header root %x", root, h.root))
	}
	return LockSetRecord{Nonce: h.nonce, Locks: locks, Seqs: seqs, Root: root}, true, nil
}

// decodeLockSetV1 decodes a schema version 1 record: nonce(8) then channel.AppendLocks.
func decodeLockSetV1(b []byte) (LockSetRecord, error) {
	if len(b) < 8 {
		return LockSetRecord{}, fmt.Errorf("%d bytes: %w", len(b), errShort)
	}
	locks, err := channel.DecodeLocks(b[8:])
	if err != nil {
		return LockSetRecord{}, err
	}
	return LockSetRecord{Nonce: binary.BigEndian.Uint64(b[:8]), Locks: locks}, nil
}

func decodeSecret(hash [32]byte, b []byte) ([32]byte, error) {
	var secret [32]byte
	if len(b) != 32 {
		return secret, fmt.Errorf("decode secret %x: %d bytes, want 32", hash, len(b))
	}
	copy(secret[:], b)
	if channel.SecretHash(secret) != hash {
		return [32]byte{}, fmt.Errorf("decode secret %x: stored secret does not hash to its key", hash)
	}
	return secret, nil
}
