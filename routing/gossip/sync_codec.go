package gossip

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Limits of one graph sync answer. An honest server stays within them (it sends its
// freshest announcements first and stops); a client refuses an answer past them.
const (
	SyncMaxAnnouncements = 20_000
	SyncMaxBytes         = 8 << 20
)

// frame is one announcement of a sync answer with its exact bytes (canonical: Decode
// refuses any other encoding), which the archive keeps to serve on.
type frame struct {
	ann  *Announcement
	data []byte
}

// frameSize is the wire size of an announcement of n bytes: its uvarint length, then it.
func frameSize(n int) int {
	var buf [binary.MaxVarintLen64]byte
	return binary.PutUvarint(buf[:], uint64(n)) + n
}

// writeAnswer writes the frames: per announcement its uvarint length, then its bytes. The
// answer ends when the server closes its side of the stream.
func writeAnswer(w io.Writer, frames [][]byte) error {
	bw := bufio.NewWriter(w)
	var buf [binary.MaxVarintLen64]byte
	for _, f := range frames {
		if _, err := bw.Write(buf[:binary.PutUvarint(buf[:], uint64(len(f)))]); err != nil {
			return err
		}
		if _, err := bw.Write(f); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// readAnswer reads a whole answer before anything is applied, so a bad one changes
// nothing. ErrSyncMalformed and ErrSyncTooLarge are the server's fault (an honest one
// never sends them); ErrSyncInterrupted is the transport's (reset, deadline, a close in
// the middle of a frame) and is not held against it.
func readAnswer(r io.Reader) ([]frame, error) {
	tr := &transportReader{r: r}
	lr := &io.LimitedReader{R: tr, N: SyncMaxBytes + 1}
	br := bufio.NewReader(lr)
	var out []frame
	size := 0
	for {
		n, err := binary.ReadUvarint(br)
		if err == io.EOF && tr.err == nil && lr.N > 0 {
			return out, nil
		}
		if err != nil {
			return nil, answerReadError(err, tr, lr, "length")
		}
		if n == 0 || n > MaxSize {
			return nil, fmt.Errorf("graph sync: announcement %d of %d bytes: %w", len(out), n, ErrSyncMalformed)
		}
		if len(out) == SyncMaxAnnouncements {
			return nil, fmt.Errorf("graph sync: more than %d announcements: %w", SyncMaxAnnouncements, ErrSyncTooLarge)
		}
		if size += frameSize(int(n)); size > SyncMaxBytes {
			return nil, fmt.Errorf("graph sync: more than %d bytes: %w", SyncMaxBytes, ErrSyncTooLarge)
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(br, data); err != nil {
			return nil, answerReadError(err, tr, lr, "announcement")
		}
		a, err := Decode(data)
		if err != nil {
			return nil, fmt.Errorf("graph sync: announcement %d: %v: %w", len(out), err, ErrSyncMalformed)
		}
		out = append(out, frame{ann: a, data: data})
	}
}

func answerReadError(err error, tr *transportReader, lr *io.LimitedReader, what string) error {
	switch {
	case tr.err != nil:
		return fmt.Errorf("graph sync: reading %s: %v: %w", what, tr.err, ErrSyncInterrupted)
	case lr.N == 0:
		return fmt.Errorf("graph sync: more than %d bytes: %w", SyncMaxBytes, ErrSyncTooLarge)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("graph sync: answer ends inside a %s: %w", what, ErrSyncInterrupted)
	default: // a varint longer than 64 bits
		return fmt.Errorf("graph sync: %s: %v: %w", what, err, ErrSyncMalformed)
	}
}

// transportReader remembers the stream's own error (a reset, a deadline), which is not
// the answer's content.
type transportReader struct {
	r   io.Reader
	err error
}

func (t *transportReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}
