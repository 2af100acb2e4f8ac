package p2p

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrFrameTooLarge is returned for a length prefix above MaxFrameSize. The stream
// cannot be resynchronised after it, so the session ends.
var ErrFrameTooLarge = errors.New("frame too large")

// FrameReader reads length-prefixed frames into one reused buffer.
type FrameReader struct {
	r   *bufio.Reader
	buf []byte
}

// NewFrameReader buffers r so that many small frames cost one read syscall.
func NewFrameReader(r io.Reader) *FrameReader {
	return &FrameReader{r: bufio.NewReaderSize(r, 32<<10)}
}

// ReadFrame returns the next payload. It is valid only until the next call.
// A zero-length frame is malformed; an oversized one is refused unread.
func (fr *FrameReader) ReadFrame() ([]byte, error) {
	n, err := binary.ReadUvarint(fr.r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, err
		}
		// binary.ReadUvarint reports an overlong varint as an overflow.
		return nil, fmt.Errorf("%w: length prefix: %v", ErrMalformed, err)
	}
	if n > MaxFrameSize {
		return nil, fmt.Errorf("%w: %d bytes announced, limit %d", ErrFrameTooLarge, n, MaxFrameSize)
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: empty frame", ErrMalformed)
	}
	if cap(fr.buf) < int(n) {
		fr.buf = make([]byte, n, max(int(n), 512))
	}
	fr.buf = fr.buf[:n]
	if _, err := io.ReadFull(fr.r, fr.buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read %d-byte frame: %w", n, err)
	}
	return fr.buf, nil
}

// ReadMessage reads and decodes the next frame.
func (fr *FrameReader) ReadMessage() (Message, error) {
	payload, err := fr.ReadFrame()
	if err != nil {
		return nil, err
	}
	return DecodeMessage(payload)
}
