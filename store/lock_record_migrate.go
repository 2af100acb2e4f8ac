package store

import (
	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// migrateLockSetsV2 upgrades schema version 1 to 2 (ADR 0033): each direction's pending
// lock set, one record of the whole set in version 1, becomes a header and one key per
// lock. The locks get sequence numbers 0..n-1 in their stored order; every later lock is
// added by a proof whose nonce is above the header's, and the header's nonce is at least
// n (each pending lock came with a proof of its own), so the order LocksRoot hashes is
// kept. A record that does not decode is left as it was: GetLocks and Check report it as
// damaged, as they did in version 1, instead of Open refusing the whole store.
func migrateLockSetsV2(db kv.Backend, out *kv.Batch) error {
	return db.Scan(kv.PrefixRange([]byte{prefixLocks}), func(key, val []byte) error {
		if len(key) != locksKeyLen || key[33] > byte(channel.PartyB) {
			return nil
		}
		rec, err := decodeLockSetV1(val)
		if err != nil || len(rec.Locks) == 0 {
			return nil
		}
		root, err := channel.LocksRoot(rec.Locks)
		if err != nil {
			return nil
		}
		id, payer := channel.ID(key[1:33]), channel.Party(key[33])
		out.Put(locksKey(id, payer), encodeLockHeader(rec.Nonce, len(rec.Locks), root))
		for i := range rec.Locks {
			out.Put(lockEntryKey(id, payer, rec.Locks[i].SecretHash), encodeLockEntry(uint64(i), &rec.Locks[i]))
		}
		return nil
	})
}
