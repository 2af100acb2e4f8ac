package store

import (
	"encoding/binary"
	"fmt"

	"github.com/sluicepay/sluice/channel"
)

// Hashlock records (issue 17). A direction's pending locks are one record, rewritten by
// every lock update in the same Batch as the proof that commits to them, so the proof and
// its lock set reach disk together or not at all: a lock (or an unlock) that was
// acknowledged is never lost, and never on disk without its proof. Direct payments do not
// touch it (the set is unchanged), so the payment path keeps its one 105-byte write.
// Known secrets are kept by hash; a secret is stored before it is revealed or acted on.
const (
	prefixLocks  byte = 'l' // 'l' id(32) payer(1) -> nonce(8) channel.AppendLocks encoding
	prefixSecret byte = 'h' // 'h' secret hash(32) -> secret(32)
)

const (
	locksKeyLen  = 1 + 32 + 1
	secretKeyLen = 1 + 32
)

// LockSetRecord is the pending lock set of one direction as of the proof with Nonce, the
// latest lock update of that direction (later direct payments keep the set). An empty
// set has no record.
type LockSetRecord struct {
	Nonce uint64
	Locks []channel.Lock // creation order, as LocksRoot hashes them
}

func locksKey(id channel.ID, payer channel.Party) []byte {
	k := make([]byte, 0, locksKeyLen)
	k = append(k, prefixLocks)
	k = append(k, id[:]...)
	return append(k, byte(payer))
}

func secretKey(hash [32]byte) []byte {
	return append([]byte{prefixSecret}, hash[:]...)
}

func encodeLockSet(r *LockSetRecord) ([]byte, error) {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+1+len(r.Locks)*channel.LockSize), r.Nonce)
	return channel.AppendLocks(b, r.Locks)
}

func decodeLockSet(ch channel.ID, payer channel.Party, b []byte) (LockSetRecord, error) {
	if len(b) < 8 {
		return LockSetRecord{}, fmt.Errorf("decode locks of channel %s payer %s: %d bytes: %w", ch, payer, len(b), errShort)
	}
	locks, err := channel.DecodeLocks(b[8:])
	if err != nil {
		return LockSetRecord{}, fmt.Errorf("decode locks of channel %s payer %s: %w", ch, payer, err)
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

// PutLocks stores payer's pending lock set in channel id as of the proof with nonce,
// replacing the previous set. Put it in the batch that puts that proof. An empty set
// deletes the record.
func (b *Batch) PutLocks(id channel.ID, payer channel.Party, nonce uint64, locks []channel.Lock) error {
	if payer > channel.PartyB {
		return b.fail(fmt.Errorf("put locks of channel %s: payer %d is not A or B", id, payer))
	}
	if len(locks) == 0 {
		b.lb.Delete(locksKey(id, payer))
		return nil
	}
	val, err := encodeLockSet(&LockSetRecord{Nonce: nonce, Locks: locks})
	if err != nil {
		return b.fail(fmt.Errorf("put locks of channel %s payer %s: %w", id, payer, err))
	}
	b.lb.Put(locksKey(id, payer), val)
	return nil
}

// PutSecret stores a known secret under its hash. Secrets are never deleted by the store:
// the same hash may guard locks on other channels (a route).
func (b *Batch) PutSecret(secret [32]byte) {
	h := channel.SecretHash(secret)
	b.lb.Put(secretKey(h), secret[:])
}

// deleteLocks is DeleteChannel's share of the lock records.
func (b *Batch) deleteLocks(id channel.ID) {
	b.lb.Delete(locksKey(id, channel.PartyA))
	b.lb.Delete(locksKey(id, channel.PartyB))
}

// GetLocks returns payer's pending lock set in channel id; found is false when it has none.
func (s *Store) GetLocks(id channel.ID, payer channel.Party) (rec LockSetRecord, found bool, err error) {
	if payer > channel.PartyB {
		return rec, false, fmt.Errorf("read locks of channel %s: payer %d is not A or B", id, payer)
	}
	raw, ok, err := s.get(locksKey(id, payer))
	if err != nil {
		return rec, false, wrapRead(fmt.Sprintf("locks of channel %s paid by %s", id, payer), err)
	}
	if !ok {
		return rec, false, nil
	}
	rec, err = decodeLockSet(id, payer, raw)
	if err != nil {
		return LockSetRecord{}, false, s.corrupt(err)
	}
	return rec, true, nil
}

// GetSecret returns the secret whose keccak256 is hash, if it is known.
func (s *Store) GetSecret(hash [32]byte) (secret [32]byte, found bool, err error) {
	raw, ok, err := s.get(secretKey(hash))
	if err != nil {
		return secret, false, wrapRead(fmt.Sprintf("secret %x", hash), err)
	}
	if !ok {
		return secret, false, nil
	}
	secret, err = decodeSecret(hash, raw)
	if err != nil {
		return [32]byte{}, false, s.corrupt(err)
	}
	return secret, true, nil
}

// checkLockRecord decodes a lock or secret record for Check.
func checkLockRecord(rep *CheckReport, key, val []byte) error {
	switch key[0] {
	case prefixLocks:
		rep.LockSets++
		if len(key) != locksKeyLen || key[33] > byte(channel.PartyB) {
			return fmt.Errorf("locks key of %d bytes", len(key))
		}
		_, err := decodeLockSet(channel.ID(key[1:33]), channel.Party(key[33]), val)
		return err
	default:
		rep.Secrets++
		if len(key) != secretKeyLen {
			return fmt.Errorf("secret key of %d bytes", len(key))
		}
		_, err := decodeSecret([32]byte(key[1:]), val)
		return err
	}
}
