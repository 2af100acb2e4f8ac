package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/filter"
	"github.com/syndtr/goleveldb/leveldb/opt"
	"github.com/syndtr/goleveldb/leveldb/storage"

	"github.com/sluicepay/sluice/store/kv"
	"github.com/sluicepay/sluice/store/kv/leveldbkv"
)

// Options configure Open. The zero value is a sensible default.
type Options struct {
	Commit CommitConfig
	// CacheBytes is leveldb's block cache (default 8 MiB).
	CacheBytes int
	// Logger receives open-time warnings such as dropped journal records (default slog.Default()).
	Logger *slog.Logger

	schema schema // tests substitute a schema to exercise versions and migrations
	// wrapStorage lets tests inject I/O faults and stalls beneath leveldb.
	wrapStorage func(storage.Storage) storage.Storage
}

// Store is the node's persistent state in a kv.Backend: one leveldb directory by default
// (Open), or an etcd cluster (OpenBackend). Reads go straight to the backend (on leveldb,
// a secret or meta record never written is answered by the absent filter,
// absent_filter.go); every write goes through the group committer and is durable when
// Commit returns.
type Store struct {
	path      string // the directory, or the backend's name in errors
	kv        kv.Backend
	stor      *loggingStorage // leveldb only
	committer *GroupCommitter
	absent    absentFilter // leveldb only (absent_filter.go)
	closeOnce sync.Once
	closeErr  error
}

// Open opens or creates the store at path, checks its schema version and runs any
// migrations. It fails with ErrLocked if another process has the directory open, with a
// CorruptError if the files are damaged and with ErrNewerSchema if a newer sluice wrote it.
func Open(path string, o Options) (*Store, error) {
	cfg, err := o.Commit.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.schema.version == 0 {
		o.schema = currentSchema()
	}
	fs, err := storage.OpenFile(path, false)
	if err != nil {
		return nil, translateOpenError(path, err)
	}
	if err := finishInterruptedCreate(fs, path, o.Logger); err != nil {
		fs.Close()
		return nil, translateOpenError(path, err)
	}
	var base storage.Storage = fs
	if o.wrapStorage != nil {
		base = o.wrapStorage(fs)
	}
	stor := &loggingStorage{Storage: base}
	db, err := leveldb.Open(stor, leveldbOptions(o))
	if err != nil {
		stor.Close()
		return nil, translateOpenError(path, err)
	}
	if n := stor.dropped.Load(); n > 0 {
		o.Logger.Warn("store: journal records dropped while opening; they were never acknowledged if the node crashed mid-write, otherwise run recovery",
			"path", path, "dropped", n, "recover", RecoverCommand)
	}
	backend := leveldbkv.New(db)
	if err := checkSchema(backend, path, o.schema, o.Logger); err != nil {
		db.Close()
		stor.Close()
		return nil, err
	}
	s := &Store{
		path:      path,
		kv:        backend,
		stor:      stor,
		committer: newGroupCommitter(backend, path, cfg),
		absent:    absentFilter{on: true},
	}
	s.committer.note = s.absent.noteBatch
	s.absent.enableRebuild(backend, s.absentBarrier)
	return s, nil
}

// absentBarrier queues an ordered no-op write for the absent filter's rebuild: once it
// is written, so is every batch queued before it.
func (s *Store) absentBarrier() <-chan error {
	b := NewBatch()
	b.lb.Delete(absentBarrierKey)
	return s.committer.Submit(b)
}

// OpenBackend opens the store on an already open backend (an etcd cluster); name stands
// for it in errors. It checks the schema version and runs migrations like Open, and Close
// closes the backend.
func OpenBackend(b kv.Backend, name string, o Options) (*Store, error) {
	cfg, err := o.Commit.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.schema.version == 0 {
		o.schema = currentSchema()
	}
	if err := checkSchema(b, name, o.schema, o.Logger); err != nil {
		return nil, err
	}
	return &Store{path: name, kv: b, committer: newGroupCommitter(b, name, cfg)}, nil
}

func leveldbOptions(o Options) *opt.Options {
	cache := o.CacheBytes
	if cache <= 0 {
		cache = 8 << 20
	}
	return &opt.Options{
		BlockCacheCapacity: cache,
		// Idempotency lookups (GetPayment) mostly miss; the filter answers them without I/O.
		Filter: filter.NewBloomFilter(10),
	}
}

// Path is the directory the store lives in, or the backend's name.
func (s *Store) Path() string { return s.path }

// Commit makes b durable; see GroupCommitter.Commit.
func (s *Store) Commit(ctx context.Context, b *Batch) error {
	return s.committer.Commit(ctx, b)
}

// Submit queues b without waiting; see GroupCommitter.Submit.
func (s *Store) Submit(b *Batch) <-chan error {
	return s.committer.Submit(b)
}

// Stats reports the group committer's counters.
func (s *Store) Stats() CommitStats { return s.committer.Stats() }

// Close stops the committer (queued commits fail with ErrClosed) and closes the database.
// It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.absent.closeRebuild()
		s.committer.close()
		if err := s.kv.Close(); err != nil {
			s.closeErr = fmt.Errorf("close store %s: %w", s.path, err)
		}
		if s.stor == nil {
			return
		}
		if err := s.stor.Close(); err != nil && s.closeErr == nil {
			s.closeErr = fmt.Errorf("close store %s: %w", s.path, err)
		}
	})
	return s.closeErr
}

// loggingStorage counts the journal records leveldb drops as corrupt while replaying,
// which it otherwise only mentions in its LOG file.
type loggingStorage struct {
	storage.Storage
	dropped atomic.Int64
}

func (l *loggingStorage) Log(str string) {
	if strings.HasPrefix(str, "journal@drop") {
		l.dropped.Add(1)
	}
	l.Storage.Log(str)
}
