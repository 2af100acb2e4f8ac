package store

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/util"
)

func TestSecondOpenOfDirectoryFailsWithErrLockedNamingPath(t *testing.T) {
	_, dir := openTemp(t, Options{})
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "another process") {
		t.Fatalf("error %q does not name the path and say it is in use", err)
	}
	if _, err := Recover(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("Recover of an open store: %v, want ErrLocked", err)
	}
}

func corruptFile(t *testing.T, path string, from int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if from >= len(b) {
		t.Fatalf("%s has only %d bytes", path, len(b))
	}
	for i := from; i < len(b); i++ {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func onlyFile(t *testing.T, dir, pattern string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(files) != 1 {
		t.Fatalf("%s in %s: %v %v", pattern, dir, files, err)
	}
	return files[0]
}

func TestCorruptManifestFailsOpenAndRecoverRestoresEveryPayment(t *testing.T) {
	s, dir := openTemp(t, Options{})
	ch := testChannelID(1)
	seedPayments(t, s, ch, 20)
	s.Close()
	corruptFile(t, onlyFile(t, dir, "MANIFEST-*"), 10)

	_, err := Open(dir, Options{})
	var ce *CorruptError
	if !errors.Is(err, ErrCorrupt) || !errors.As(err, &ce) || ce.Path != dir {
		t.Fatalf("err %v, want a CorruptError for %s", err, dir)
	}
	if !strings.Contains(err.Error(), RecoverCommand) {
		t.Fatalf("error %q does not name the recovery command", err)
	}

	rep, err := Recover(dir)
	if err != nil {
		t.Fatalf("recover: %v", err)
	}
	// schema + one latest proof + 20 payments with index + 3 payments of another channel
	const wantKeys = 1 + 1 + 20*2 + 3*2
	if rep.Schema != SchemaVersion || rep.Keys != wantKeys || rep.Dropped != 0 || rep.Check.BadCount != 0 || rep.Check.Payments != 23 {
		t.Fatalf("report %+v: want schema %d, %d keys, 23 intact payments, nothing dropped", rep, SchemaVersion, wantKeys)
	}
	if _, err := os.Stat(filepath.Join(rep.BackupPath, filepath.Base(onlyFile(t, rep.BackupPath, "MANIFEST-*")))); err != nil {
		t.Fatalf("backup lacks the damaged manifest: %v", err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("open after recover: %v", err)
	}
	defer s.Close()
	if got := collectPayments(t, s, ch, PaymentQuery{}); len(got) != 20 {
		t.Fatalf("%d payments after recover, want 20", len(got))
	}
}

func TestCorruptTableSurfacesAsCorruptError(t *testing.T) {
	s, dir := openTemp(t, Options{})
	ch := testChannelID(1)
	seedPayments(t, s, ch, 500)
	s.Close()
	// Move everything from the journal into a table file, then damage the table.
	db, err := leveldb.OpenFile(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CompactRange(util.Range{}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tables, err := filepath.Glob(filepath.Join(dir, "*.ldb"))
	if err != nil || len(tables) == 0 {
		t.Fatalf("no table files in %s: %v", dir, err)
	}
	for _, table := range tables {
		corruptFile(t, table, 100)
	}

	s, err = Open(dir, Options{})
	if err == nil {
		defer s.Close()
		_, err = s.ListPayments(ch, PaymentQuery{Limit: MaxPageSize})
	}
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("err %v, want a CorruptError naming %s", err, dir)
	}
}

func TestDamagedJournalRecordIsReportedWhenOpening(t *testing.T) {
	s, dir := openTemp(t, Options{})
	ch := testChannelID(1)
	for i := uint64(1); i <= 200; i++ {
		commit(t, s, func(b *Batch) error { return putPayment(b, ch, i) })
	}
	s.Close()
	journal := onlyFile(t, dir, "*.log")
	b, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff // one bit flip in the middle of the journal
	if err := os.WriteFile(journal, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	s, err = Open(dir, Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatalf("open with a damaged journal record: %v", err)
	}
	s.Close()
	if !strings.Contains(logged.String(), "dropped") || !strings.Contains(logged.String(), dir) {
		t.Fatalf("no warning naming %s about dropped records; log: %q", dir, logged.String())
	}
}

func TestRecoverRefusesDirectoryWithoutDatabase(t *testing.T) {
	if _, err := Recover(t.TempDir()); err == nil {
		t.Fatal("Recover accepted an empty directory")
	}
}

func TestDiskFullFailsEveryWaitingCommitterAndNothingLaterIsAcknowledged(t *testing.T) {
	faults := &faultStorage{}
	s, dir := openTemp(t, withFaults(faults, Options{}))
	ch := testChannelID(1)
	commit(t, s, func(b *Batch) error { return putPayment(b, ch, 1) })

	entered, release := faults.holdSyncs()
	results := make(chan error, 9)
	go func() { results <- commitPayment(s, ch, 2) }()
	<-entered // payment 2's fsync is in flight; the rest queue behind it
	for i := uint64(3); i <= 10; i++ {
		go func() { results <- commitPayment(s, ch, i) }()
	}
	waitQueued(t, s.committer, 8)
	faults.setFailure(syscall.ENOSPC)
	close(release)
	for range 9 {
		if err := <-results; !errors.Is(err, syscall.ENOSPC) || !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), dir) {
			t.Fatalf("committer got %v, want ErrFailed wrapping ENOSPC and naming %s", err, dir)
		}
	}
	faults.setFailure(nil)
	if err := commitPayment(s, ch, 11); !errors.Is(err, ErrFailed) {
		t.Fatalf("commit after a failed fsync: %v, want ErrFailed until reopen", err)
	}
	if st := s.Stats(); st.Commits != 1 {
		t.Fatalf("stats %+v: only the first commit was acknowledged", st)
	}
	s.Close()
	s2, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("reopen after disk full: %v", err)
	}
	defer s2.Close()
	if _, ok, err := s2.GetPayment(testPaymentID(1)); !ok || err != nil {
		t.Fatalf("acknowledged payment 1 after reopen: found=%v err=%v", ok, err)
	}
	for i := uint64(3); i <= 11; i++ {
		if _, ok, _ := s2.GetPayment(testPaymentID(i)); ok {
			t.Fatalf("payment %d was never handed to leveldb, yet it is stored", i)
		}
	}
}

func TestJournalWriteErrorFailsTheCommit(t *testing.T) {
	faults := &faultStorage{}
	s, _ := openTemp(t, withFaults(faults, Options{}))
	faults.setFailure(syscall.EIO)
	if err := commitPayment(s, testChannelID(1), 1); !errors.Is(err, syscall.EIO) {
		t.Fatalf("err %v, want EIO", err)
	}
}

func TestRecoverRebuildsStoreWhoseCurrentFileIsGone(t *testing.T) {
	s, dir := openTemp(t, Options{})
	ch := testChannelID(1)
	seedPayments(t, s, ch, 5)
	s.Close()
	if err := os.Remove(filepath.Join(dir, "CURRENT")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open without CURRENT: %v, want ErrCorrupt rather than a fresh empty store", err)
	}
	if _, err := Recover(dir); err != nil {
		t.Fatalf("recover without CURRENT: %v", err)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("open after recover: %v", err)
	}
	defer s.Close()
	if got := collectPayments(t, s, ch, PaymentQuery{}); len(got) != 5 {
		t.Fatalf("%d payments after recover, want 5", len(got))
	}
}
