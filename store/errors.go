package store

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/syndtr/goleveldb/leveldb"
	lerrors "github.com/syndtr/goleveldb/leveldb/errors"
	"github.com/syndtr/goleveldb/leveldb/storage"
)

var (
	// ErrClosed is returned by every operation on a closed store.
	ErrClosed = errors.New("store is closed")
	// ErrLocked means another process holds the data directory.
	ErrLocked = errors.New("data directory is already in use by another process")
	// ErrCorrupt means leveldb found damaged files; see CorruptError for the way out.
	ErrCorrupt = errors.New("database is corrupt")
	// ErrNewerSchema means the database was written by a newer sluice.
	ErrNewerSchema = errors.New("database schema is newer than this binary supports")
	// ErrFailed means a write or fsync failed. Nothing is acknowledged after it: the store
	// must be closed and reopened, which replays what did reach the disk.
	ErrFailed = errors.New("store write failed; close and reopen the store")
)

// RecoverCommand is the operator's way out of a CorruptError; it runs Recover.
const RecoverCommand = "sluice db recover --datadir <datadir>"

// CorruptError reports damaged database files at Path.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("database %s is corrupt (%v); stop the node, back up the directory and run %q, which rebuilds it from its table and journal files and reports what it could not read",
		e.Path, e.Err, RecoverCommand)
}

func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

func (e *CorruptError) Unwrap() error { return e.Err }

// translateOpenError turns goleveldb's errors into ones that name the path and the remedy.
func translateOpenError(path string, err error) error {
	switch {
	case errors.Is(err, syscall.EWOULDBLOCK), errors.Is(err, storage.ErrLocked):
		return fmt.Errorf("open store %s: %w (its LOCK file is held; stop the other sluice process or pick another --datadir)", path, ErrLocked)
	case lerrors.IsCorrupted(err):
		return &CorruptError{Path: path, Err: err}
	default:
		return fmt.Errorf("open store %s: %w", path, err)
	}
}

// translateReadError maps errors from reads on an open database.
func (s *Store) translateReadError(err error) error {
	switch {
	case errors.Is(err, leveldb.ErrClosed):
		return ErrClosed
	case lerrors.IsCorrupted(err):
		return &CorruptError{Path: s.path, Err: err}
	default:
		return err
	}
}
