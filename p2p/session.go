package p2p

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// flushThreshold caps how many bytes the writer batches before one Write: large
// enough for hundreds of Pay frames per syscall, small enough to keep latency flat.
const flushThreshold = 32 << 10

// goodbyeTimeout bounds the last write of a session that is being closed.
const goodbyeTimeout = time.Second

// session is one handshaken stream with one peer. Its reader goroutine owns the
// frame reader and the rate limiter; its writer goroutine owns the encoder and is
// the only one that writes to or finally closes the stream.
type session struct {
	t        *Transport
	addr     common.Address
	id       peer.ID
	stream   network.Stream
	outbound bool
	fr       *FrameReader
	queue    *sendQueue

	closing    chan struct{}
	closeOnce  sync.Once
	closeErr   error
	goodbye    *Goodbye // sent by the writer before closing, if set
	readerDone chan struct{}
	writerDone chan struct{}

	slot    slot // the per-IP and per-subnet place this session holds
	partial bool // the reader's deadline is FrameTimeout, not IdleTimeout; reader-owned
}

func (s *session) info() PeerInfo {
	return PeerInfo{Address: s.addr, ID: s.id, Remote: s.stream.Conn().RemoteMultiaddr(), Outbound: s.outbound}
}

// close ends the session once; the first cause wins. bye, if set, is sent to the
// peer (best effort) so it can log why.
func (s *session) close(cause error, bye *Goodbye) {
	s.closeOnce.Do(func() {
		s.closeErr = cause
		s.goodbye = bye
		close(s.closing)
	})
}

func (s *session) enqueue(ctx context.Context, m Message, failFast bool) error {
	select {
	case <-s.closing:
		return fmt.Errorf("send %s to %s: %w", m.Type(), s.addr, ErrNotConnected)
	default:
	}
	for {
		room, ok := s.queue.push(m)
		if ok {
			return nil
		}
		if failFast {
			return fmt.Errorf("send %s to %s: %w", m.Type(), s.addr, ErrQueueFull)
		}
		select {
		case <-room:
		case <-s.closing:
			return fmt.Errorf("send %s to %s: %w", m.Type(), s.addr, ErrNotConnected)
		case <-ctx.Done():
			return fmt.Errorf("send %s to %s: %w", m.Type(), s.addr, ctx.Err())
		}
	}
}

// writeLoop takes everything queued and writes it in as few calls as flushThreshold
// allows, so a burst of small frames costs one yamux frame and one syscall.
func (s *session) writeLoop() {
	defer close(s.writerDone)
	enc := NewEncoder()
	// Starts small and grows to about flushThreshold only for busy peers, so a hub
	// with many idle peers does not hold a large buffer per session.
	buf := make([]byte, 0, 4<<10)
	var batch []Message
	// A Ping goes out when a whole keepalive period passed without a write, so the
	// peer's IdleTimeout never ends a session that is merely quiet.
	keepalive := time.NewTicker(s.t.cfg.Limits.IdleTimeout / 3)
	defer keepalive.Stop()
	wrote := false
	for {
		select {
		case <-s.queue.ready:
			wrote = true
		case <-keepalive.C:
			if wrote {
				wrote = false
				continue
			}
			s.queue.push(&Ping{})
			continue
		case <-s.closing:
			s.finish(enc)
			return
		}
		batch = s.queue.take(batch)
		buf = buf[:0]
		for i, m := range batch {
			buf = s.appendFrame(enc, buf, m)
			if len(buf) == 0 || (len(buf) < flushThreshold && i < len(batch)-1) {
				continue
			}
			if err := s.writeAll(buf); err != nil {
				s.close(fmt.Errorf("write to %s: %w", s.addr, err), nil)
				s.stream.Reset()
				return
			}
			buf = buf[:0]
		}
		batch = clearBatch(batch)
	}
}

// writeAll writes buf, dropping the peer only when no byte moves for WriteTimeout.
// A slow but live reader frees yamux window in large steps, so a deadline on the
// whole batch would drop peers that are merely behind.
func (s *session) writeAll(buf []byte) error {
	for {
		s.stream.SetWriteDeadline(time.Now().Add(s.t.cfg.WriteTimeout))
		n, err := s.stream.Write(buf)
		if err == nil {
			return nil
		}
		var ne net.Error
		if n == 0 || !errors.As(err, &ne) || !ne.Timeout() {
			return err
		}
		buf = buf[n:]
	}
}

