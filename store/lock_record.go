package store

import (
	"fmt"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// Hashlock records (issue 17, ADR 0033). A direction's pending locks are one key per lock
// plus a small header, written by every lock update in the same Batch as the proof that
// commits to them, so the proof and its lock set reach disk together or not at all: a
// lock (or an unlock) that was acknowledged is never lost, and never on disk without its
// proof. A lock update writes only what it changes: the lock it adds or deletes and the
// header (nonce, count, root), about 100 bytes whatever the number of locks pending.
// Direct payments do not touch them (the set is unchanged), so the payment path keeps
// its one 105-byte write. Known secrets are kept by hash; a secret is stored before it is
// revealed or acted on.
const (
	prefixLocks  byte = 'l' // 'l' id(32) payer(1) -> lock set header; + hash(32) -> one lock
	prefixSecret byte = 'h' // 'h' secret hash(32) -> secret(32)
)

const (
	locksKeyLen     = 1 + 32 + 1
	lockEntryKeyLen = locksKeyLen + 32
	secretKeyLen    = 1 + 32
)

// LockSetRecord is the pending lock set of one direction as of the proof with Nonce, the
// latest lock update of that direction (later direct payments keep the set). An empty
// set has no record.
type LockSetRecord struct {
	Nonce uint64
	Locks []channel.Lock // creation order, as LocksRoot hashes them
	Seqs  []uint64       // the nonce that added each of Locks (ADR 0037)
	Root  [32]byte       // LocksRoot(Locks), as the header recorded it
}

// LockChange is one lock update of a direction, as PutLockChange stores it.
type LockChange struct {
	Nonce  uint64             // the proof making the change
	Root   [32]byte           // that proof's LocksRoot
	Count  int                // locks pending after the change
	Update channel.LockUpdate // LockAdd stores Update.Lock; the others delete the lock they name
	// Ours marks payer as this node (ADR 0037): a removal then keeps the removed lock as a
	// tombstone, Removed added at nonce Added, so any past list of ours can be rebuilt
	// (LocksAt). The partner's direction keeps none.
	Ours    bool
	Removed channel.Lock
	Added   uint64
}

func locksKey(id channel.ID, payer channel.Party) []byte {
	k := make([]byte, 0, lockEntryKeyLen)
	k = append(k, prefixLocks)
	k = append(k, id[:]...)
	return append(k, byte(payer))
}

func lockEntryKey(id channel.ID, payer channel.Party, hash [32]byte) []byte {
	return append(locksKey(id, payer), hash[:]...)
}

func secretKey(hash [32]byte) []byte {
	return append([]byte{prefixSecret}, hash[:]...)
}

// PutLockChange stores one lock update of payer's pending set in channel id: the lock it
// adds (ordered after every pending one by c.Nonce) or the deletion of the lock it
// removes, and the header of the set as of the proof with c.Nonce (deleted when no lock
// remains). Put it in the batch that puts that proof. Several changes may go in one
// batch, in order, each with a larger nonce than the last add; the last header wins.
func (b *Batch) PutLockChange(id channel.ID, payer channel.Party, c LockChange) error {
	if err := c.validate(payer); err != nil {
		return b.fail(fmt.Errorf("put lock change of channel %s payer %d: %w", id, payer, err))
	}
	var hash [32]byte
	switch u := &c.Update; u.Change {
	case channel.LockAdd:
		hash = u.Lock.SecretHash
		b.lb.Put(lockEntryKey(id, payer, hash), encodeLockEntry(c.Nonce, &u.Lock))
	case channel.LockUnlock:
		hash = channel.SecretHash(u.Secret)
		b.lb.Delete(lockEntryKey(id, payer, hash))
	default:
		hash = u.SecretHash
		b.lb.Delete(lockEntryKey(id, payer, hash))
	}
	if c.Ours && c.Update.Change != channel.LockAdd {
		b.putTombstone(id, payer, &Tombstone{Lock: c.Removed, Added: c.Added, Removed: c.Nonce})
	}
	if c.Count == 0 {
		b.lb.Delete(locksKey(id, payer))
		return nil
	}
	b.lb.Put(locksKey(id, payer), encodeLockHeader(c.Nonce, c.Count, c.Root))
	return nil
}

// validate refuses what no State produces.
func (c *LockChange) validate(payer channel.Party) error {
	switch {
	case payer > channel.PartyB:
		return fmt.Errorf("payer is not A or B")
	case c.Nonce == 0:
		return fmt.Errorf("nonce 0")
	case c.Count < 0 || c.Count > channel.MaxLocks:
		return fmt.Errorf("%d locks pending, at most %d: %w", c.Count, channel.MaxLocks, channel.ErrTooManyLocks)
	case (c.Count == 0) != (c.Root == [32]byte{}):
		return fmt.Errorf("%d locks pending with root %x", c.Count, c.Root)
	case c.Update.Change == channel.LockAdd && c.Count == 0:
		return fmt.Errorf("an add leaves no lock pending")
	}
	if _, err := c.Update.MarshalBinary(); err != nil { // kind and the added lock's amount
		return err
	}
	if !c.Ours || c.Update.Change == channel.LockAdd {
		return nil
	}
	hash := c.Update.SecretHash
	if c.Update.Change == channel.LockUnlock {
		hash = channel.SecretHash(c.Update.Secret)
	}
	switch a := c.Removed.Amount; {
	case c.Removed.SecretHash != hash:
		return fmt.Errorf("tombstone of lock %x for a removal of %x", c.Removed.SecretHash, hash)
	case c.Added >= c.Nonce:
		return fmt.Errorf("lock removed at nonce %d was added at %d", c.Nonce, c.Added)
	case a == nil || a.Sign() <= 0 || a.BitLen() > 128:
		return fmt.Errorf("tombstone amount %v not in 1..2^128-1", a)
	}
	return nil
}

// PutSecret stores a known secret under its hash. Secrets are never deleted by the store:
// the same hash may guard locks on other channels (a route).
func (b *Batch) PutSecret(secret [32]byte) {
	h := channel.SecretHash(secret)
	b.lb.Put(secretKey(h), secret[:])
}

// deleteLocks is DeleteChannel's share of the lock records: the headers. The batch cannot
// see which lock keys exist; a direction without a header reads as empty, so they are
// inert, and Check counts them (CheckReport.OrphanLocks).
func (b *Batch) deleteLocks(id channel.ID) {
	b.lb.Delete(locksKey(id, channel.PartyA))
	b.lb.Delete(locksKey(id, channel.PartyB))
}

// GetLocks returns payer's pending lock set in channel id; found is false when it has
// none. A set that does not match its header (count, order, root) is a CorruptError.
func (s *Store) GetLocks(id channel.ID, payer channel.Party) (rec LockSetRecord, found bool, err error) {
	if payer > channel.PartyB {
		return rec, false, fmt.Errorf("read locks of channel %s: payer %d is not A or B", id, payer)
	}
	rec, found, bad, err := readLockSet(s.kv, id, payer)
	if err != nil {
		return LockSetRecord{}, false, wrapRead(fmt.Sprintf("locks of channel %s paid by %s", id, payer), s.translateReadError(err))
	}
	if bad != nil {
		return LockSetRecord{}, false, s.corrupt(bad)
	}
	return rec, found, nil
}

// readLockSet reads and checks one direction's set; bad reports a set that does not decode.
func readLockSet(db kv.Backend, id channel.ID, payer channel.Party) (rec LockSetRecord, found bool, bad, err error) {
	var r lockSetReader
	err = db.Scan(kv.PrefixRange(locksKey(id, payer)), func(key, val []byte) error {
		r.add(key, val)
		return nil
	})
	if err != nil {
		return LockSetRecord{}, false, nil, err
	}
	rec, found, bad = r.finish(id, payer)
	return rec, found, bad, nil
}

// GetSecret returns the secret whose keccak256 is hash, if it is known.
func (s *Store) GetSecret(hash [32]byte) (secret [32]byte, found bool, err error) {
	k := secretKey(hash)
	if s.absent.absent(s.kv, k) {
		return secret, false, nil
	}
	raw, ok, err := s.get(k)
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

// checkLockRecord decodes a lock or secret record for Check. A header reads and checks its
// whole set; a lock key is checked with its set, or counted as an orphan without one.
func checkLockRecord(snap kv.Backend, rep *CheckReport, key, val []byte) error {
	if key[0] == prefixSecret {
		rep.Secrets++
		if len(key) != secretKeyLen {
			return fmt.Errorf("secret key of %d bytes", len(key))
		}
		_, err := decodeSecret([32]byte(key[1:]), val)
		return err
	}
	if (len(key) != locksKeyLen && len(key) != lockEntryKeyLen) || key[33] > byte(channel.PartyB) {
		return fmt.Errorf("locks key of %d bytes", len(key))
	}
	id, payer := channel.ID(key[1:33]), channel.Party(key[33])
	if len(key) == lockEntryKeyLen {
		if _, err := decodeLockEntry([32]byte(key[34:]), val); err != nil {
			return err
		}
		_, found, err := snap.Get(locksKey(id, payer))
		if err == nil && !found {
			rep.OrphanLocks++
		}
		return err
	}
	rep.LockSets++
	_, _, bad, err := readLockSet(snap, id, payer)
	if err != nil {
		return err
	}
	return bad
}
