package store

import (
	"encoding/hex"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv"
)

// CheckReport counts the records of each kind and lists those that do not decode.
type CheckReport struct {
	Channels, Proofs, Payments, IndexEntries, Peers, Ops, Meta int
	// LockSets counts directions with pending locks; Secrets the known hashlock secrets.
	LockSets, Secrets int
	// OrphanLocks counts lock keys without their set's header (DeleteChannel leaves
	// them); readers ignore them, so they are harmless.
	OrphanLocks int
	// Tombstones counts removed locks of our own direction kept for LocksAt (ADR 0037).
	Tombstones int
	// PendingOps counts the operations not yet mined (what a restart resumes); Ops counts
	// every recorded one, finished ones included.
	PendingOps int
	Cursor     bool
	// StaleIndex counts index entries whose payment was rewritten with another time or
	// channel; listings skip them, so they are harmless.
	StaleIndex int
	// Bad describes the first maxBadReported undecodable records; BadCount counts all.
	Bad      []string
	BadCount int
}

const maxBadReported = 100

func (r *CheckReport) bad(key []byte, err error) {
	r.BadCount++
	if len(r.Bad) < maxBadReported {
		r.Bad = append(r.Bad, fmt.Sprintf("key %s: %v", hex.EncodeToString(key), err))
	}
}

// Check reads and decodes every record, so an operator learns what is damaged before
// trusting the store (and after Recover). On leveldb it reads a consistent snapshot; on
// etcd records written during the check may or may not be counted.
func (s *Store) Check() (CheckReport, error) {
	rep, err := checkDB(s.kv)
	if err != nil {
		return rep, fmt.Errorf("check store %s: %w", s.path, s.translateReadError(err))
	}
	return rep, nil
}

func checkDB(db kv.Backend) (CheckReport, error) {
	var rep CheckReport
	err := db.Scan(kv.Range{}, func(key, val []byte) error {
		if err := checkRecord(db, &rep, key, val); err != nil {
			rep.bad(key, err)
		}
		return nil
	})
	return rep, err
}

// checkRecord decodes one record according to its key prefix.
func checkRecord(snap kv.Backend, rep *CheckReport, key, val []byte) error {
	if len(key) == 0 {
		return fmt.Errorf("empty key")
	}
	var err error
	switch key[0] {
	case prefixSchema:
		if len(val) != 4 {
			err = fmt.Errorf("schema version of %d bytes", len(val))
		}
	case prefixChannel:
		rep.Channels++
		_, err = decodeChannel(val)
	case prefixProof:
		rep.Proofs++
		if len(key) != 34 {
			return fmt.Errorf("proof key of %d bytes", len(key))
		}
		_, err = decodeProof(channel.ID(key[1:33]), val)
	case prefixPayment:
		rep.Payments++
		if len(key) != 17 {
			return fmt.Errorf("payment key of %d bytes", len(key))
		}
		_, err = decodePayment(PaymentID(key[1:]), val)
	case prefixPaymentIndex:
		rep.IndexEntries++
		err = checkIndexEntry(snap, rep, key)
	case prefixPeer:
		rep.Peers++
		_, err = decodePeer(common.BytesToAddress(key[1:]), val)
	case prefixCursor:
		rep.Cursor = true
		_, err = decodeCursor(val)
	case prefixOp:
		rep.Ops++
		if len(key) != 33 {
			return fmt.Errorf("op key of %d bytes", len(key))
		}
		var op OpRecord
		if op, err = decodeOp(OpID(key[1:]), val); err == nil && op.State != OpMined {
			rep.PendingOps++
		}
	case prefixMeta:
		rep.Meta++
	case prefixLocks, prefixSecret:
		err = checkLockRecord(snap, rep, key, val)
	case prefixRouted, prefixRoutedIndex:
		err = checkRoutedRecord(key, val)
	case prefixTombstone:
		err = checkTombstoneRecord(rep, key, val)
	default:
		err = fmt.Errorf("unknown key prefix %#x", key[0])
	}
	return err
}

func checkIndexEntry(snap kv.Backend, rep *CheckReport, key []byte) error {
	if len(key) != paymentIndexKeyLen {
		return fmt.Errorf("payment index key of %d bytes", len(key))
	}
	id := PaymentID(key[41:])
	raw, found, err := snap.Get(paymentKey(id))
	if err != nil {
		return fmt.Errorf("indexed payment %s: %w", id, err)
	}
	if !found {
		return fmt.Errorf("indexed payment %s: not found", id)
	}
	rec, err := decodePayment(id, raw)
	if err != nil {
		return err
	}
	if rec.Channel != channel.ID(key[1:33]) || string(paymentIndexKey(rec.Channel, timeKey(rec.Time), id)) != string(key) {
		rep.StaleIndex++
	}
	return nil
}
