package store

import (
	"errors"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

// v2 is the schema of the binaries before the tombstones were versioned: version 2,
// reached from 1 by the lock-set migration.
var v2 = Options{schema: schema{version: 2, migrations: map[uint32]migration{1: migrateLockSetsV2}}}

// A database with tombstones is at version 3, so a version 2 binary, which reads no 't'
// record (it could neither rebuild an older list of ours for the unlock nor prune them),
// refuses it with ErrNewerSchema instead of running on without them. A version 2
// database opens and migrates to 3 with its records unchanged, and the tombstones
// written after it read back.
func TestTombstonesNeedSchemaVersion3(t *testing.T) {
	ch := testChannelID(7)
	tomb := Tombstone{Lock: testLock(1), Added: 3, Removed: 5}

	s, dir := openTemp(t, Options{})
	commit(t, s, func(b *Batch) error { b.putTombstone(ch, channel.PartyA, &tomb); return nil })
	s.Close()
	if v := schemaVersionOnDisk(t, dir); v != 3 || SchemaVersion != 3 {
		t.Fatalf("a database written with tombstones is at version %d (SchemaVersion %d), want 3", v, SchemaVersion)
	}
	if _, err := Open(dir, v2); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("a version 2 binary opened a database with tombstones: %v, want ErrNewerSchema", err)
	}

	old, oldDir := openTemp(t, v2)
	commit(t, old, func(b *Batch) error {
		if err := putPayment(b, ch, 1); err != nil {
			return err
		}
		putAdds(t, b, ch, channel.PartyB, 1, nil, testLock(2))
		return nil
	})
	old.Close()
	if v := schemaVersionOnDisk(t, oldDir); v != 2 {
		t.Fatalf("fixture at version %d, want 2", v)
	}
	s, err := Open(oldDir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, ok, err := s.GetLocks(ch, channel.PartyB); err != nil || !ok || len(got.Locks) != 1 || got.Locks[0].SecretHash != testLock(2).SecretHash {
		t.Fatalf("lock set after the migration: %+v, %v, %v", got, ok, err)
	}
	if _, ok, err := s.GetPayment(testPaymentID(1)); err != nil || !ok {
		t.Fatalf("payment after the migration: %v, %v", ok, err)
	}
	commit(t, s, func(b *Batch) error { b.putTombstone(ch, channel.PartyA, &tomb); return nil })
	if ts, _, err := s.Tombstones(ch, channel.PartyA); err != nil || len(ts) != 1 || ts[0].Added != 3 || ts[0].Removed != 5 {
		t.Fatalf("tombstones after the migration: %+v, %v", ts, err)
	}
	if rep, err := s.Check(); err != nil || rep.BadCount != 0 || rep.Tombstones != 1 {
		t.Fatalf("check after the migration: %+v, %v", rep, err)
	}
	s.Close()
	if v := schemaVersionOnDisk(t, oldDir); v != 3 {
		t.Fatalf("version after the migration %d, want 3", v)
	}
}
