package kv

import (
	"encoding/binary"
	"errors"
)

// Batch is an ordered list of puts and deletes that a Backend applies atomically. It is
// one append-only buffer (kind, key length, key, value length, value per record), so
// filling it allocates nothing once it has grown, and merging batches is a copy. The
// record layout is goleveldb's batch format on purpose: the leveldb backend hands the
// bytes to leveldb without encoding them again.
type Batch struct {
	data []byte
	n    int
}

const (
	kindDelete byte = iota
	kindPut
)

// errMalformed means a batch's buffer does not decode; only a bug can cause it.
var errMalformed = errors.New("kv: malformed batch")

// Put records that key is set to value.
func (b *Batch) Put(key, value []byte) {
	b.data = append(b.data, kindPut)
	b.data = binary.AppendUvarint(b.data, uint64(len(key)))
	b.data = append(b.data, key...)
	b.data = binary.AppendUvarint(b.data, uint64(len(value)))
	b.data = append(b.data, value...)
	b.n++
}

// Delete records that key is removed.
func (b *Batch) Delete(key []byte) {
	b.data = append(b.data, kindDelete)
	b.data = binary.AppendUvarint(b.data, uint64(len(key)))
	b.data = append(b.data, key...)
	b.n++
}

// Len is the number of records.
func (b *Batch) Len() int { return b.n }

// Size is the encoded size in bytes.
func (b *Batch) Size() int { return len(b.data) }

// Data is the encoded records; it aliases the batch.
func (b *Batch) Data() []byte { return b.data }

// Reset empties the batch, keeping its buffer.
func (b *Batch) Reset() {
	b.data = b.data[:0]
	b.n = 0
}

// Append adds o's records after b's.
func (b *Batch) Append(o *Batch) {
	b.data = append(b.data, o.data...)
	b.n += o.n
}

// Replay calls put or del for each record in order. The slices alias the batch.
func (b *Batch) Replay(put func(key, value []byte), del func(key []byte)) error {
	d := b.data
	for len(d) > 0 {
		kind := d[0]
		d = d[1:]
		key, rest, ok := field(d)
		if !ok {
			return errMalformed
		}
		d = rest
		switch kind {
		case kindPut:
			val, rest, ok := field(d)
			if !ok {
				return errMalformed
			}
			d = rest
			put(key, val)
		case kindDelete:
			del(key)
		default:
			return errMalformed
		}
	}
	return nil
}

func field(d []byte) (f, rest []byte, ok bool) {
	n, w := binary.Uvarint(d)
	if w <= 0 || uint64(len(d)-w) < n {
		return nil, nil, false
	}
	return d[w : w+int(n)], d[w+int(n):], true
}
