package p2p

import (
	"bufio"
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
	// arm, if set, runs before the reader waits for more bytes of a frame it has
	// started, so the caller can put a deadline on half-sent frames.
	arm func()
}

// Buffered is how many bytes are read from the stream but not yet returned.
func (fr *FrameReader) Buffered() int { return fr.r.Buffered() }

func (fr *FrameReader) armIfShort(need int) {
	if fr.arm != nil && fr.r.Buffered() < need {
		fr.arm()
	}
}

// frameReadBuffer holds about 25 Pay frames. A session reads from a yamux stream, which
// is already a memory buffer, so a larger one saves no syscall; it cost a hub 32 KiB per
// peer when it was 32 KiB.
const frameReadBuffer = 4 << 10

// NewFrameReader buffers r so that many small frames cost one read call.
func NewFrameReader(r io.Reader) *FrameReader {
	return &FrameReader{r: bufio.NewReaderSize(r, frameReadBuffer)}
}

// ReadFrame returns the next payload. It is valid only until the next call.
// A zero-length frame is malformed; an oversized one is refused unread.
func (fr *FrameReader) ReadFrame() ([]byte, error) {
	n, err := fr.readLength()
	if err != nil {
		return nil, err
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
	fr.armIfShort(int(n))
	if _, err := io.ReadFull(fr.r, fr.buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read %d-byte frame: %w", n, err)
	}
	return fr.buf, nil
}

// maxPrefixLen is the longest uvarint that can announce a legal frame: three bytes
// hold up to 2^21-1, past MaxFrameSize.
const maxPrefixLen = 3

// readLength reads the uvarint prefix. Transport errors pass through unchanged so
// that a reset stream is never mistaken for a peer's malformed frame.
func (fr *FrameReader) readLength() (uint64, error) {
	var n uint64
	for i := 0; i < maxPrefixLen; i++ {
		if i > 0 {
			fr.armIfShort(1)
		}
		b, err := fr.r.ReadByte()
		if err != nil {
			if i > 0 && errors.Is(err, io.EOF) {
				return 0, io.ErrUnexpectedEOF
			}
			return 0, err
		}
		n |= uint64(b&0x7f) << (7 * i)
		if b < 0x80 {
			if b == 0 && i > 0 {
				return 0, fmt.Errorf("%w: non-minimal length prefix", ErrMalformed)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("%w: length prefix longer than %d bytes", ErrFrameTooLarge, maxPrefixLen)
}

// ReadMessage reads and decodes the next frame.
func (fr *FrameReader) ReadMessage() (Message, error) {
	payload, err := fr.ReadFrame()
	if err != nil {
		return nil, err
	}
	return DecodeMessage(payload)
}