func (s *session) appendFrame(enc *Encoder, buf []byte, m Message) []byte {
	out, err := enc.AppendFrame(buf, m)
	if err != nil {
		// Send validated m already; only a message mutated after Send gets here.
		s.t.log.Error("dropping unencodable message", "peer", s.addr, "err", err)
		return buf
	}
	return out
}

// finish says goodbye if asked to, then closes the stream: Close when we have
// something to say so it reaches the peer, Reset otherwise.
func (s *session) finish(enc *Encoder) {
	if s.goodbye == nil {
		s.stream.Reset()
		return
	}
	frame, err := enc.AppendFrame(nil, s.goodbye)
	if err == nil {
		s.stream.SetWriteDeadline(time.Now().Add(goodbyeTimeout))
		_, err = s.stream.Write(frame)
	}
	if err != nil {
		s.stream.Reset()
		return
	}
	s.stream.Close()
}

// readLoop delivers the peer's messages to the handler in order. It starts only
// after the session it replaced has finished its own handler calls.
func (s *session) readLoop(prev *session) {
	defer close(s.readerDone)
	if prev != nil {
		<-prev.readerDone
	}
	h := s.t.cfg.Handler
	s.t.stats.active.Add(1)
	h.PeerConnected(s.addr)
	err := s.readMessages(h)
	s.close(err, nil)
	s.t.unregister(s)
	h.PeerDisconnected(s.addr)
	<-s.writerDone
	s.t.stats.active.Add(-1)
	s.t.releaseSlot(s.slot)
	level := s.t.log.Info
	if errors.Is(s.closeErr, ErrClosed) || errors.Is(s.closeErr, errReplaced) {
		level = s.t.log.Debug
	}
	level("session ended", "peer", s.addr, "reason", s.closeErr)
}

func (s *session) readMessages(h Handler) error {
	lim := s.t.cfg.Limits
	bucket := newTokenBucket(lim.MessageRate, lim.MessageBurst, time.Now())
	s.fr.arm = s.armFrameDeadline
	for {
		if s.fr.Buffered() == 0 {
			// Nothing started: the peer may be quiet, but not for longer than IdleTimeout.
			s.partial = false
			s.stream.SetReadDeadline(time.Now().Add(s.t.cfg.Limits.IdleTimeout))
		}
		payload, err := s.fr.ReadFrame()
		if err != nil {
			return s.readFailed(err)
		}
		if !bucket.allow(time.Now()) {
			err := fmt.Errorf("peer %s exceeded %g msg/s (burst %d)", s.addr, lim.MessageRate, lim.MessageBurst)
			s.t.banSession(s, BanRate, err)
			return err
		}
		m, err := DecodeMessage(payload)
		if err != nil {
			if s.t.misbehaved(s, err, false) {
				return err
			}
			continue
		}
		switch m := m.(type) {
		case *Ping:
			continue
		case *Goodbye:
			return fmt.Errorf("peer %s said goodbye (code %d): %s", s.addr, m.Code, m.Reason)
		case *Hello:
			err := fmt.Errorf("%w: repeated Hello", ErrMalformed)
			if s.t.misbehaved(s, err, false) {
				return err
			}
			continue
		}
		h.HandleMessage(s.addr, m)
	}
}

// armFrameDeadline runs when the reader is about to wait for the rest of a frame it
// has started: the peer has FrameTimeout to send it.
func (s *session) armFrameDeadline() {
	s.partial = true
	s.stream.SetReadDeadline(time.Now().Add(s.t.cfg.Limits.FrameTimeout))
}

// readFailed classifies a read error: a deadline is an idle or a half-sent frame, a
// bad frame counts toward a ban, anything else is the stream ending.
func (s *session) readFailed(err error) error {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		if s.partial {
			s.t.stats.frameTimeouts.Add(1)
			err = fmt.Errorf("%w: no complete frame within %s", ErrMalformed, s.t.cfg.Limits.FrameTimeout)
			s.t.misbehaved(s, err, true)
			return fmt.Errorf("read from %s: %w", s.addr, err)
		}
		s.t.stats.idleTimeouts.Add(1)
		return fmt.Errorf("read from %s: idle for %s: %w", s.addr, s.t.cfg.Limits.IdleTimeout, err)
	case errors.Is(err, ErrFrameTooLarge) || errors.Is(err, ErrMalformed):
		s.t.misbehaved(s, err, true)
	}
	return fmt.Errorf("read from %s: %w", s.addr, err)
}

// reason renders err for a Goodbye, cut to the wire limit.
func reason(prefix string, err error) string {
	r := prefix + err.Error()
	if len(r) > MaxReasonSize {
		r = r[:MaxReasonSize]
	}
	return r
}
