package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syndtr/goleveldb/leveldb"

	"github.com/sluicepay/sluice/store/kv"
)

func schemaVersionOnDisk(t *testing.T, path string) uint32 {
	t.Helper()
	db, err := leveldb.OpenFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw, err := db.Get(schemaKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	return binary.BigEndian.Uint32(raw)
}

func TestOpenStampsNewDatabaseWithCurrentVersion(t *testing.T) {
	s, dir := openTemp(t, Options{})
	s.Close()
	if v := schemaVersionOnDisk(t, dir); v != SchemaVersion {
		t.Fatalf("version %d, want %d", v, SchemaVersion)
	}
}

func TestOpenRefusesNewerSchemaNamingPathAndVersions(t *testing.T) {
	s, dir := openTemp(t, Options{schema: schema{version: SchemaVersion + 2}})
	s.Close()
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{dir, fmt.Sprintf("version %d", SchemaVersion+2), fmt.Sprintf("up to %d", SchemaVersion)} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not mention %q", err, want)
		}
	}
}

// v1 is a database layout at version 1 with no migrations, for the tests that start there.
var v1 = Options{schema: schema{version: 1, migrations: map[uint32]migration{}}}

func TestOpenRunsMigrationsInOrderExactlyOnce(t *testing.T) {
	s, dir := openTemp(t, v1)
	commit(t, s, func(b *Batch) error { return putPayment(b, testChannelID(1), 1) })
	s.Close()

	var ran []string
	step := func(name string) migration {
		return func(db kv.Backend, out *kv.Batch) error {
			if _, found, err := db.Get(paymentKey(testPaymentID(1))); err != nil || !found {
				return fmt.Errorf("payment 1: found %v, err %v", found, err)
			}
			ran = append(ran, name)
			k, _ := metaKey("migrations", name)
			out.Put(k, []byte("done"))
			return nil
		}
	}
	v3 := schema{version: 3, migrations: map[uint32]migration{1: step("1to2"), 2: step("2to3")}}
	s, err := Open(dir, Options{schema: v3})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"1to2", "2to3"} {
		if v, ok, _ := s.GetMeta("migrations", name); !ok || string(v) != "done" {
			t.Fatalf("migration %s left no trace", name)
		}
	}
	s.Close()
	if v := schemaVersionOnDisk(t, dir); v != 3 {
		t.Fatalf("version after migration %d, want 3", v)
	}
	s, err = Open(dir, Options{schema: v3})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(ran) != 2 || ran[0] != "1to2" || ran[1] != "2to3" {
		t.Fatalf("migrations ran %v, want [1to2 2to3] once", ran)
	}
}

func TestFailedMigrationLeavesVersionUnchanged(t *testing.T) {
	s, dir := openTemp(t, v1)
	s.Close()
	boom := errors.New("boom")
	v2 := schema{version: 2, migrations: map[uint32]migration{1: func(kv.Backend, *kv.Batch) error { return boom }}}
	if _, err := Open(dir, Options{schema: v2}); !errors.Is(err, boom) || !strings.Contains(err.Error(), "migrate schema 1 to 2") {
		t.Fatalf("err %v, want the migration's error named", err)
	}
	if v := schemaVersionOnDisk(t, dir); v != 1 {
		t.Fatalf("version %d after failed migration, want 1", v)
	}
	if _, err := Open(dir, Options{schema: schema{version: 2}}); err == nil || !strings.Contains(err.Error(), "no migration from schema version 1") {
		t.Fatalf("missing migration: %v", err)
	}
}

func TestOpenRefusesForeignOrDamagedVersionKey(t *testing.T) {
	for _, tc := range []struct {
		name  string
		key   []byte
		value []byte
		want  error
	}{
		{"leveldb without a schema key", []byte("foreign"), []byte("x"), nil},
		{"version key of wrong length", schemaKey, []byte{1}, ErrCorrupt},
		{"version zero", schemaKey, []byte{0, 0, 0, 0}, ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			db, err := leveldb.OpenFile(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Put(tc.key, tc.value, nil); err != nil {
				t.Fatal(err)
			}
			db.Close()
			_, err = Open(dir, Options{})
			if err == nil || !strings.Contains(err.Error(), dir) {
				t.Fatalf("err %v, want a failure naming %s", err, dir)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}
