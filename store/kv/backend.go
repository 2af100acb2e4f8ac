package kv

import "errors"

// Backend is an ordered key-value store. Keys and values are arbitrary bytes; keys sort
// bytewise. A Backend is safe for concurrent reads; Write is called by one goroutine at a
// time (the store's group committer).
type Backend interface {
	// Get returns the value of key; a missing key is (nil, false, nil). The returned
	// slice belongs to the caller.
	Get(key []byte) (value []byte, found bool, err error)
	// Scan calls fn for every key in r in key order (descending if r.Reverse). fn may
	// return ErrStop to end the scan early without error; any other error ends it and is
	// returned. key and value are valid only during the call.
	Scan(r Range, fn func(key, value []byte) error) error
	// Write applies the batches of group in order, each one atomically, and returns
	// only when all of them are durable. Commits is the number of durable commits it took
	// (fsyncs for leveldb, Raft proposals for etcd), for the committer's statistics. On
	// error some leading batches may have been applied; none may be acknowledged.
	Write(group []*Batch) (commits int, err error)
	// Sticky reports whether a Write error leaves the backend in an unknown state, so
	// nothing more may be acknowledged until it is reopened (leveldb after a failed
	// fsync). A non-sticky backend (etcd) reads back the truth on the next request.
	Sticky(err error) bool
	Close() error
}

// Range is the key interval [Start, Limit); a nil Limit is unbounded.
type Range struct {
	Start, Limit []byte
	Reverse      bool
}

// PrefixRange is the range of every key that starts with prefix.
func PrefixRange(prefix []byte) Range {
	return Range{Start: prefix, Limit: PrefixEnd(prefix)}
}

// PrefixEnd is the smallest key greater than every key with prefix, nil if none is (a
// prefix of only 0xff bytes).
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// ErrStop ends a Scan early; Scan then returns nil.
var ErrStop = errors.New("stop scan")

// ErrUnavailable is what a replicated backend's write error wraps when its cluster
// could not commit in time (no majority): the write was not acknowledged and is not
// sticky, so the same operation can be repeated once the cluster is back. The API
// reports it as store_unavailable without depending on the backend's client.
var ErrUnavailable = errors.New("store backend unavailable")
