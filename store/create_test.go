package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/syndtr/goleveldb/leveldb"
)

// interruptedCreate leaves dir as a process killed right after leveldb wrote its first
// manifest leaves it: a manifest, LOCK and LOG, no CURRENT and no journal.
func interruptedCreate(t *testing.T, dir string) {
	t.Helper()
	db, err := leveldb.OpenFile(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, pattern := range []string{"CURRENT", "*.log"} {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, f := range files {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestOpenFinishesACreationKilledBeforeCurrentWasWritten(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra func(dir string) error
	}{
		{"manifest only", func(string) error { return nil }},
		{"half-written pending CURRENT", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "CURRENT.1"), []byte("MANIF"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "db")
			interruptedCreate(t, dir)
			if err := tc.extra(dir); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir, Options{})
			if err != nil {
				t.Fatalf("open after an interrupted creation: %v", err)
			}
			defer s.Close()
			commit(t, s, func(b *Batch) error { return putPayment(b, testChannelID(1), 1) })
		})
	}
}

func TestOpenLeavesDirectoryWithRecordsButNoCurrentToRecovery(t *testing.T) {
	s, dir := openTemp(t, Options{})
	commit(t, s, func(b *Batch) error { return putPayment(b, testChannelID(1), 1) })
	s.Close()
	if err := os.Remove(filepath.Join(dir, "CURRENT")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err %v, want ErrCorrupt: a journal holds records, so it is not a fresh directory", err)
	}
	if _, err := os.Stat(onlyFile(t, dir, "*.log")); err != nil {
		t.Fatalf("the journal was touched: %v", err)
	}
}
