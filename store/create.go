package store

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/syndtr/goleveldb/leveldb/storage"
)

// finishInterruptedCreate clears what a process killed while creating the database left
// behind, which leveldb would otherwise report as corrupt forever: manifest files (and a
// pending CURRENT.n) but no CURRENT. Such a directory holds no record, because leveldb
// creates its first journal only after CURRENT exists; anything more than that (a journal,
// a table, a CURRENT.bak) is left alone for leveldb to judge. The caller holds the lock.
func finishInterruptedCreate(stor storage.Storage, path string, log *slog.Logger) error {
	if _, err := stor.GetMeta(); err == nil {
		return nil
	}
	fds, err := stor.List(storage.TypeAll)
	if err != nil {
		return nil // leveldb will meet the same error and report it
	}
	for _, fd := range fds {
		if fd.Type != storage.TypeManifest && fd.Type != storage.TypeTemp {
			return nil
		}
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil
	}
	var pending []string
	for _, e := range entries {
		switch name := e.Name(); {
		case name == "CURRENT" || name == "CURRENT.bak":
			return nil
		case strings.HasPrefix(name, "CURRENT."):
			pending = append(pending, name)
		}
	}
	if len(fds) == 0 && len(pending) == 0 {
		return nil // a new or empty directory: nothing to finish
	}
	log.Info("store: finishing a creation that was interrupted before the database held any record", "path", path)
	for _, fd := range fds {
		if err := stor.Remove(fd); err != nil {
			return err
		}
	}
	for _, name := range pending {
		if err := os.Remove(filepath.Join(path, name)); err != nil {
			return err
		}
	}
	return nil
}
