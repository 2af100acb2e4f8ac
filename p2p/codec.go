package p2p

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/rlp"
)

// MaxFrameSize bounds one frame's payload. Larger length prefixes are refused before
// any of the body is read.
const MaxFrameSize = 64 << 10

// Encoder turns messages into frames (uvarint length + RLP envelope [type, body]).
// It reuses one buffer, so each session owns one and uses it from its writer
// goroutine only; an Encoder is not safe for concurrent use.
type Encoder struct {
	w bodyWriter
}

// NewEncoder returns an Encoder with its own reusable buffer.
func NewEncoder() *Encoder {
	return &Encoder{w: bodyWriter{buf: rlp.NewEncoderBuffer(nil)}}
}

// AppendFrame appends m's frame to dst. It fails only for a message that violates
// the wire limits, which Validate reports too.
func (e *Encoder) AppendFrame(dst []byte, m Message) ([]byte, error) {
	if err := Validate(m); err != nil {
		return dst, err
	}
	e.w.buf.Reset(nil)
	env := e.w.list()
	e.w.uint64(uint64(m.Type()))
	m.encodeBody(&e.w)
	e.w.listEnd(env)
	size := e.w.buf.Size()
	if size > MaxFrameSize {
		return dst, fmt.Errorf("encode %s: frame of %d bytes exceeds %d", m.Type(), size, MaxFrameSize)
	}
	dst = binary.AppendUvarint(dst, uint64(size))
	return e.w.buf.AppendToBytes(dst), nil
}

// Validate reports whether m can be sent: known type, amounts within uint256,
// memo and reason within their limits.
func Validate(m Message) error {
	if m == nil {
		return fmt.Errorf("encode: nil message")
	}
	if err := m.validate(); err != nil {
		return fmt.Errorf("encode %s: %w", m.Type(), err)
	}
	return nil
}

// DecodeMessage decodes one frame payload (without its length prefix). The result
// never aliases payload. Every failure wraps ErrMalformed.
func DecodeMessage(payload []byte) (Message, error) {
	content, rest, err := rlp.SplitList(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: envelope: %v", ErrMalformed, err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%w: envelope: %d trailing bytes", ErrMalformed, len(rest))
	}
	code, body, err := rlp.SplitUint64(content)
	if err != nil {
		return nil, fmt.Errorf("%w: envelope type: %v", ErrMalformed, err)
	}
	if code > 0xff {
		return nil, fmt.Errorf("%w: envelope type %d out of range", ErrMalformed, code)
	}
	m := newMessage(Type(code))
	if m == nil {
		return nil, fmt.Errorf("%w: unknown message type %s", ErrMalformed, Type(code))
	}
	r := bodyReader{msg: Type(code), rest: body}
	decodeInto(m, &r)
	if r.err == nil && len(r.rest) != 0 {
		r.fail("envelope", fmt.Errorf("%d trailing bytes", len(r.rest)))
	}
	if r.err != nil {
		return nil, r.err
	}
	return m, nil
}

// decodeInto calls the concrete decoder: a call through the Message interface would
// move r to the heap, one allocation per frame on the payment path. Keep it in step
// with newMessage.
func decodeInto(m Message, r *bodyReader) {
	switch m := m.(type) {
	case *Hello:
		m.decodeBody(r)
	case *Goodbye:
		m.decodeBody(r)
	case *Pay:
		m.decodeBody(r)
	case *Ack:
		m.decodeBody(r)
	case *Reject:
		m.decodeBody(r)
	case *CloseRequest:
		m.decodeBody(r)
	case *CloseAccept:
		m.decodeBody(r)
	case *WithdrawRequest:
		m.decodeBody(r)
	case *WithdrawAccept:
		m.decodeBody(r)
	case *Sync:
		m.decodeBody(r)
	case *Ping:
		m.decodeBody(r)
	case *LockedTransfer:
		m.decodeBody(r)
	case *SecretReveal:
		m.decodeBody(r)
	case *Unlock:
		m.decodeBody(r)
	case *LockExpired:
		m.decodeBody(r)
	case *InvoiceRequest:
		m.decodeBody(r)
	case *InvoiceReply:
		m.decodeBody(r)
	case *LockRefused:
		m.decodeBody(r)
	case *CancelEndorsement:
		m.decodeBody(r)
	case *OpenPropose:
		m.decodeBody(r)
	case *OpenAccept:
		m.decodeBody(r)
	case *OpenDecline:
		m.decodeBody(r)
	default:
		// Unreachable for types built by newMessage; an unlisted type would
		// leave its body unread and fail the trailing-bytes check instead.
	}
}
