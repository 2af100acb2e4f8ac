package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// errShort and friends are decode failures; decoders wrap them with the record they were reading.
var (
	errShort    = errors.New("record truncated")
	errTrailing = errors.New("trailing bytes after record")
)

// maxAmountBits bounds every amount the store encodes: the EIP-712 structs carry uint256.
const maxAmountBits = 256

// encoder appends the compact binary form used for every record. Values are big-endian so
// that integers embedded in keys sort numerically.
type encoder struct{ buf []byte }

func (e *encoder) u8(v uint8)   { e.buf = append(e.buf, v) }
func (e *encoder) u64(v uint64) { e.buf = binary.BigEndian.AppendUint64(e.buf, v) }
func (e *encoder) fixed(b []byte) {
	e.buf = append(e.buf, b...)
}

// uvarBytes writes a length-prefixed byte string.
func (e *encoder) uvarBytes(b []byte) {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(b)))
	e.buf = append(e.buf, b...)
}

func (e *encoder) str(s string) {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// amount writes a non-negative integer of at most 256 bits as a length byte and its minimal
// big-endian bytes. A nil amount is written as zero so that readers never see nil.
func (e *encoder) amount(v *big.Int) {
	if v == nil || v.Sign() == 0 {
		e.u8(0)
		return
	}
	n := (v.BitLen() + 7) / 8
	e.u8(uint8(n))
	start := len(e.buf)
	e.buf = append(e.buf, make([]byte, n)...)
	v.FillBytes(e.buf[start:])
}

// timestamp writes unix nanoseconds; zero time is written as 0.
func (e *encoder) timestamp(t time.Time) {
	if t.IsZero() {
		e.u64(0)
		return
	}
	e.u64(uint64(t.UnixNano()))
}

// checkAmount rejects what encoder.amount cannot represent, naming the field.
func checkAmount(field string, v *big.Int) error {
	if v == nil {
		return nil
	}
	if v.Sign() < 0 {
		return fmt.Errorf("%s is negative (%s)", field, v)
	}
	if v.BitLen() > maxAmountBits {
		return fmt.Errorf("%s exceeds 256 bits", field)
	}
	return nil
}

// The range of int64 unix nanoseconds that sorts correctly as uint64.
var (
	minTime = time.Unix(0, 1)
	maxTime = time.Unix(0, 1<<63-1)
)

// checkTime rejects times the 64-bit nanosecond encoding cannot order correctly.
func checkTime(field string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if t.Before(minTime) || t.After(maxTime) {
		return fmt.Errorf("%s %s is before 1970 or beyond 2262", field, t)
	}
	return nil
}

// decoder reads what encoder wrote. The first failure sticks, so callers check err once at
// the end instead of after every field; corrupt input yields an error, never a panic.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || len(d.b) < n {
		d.err = errShort
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) u8() uint8 {
	b := d.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (d *decoder) u64() uint64 {
	b := d.take(8)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func (d *decoder) fixed(dst []byte) {
	if b := d.take(len(dst)); b != nil {
		copy(dst, b)
	}
}

func (d *decoder) uvarLen(limit int) int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	if v > uint64(limit) {
		d.err = fmt.Errorf("length %d exceeds limit %d", v, limit)
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// uvarBytes returns a copy, so records never alias leveldb's buffers.
func (d *decoder) uvarBytes(limit int) []byte {
	n := d.uvarLen(limit)
	b := d.take(n)
	if b == nil || n == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

func (d *decoder) str(limit int) string {
	n := d.uvarLen(limit)
	return string(d.take(n))
}

func (d *decoder) amount() *big.Int {
	n := int(d.u8())
	if n > 32 {
		if d.err == nil {
			d.err = fmt.Errorf("amount length %d exceeds 32 bytes", n)
		}
		return new(big.Int)
	}
	b := d.take(n)
	return new(big.Int).SetBytes(b)
}

func (d *decoder) timestamp() time.Time {
	v := d.u64()
	if v == 0 {
		return time.Time{}
	}
	if v > 1<<63-1 {
		if d.err == nil {
			d.err = fmt.Errorf("timestamp %d out of range", v)
		}
		return time.Time{}
	}
	return time.Unix(0, int64(v)).UTC()
}

// finish reports the sticky error or trailing garbage, naming what was decoded.
func (d *decoder) finish(what string) error {
	if d.err == nil && len(d.b) != 0 {
		d.err = errTrailing
	}
	if d.err != nil {
		return fmt.Errorf("decode %s: %w", what, d.err)
	}
	return nil
}
