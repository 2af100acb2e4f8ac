package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/storage"

	"github.com/sluicepay/sluice/store/kv/leveldbkv"
)

// RecoverReport says what Recover did, so an operator can judge what was lost.
type RecoverReport struct {
	Path       string
	BackupPath string // untouched copy of the damaged directory
	Dropped    int64  // journal records leveldb could not read and skipped
	Keys       int    // keys readable after recovery
	Schema     uint32 // schema version found after recovery (0 if none)
	// Check decodes every recovered record; Check.BadCount > 0 means some are damaged.
	Check CheckReport
}

// Recover rebuilds a corrupt store at path from its table and journal files (leveldb's
// RecoverFile, which discards the manifest). It first copies the directory to a sibling
// "<path>.corrupt-<unix time>" so nothing is thrown away, and reports how much it skipped.
// The store must not be open. Behind the CLI command named by RecoverCommand.
func Recover(path string) (RecoverReport, error) {
	rep := RecoverReport{Path: path}
	// CURRENT and the manifest may be what is damaged; table and journal files are what
	// recovery reads, so their presence is what makes this a database worth recovering.
	tables, _ := filepath.Glob(filepath.Join(path, "*.ldb"))
	journals, _ := filepath.Glob(filepath.Join(path, "*.log"))
	if len(tables)+len(journals) == 0 {
		return rep, fmt.Errorf("recover store %s: no leveldb table or journal files there; nothing to recover", path)
	}
	fs, err := storage.OpenFile(path, false)
	if err != nil {
		return rep, translateOpenError(path, err)
	}
	stor := &loggingStorage{Storage: fs}
	defer stor.Close()

	// Copy only after taking the lock, so a running node cannot change files mid-copy.
	rep.BackupPath = fmt.Sprintf("%s.corrupt-%d", filepath.Clean(path), time.Now().Unix())
	if err := copyDir(path, rep.BackupPath); err != nil {
		return rep, fmt.Errorf("recover store %s: back up to %s: %w", path, rep.BackupPath, err)
	}
	db, err := leveldb.Recover(stor, leveldbOptions(Options{}))
	if err != nil {
		return rep, fmt.Errorf("recover store %s (backup at %s): %w", path, rep.BackupPath, err)
	}
	defer db.Close()
	rep.Dropped = stor.dropped.Load()

	it := db.NewIterator(nil, nil)
	for it.Next() {
		rep.Keys++
	}
	it.Release()
	if err := it.Error(); err != nil {
		return rep, fmt.Errorf("recover store %s: read back: %w", path, err)
	}
	if rep.Check, err = checkDB(leveldbkv.New(db)); err != nil {
		return rep, fmt.Errorf("recover store %s: check records: %w", path, err)
	}
	if raw, err := db.Get(schemaKey, nil); err == nil && len(raw) == 4 {
		rep.Schema = uint32(raw[0])<<24 | uint32(raw[1])<<16 | uint32(raw[2])<<8 | uint32(raw[3])
	} else if err != nil && !errors.Is(err, leveldb.ErrNotFound) {
		return rep, fmt.Errorf("recover store %s: read schema version: %w", path, err)
	}
	return rep, nil
}

// copyDir copies the regular files of a flat leveldb directory; LOCK is skipped because
// we hold it.
func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.Mkdir(dst, 0o700); err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name() == "LOCK" {
			continue
		}
		if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
