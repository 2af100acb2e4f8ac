package p2p

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/rlp"
)

// ErrMalformed marks any frame or message that does not decode. Peers that send too
// many are banned.
var ErrMalformed = errors.New("malformed message")

// maxAmountBits bounds every amount on the wire to uint256, the widest type the
// contract's EIP-712 structs use.
const maxAmountBits = 256

// bodyWriter appends RLP fields to a reusable encoder buffer. Writing through the
// low-level rlp.EncoderBuffer avoids reflection on the payment path.
type bodyWriter struct {
	buf rlp.EncoderBuffer
}

func (w *bodyWriter) uint64(v uint64)   { w.buf.WriteUint64(v) }
func (w *bodyWriter) bytes(b []byte)    { w.buf.WriteBytes(b) }
func (w *bodyWriter) string(s string)   { w.buf.WriteString(s) }
func (w *bodyWriter) list() int         { return w.buf.List() }
func (w *bodyWriter) listEnd(index int) { w.buf.ListEnd(index) }

// amount writes nil as zero so that an unset optional amount still encodes.
func (w *bodyWriter) amount(x *big.Int) {
	if x == nil {
		w.buf.WriteUint64(0)
		return
	}
	w.buf.WriteBigInt(x)
}

// bodyReader consumes RLP fields in order and remembers the first error, so a
// message's decoder reads like its encoder and checks once at the end.
type bodyReader struct {
	msg  Type
	rest []byte
	err  error
}

func (r *bodyReader) fail(field string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s.%s: %v", ErrMalformed, r.msg, field, err)
	}
}

func (r *bodyReader) uint64(field string) uint64 {
	if r.err != nil {
		return 0
	}
	v, rest, err := rlp.SplitUint64(r.rest)
	if err != nil {
		r.fail(field, err)
		return 0
	}
	r.rest = rest
	return v
}

func (r *bodyReader) uint16(field string) uint16 {
	v := r.uint64(field)
	if v > 0xffff {
		r.fail(field, fmt.Errorf("value %d overflows uint16", v))
		return 0
	}
	return uint16(v)
}

func (r *bodyReader) str(field string) []byte {
	if r.err != nil {
		return nil
	}
	b, rest, err := rlp.SplitString(r.rest)
	if err != nil {
		r.fail(field, err)
		return nil
	}
	r.rest = rest
	return b
}

// fixed fills dst from a string that must be exactly len(dst) bytes long.
func (r *bodyReader) fixed(field string, dst []byte) {
	b := r.str(field)
	if r.err != nil {
		return
	}
	if len(b) != len(dst) {
		r.fail(field, fmt.Errorf("got %d bytes, want %d", len(b), len(dst)))
		return
	}
	copy(dst, b)
}

// variable copies a string of at most max bytes so the result never aliases the
// reader's frame buffer, which is reused for the next frame.
func (r *bodyReader) variable(field string, max int) []byte {
	b := r.str(field)
	if r.err != nil {
		return nil
	}
	if len(b) > max {
		r.fail(field, fmt.Errorf("%d bytes exceeds limit %d", len(b), max))
		return nil
	}
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

func (r *bodyReader) text(field string, max int) string {
	b := r.str(field)
	if r.err != nil {
		return ""
	}
	if len(b) > max {
		r.fail(field, fmt.Errorf("%d bytes exceeds limit %d", len(b), max))
		return ""
	}
	return string(b)
}

func (r *bodyReader) amount(field string) *big.Int {
	b := r.str(field)
	if r.err != nil {
		return nil
	}
	if len(b) > maxAmountBits/8 {
		r.fail(field, fmt.Errorf("%d-byte integer exceeds uint256", len(b)))
		return nil
	}
	if len(b) > 0 && b[0] == 0 {
		r.fail(field, rlp.ErrCanonInt)
		return nil
	}
	return new(big.Int).SetBytes(b)
}

// list enters a nested list; leave must be called with the returned rest.
func (r *bodyReader) list(field string) (outer []byte) {
	if r.err != nil {
		return nil
	}
	content, rest, err := rlp.SplitList(r.rest)
	if err != nil {
		r.fail(field, err)
		return nil
	}
	r.rest = content
	return rest
}

// leave checks that the current list is fully consumed and returns to outer.
func (r *bodyReader) leave(field string, outer []byte) {
	if r.err != nil {
		return
	}
	if len(r.rest) != 0 {
		r.fail(field, fmt.Errorf("%d unexpected trailing bytes", len(r.rest)))
		return
	}
	r.rest = outer
}

// checkAmount is the send-side twin of bodyReader.amount: negative or over-wide
// integers would encode to something the peer must refuse.
func checkAmount(field string, x *big.Int) error {
	if x == nil {
		return nil
	}
	if x.Sign() < 0 {
		return fmt.Errorf("%s is negative", field)
	}
	if x.BitLen() > maxAmountBits {
		return fmt.Errorf("%s exceeds uint256", field)
	}
	return nil
}
