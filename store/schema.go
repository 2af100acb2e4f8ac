package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"

	"github.com/sluicepay/sluice/store/kv"
)

// SchemaVersion is the key layout this binary reads and writes (documented in doc.go).
const SchemaVersion uint32 = 3

// migration upgrades a database from version n to n+1. It reads db and puts its changes
// into out; Open writes out together with the new version in one synced write, so a crash
// mid-upgrade leaves the database at n or at n+1, never in between.
type migration func(db kv.Backend, out *kv.Batch) error

type schema struct {
	version uint32
	// migrations[n] upgrades version n to n+1.
	migrations map[uint32]migration
}

// currentSchema is the table of record. Version 1 is the first; the table grows an entry
// for every version bump. Version 2 stores lock sets one key per lock (ADR 0033); version
// 3 adds the lock tombstones ('t', ADR 0037, ADR 0040).
func currentSchema() schema {
	return schema{version: SchemaVersion, migrations: map[uint32]migration{1: migrateLockSetsV2, 2: migrateTombstonesV3}}
}

// migrateTombstonesV3 upgrades version 2 to 3: nothing to convert (version 3 only adds
// the 't' records), but a binary of version 2 must not open a database that has them.
// It would read no tombstone, so it could not rebuild the list of an older proof of ours
// the partner put on chain (the unlock then fails, the held amount stays in the escrow),
// and it would never prune them. Databases written by the version 2 binaries that already
// wrote tombstones keep them as they are: the layout did not change.
func migrateTombstonesV3(kv.Backend, *kv.Batch) error { return nil }

func encodeVersion(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// checkSchema stamps a new database, refuses a newer one and migrates an older one.
func checkSchema(db kv.Backend, path string, sc schema, log *slog.Logger) error {
	raw, found, err := db.Get(schemaKey)
	if err != nil {
		return translateOpenError(path, err)
	}
	if !found {
		return stampNew(db, path, sc.version)
	}
	if len(raw) != 4 {
		return &CorruptError{Path: path, Err: fmt.Errorf("schema version key holds %d bytes, want 4", len(raw))}
	}
	v := binary.BigEndian.Uint32(raw)
	switch {
	case v == 0:
		return &CorruptError{Path: path, Err: errors.New("schema version 0")}
	case v > sc.version:
		return fmt.Errorf("open store %s: %w: it has schema version %d, this binary supports up to %d; run a newer sluice",
			path, ErrNewerSchema, v, sc.version)
	}
	for ; v < sc.version; v++ {
		m, ok := sc.migrations[v]
		if !ok {
			return fmt.Errorf("open store %s: no migration from schema version %d to %d", path, v, v+1)
		}
		var out kv.Batch
		if err := m(db, &out); err != nil {
			return fmt.Errorf("open store %s: migrate schema %d to %d: %w", path, v, v+1, err)
		}
		out.Put(schemaKey, encodeVersion(v+1))
		if _, err := db.Write([]*kv.Batch{&out}); err != nil {
			return fmt.Errorf("open store %s: write schema %d migration: %w", path, v+1, err)
		}
		log.Info("store: migrated schema", "path", path, "from", v, "to", v+1)
	}
	return nil
}

// stampNew writes the version into an empty database. A non-empty database without a
// version key was not written by sluice; adopting it could misread every record.
func stampNew(db kv.Backend, path string, version uint32) error {
	nonEmpty := false
	err := db.Scan(kv.Range{}, func(_, _ []byte) error {
		nonEmpty = true
		return kv.ErrStop
	})
	if err != nil {
		return translateOpenError(path, err)
	}
	if nonEmpty {
		return fmt.Errorf("open store %s: the database holds keys without a sluice schema version; refusing to use it", path)
	}
	var b kv.Batch
	b.Put(schemaKey, encodeVersion(version))
	if _, err := db.Write([]*kv.Batch{&b}); err != nil {
		return fmt.Errorf("open store %s: write schema version: %w", path, err)
	}
	return nil
}
