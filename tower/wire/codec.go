package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/ethereum/go-ethereum/rlp"
)

// MaxFrameSize bounds one tower frame's payload: a Register is about 230 bytes, a
// Receipt with the longest reason about 330.
const MaxFrameSize = 1 << 10

// MaxReasonSize bounds a Receipt's reason text.
const MaxReasonSize = 256

var (
	// ErrMalformed wraps every decoding failure: the peer sent bytes that are not a
	// tower message.
	ErrMalformed = errors.New("malformed tower frame")
	// ErrFrameTooLarge is a frame above MaxFrameSize; the stream cannot continue.
	ErrFrameTooLarge = errors.New("tower frame too large")
)

// AppendFrame appends m's frame (uvarint length + RLP [type, body]) to dst.
func AppendFrame(dst []byte, m Message) ([]byte, error) {
	if err := validate(m); err != nil {
		return dst, err
	}
	body, err := rlp.EncodeToBytes(m)
	if err != nil {
		return dst, fmt.Errorf("encode %s: %w", m.Type(), err)
	}
	env, err := rlp.EncodeToBytes([]any{uint64(m.Type()), rlp.RawValue(body)})
	if err != nil {
		return dst, fmt.Errorf("encode %s: %w", m.Type(), err)
	}
	if len(env) > MaxFrameSize {
		return dst, fmt.Errorf("encode %s: %w: %d bytes", m.Type(), ErrFrameTooLarge, len(env))
	}
	dst = binary.AppendUvarint(dst, uint64(len(env)))
	return append(dst, env...), nil
}

func validate(m Message) error {
	switch m := m.(type) {
	case *Hello:
		if m.ChainID == nil || m.ChainID.Sign() < 0 {
			return fmt.Errorf("encode Hello: chain id %v", m.ChainID)
		}
	case *Register:
		if m.Transferred == nil || m.Transferred.Sign() < 0 || m.Transferred.BitLen() > 256 {
			return fmt.Errorf("encode Register: transferred %v", m.Transferred)
		}
		if m.Locked != nil && (m.Locked.Sign() < 0 || m.Locked.BitLen() > 256) {
			return fmt.Errorf("encode Register: locked %v", m.Locked)
		}
	case *Receipt:
		if len(m.Reason) > MaxReasonSize {
			return fmt.Errorf("encode Receipt: reason of %d bytes exceeds %d", len(m.Reason), MaxReasonSize)
		}
	case nil:
		return errors.New("encode: nil message")
	default:
		return fmt.Errorf("encode: unknown message %T", m)
	}
	return nil
}

// Decode decodes one frame payload (without its length prefix). Every failure wraps
// ErrMalformed; the result never aliases payload.
func Decode(payload []byte) (Message, error) {
	if len(payload) > MaxFrameSize {
		return nil, fmt.Errorf("%w: %w: %d bytes", ErrMalformed, ErrFrameTooLarge, len(payload))
	}
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
	var m Message
	switch Type(code) {
	case TypeHello:
		m = new(Hello)
	case TypeRegister:
		m = new(Register)
	case TypeReceipt:
		m = new(Receipt)
	default:
		return nil, fmt.Errorf("%w: unknown message type %d", ErrMalformed, code)
	}
	if err := rlp.DecodeBytes(body, m); err != nil {
		return nil, fmt.Errorf("%w: %s body: %v", ErrMalformed, m.Type(), err)
	}
	if r, ok := m.(*Receipt); ok && len(r.Reason) > MaxReasonSize {
		return nil, fmt.Errorf("%w: Receipt reason of %d bytes", ErrMalformed, len(r.Reason))
	}
	if h, ok := m.(*Hello); ok && h.ChainID == nil {
		h.ChainID = new(big.Int)
	}
	if r, ok := m.(*Register); ok && r.Transferred == nil {
		r.Transferred = new(big.Int)
	}
	return m, nil
}

// Reader reads tower messages from a stream. p2p's frame reader would accept 64 KiB
// before the tower could refuse the frame; this one refuses a length above MaxFrameSize
// before reading any of it.
type Reader struct {
	r   *bufio.Reader
	buf [MaxFrameSize]byte
}

// NewReader buffers r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReaderSize(r, 2*MaxFrameSize)} }

// Read returns the next message. A transport error passes through unwrapped; a frame
// that is not a tower message wraps ErrMalformed.
func (r *Reader) Read() (Message, error) {
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || !isOverflow(err) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: length prefix: %v", ErrMalformed, err)
	}
	if n > MaxFrameSize {
		return nil, fmt.Errorf("%w: %w: %d bytes announced, limit %d", ErrMalformed, ErrFrameTooLarge, n, MaxFrameSize)
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: empty frame", ErrMalformed)
	}
	payload := r.buf[:n]
	if _, err := io.ReadFull(r.r, payload); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read %d-byte frame: %w", n, err)
	}
	return Decode(payload)
}

// isOverflow recognises binary.ReadUvarint's error for a prefix longer than a uint64.
func isOverflow(err error) bool {
	return err != nil && err.Error() == "binary: varint overflows a 64-bit integer"
}
