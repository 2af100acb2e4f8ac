// Package leveldbkv is the default kv.Backend: a goleveldb database in one directory.
// Every group is one synced leveldb write, so concurrent committers share one fsync. The
// store opens the database itself (it owns locking, corruption reports and recovery) and
// hands it here.
package leveldbkv

import (
	"errors"

	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/iterator"
	"github.com/syndtr/goleveldb/leveldb/opt"
	"github.com/syndtr/goleveldb/leveldb/util"

	"github.com/sluicepay/sluice/store/kv"
)

// Backend is a kv.Backend over an open leveldb database.
type Backend struct {
	db     *leveldb.DB
	merged leveldb.Batch // reused by Write; only the committer writes
	buf    []byte        // the group's records, concatenated
}

// New wraps db; Close closes it.
func New(db *leveldb.DB) *Backend { return &Backend{db: db} }

// DB is the underlying database, for leveldb-only maintenance (recovery, tests).
func (b *Backend) DB() *leveldb.DB { return b.db }

// groupWrite syncs every group; leveldb's own write merging is off because the committer
// is its only writer.
var groupWrite = &opt.WriteOptions{Sync: true, NoWriteMerge: true}

// Get reads one key.
func (b *Backend) Get(key []byte) ([]byte, bool, error) {
	v, err := b.db.Get(key, nil)
	if errors.Is(err, leveldb.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

// Scan iterates r in order on a consistent snapshot.
func (b *Backend) Scan(r kv.Range, fn func(key, value []byte) error) error {
	it := b.db.NewIterator(&util.Range{Start: r.Start, Limit: r.Limit}, nil)
	defer it.Release()
	step := it.Next
	if r.Reverse {
		step = reverse(it)
	}
	for step() {
		if err := fn(it.Key(), it.Value()); err != nil {
			if errors.Is(err, kv.ErrStop) {
				return nil
			}
			return err
		}
	}
	return it.Error()
}

func reverse(it iterator.Iterator) func() bool {
	first := true
	return func() bool {
		if first {
			first = false
			return it.Last()
		}
		return it.Prev()
	}
}

// Write merges the group into one synced leveldb write: one fsync for all of it. A
// kv.Batch is already in leveldb's record format, so the group's bytes are concatenated
// (or, for a lone batch, used as they are) and loaded, not re-encoded record by record.
func (b *Backend) Write(group []*kv.Batch) (int, error) {
	data := group[0].Data()
	if len(group) > 1 {
		b.buf = b.buf[:0]
		for _, batch := range group {
			b.buf = append(b.buf, batch.Data()...)
		}
		data = b.buf
	}
	if err := b.merged.Load(data); err != nil {
		return 0, err
	}
	err := b.db.Write(&b.merged, groupWrite)
	b.merged.Reset()
	if err != nil {
		return 0, err
	}
	return 1, nil
}

// Sticky is true for every write error: after a failed fsync the kernel may have dropped
// dirty pages, so only a reopen, which replays the journal, tells what is on disk.
func (b *Backend) Sticky(error) bool { return true }

// Close closes the database.
func (b *Backend) Close() error { return b.db.Close() }
