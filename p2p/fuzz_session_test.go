package p2p

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// pipeStream is the peer's side of a session as a network.Stream: reads come from a
// fixed byte sequence, then EOF; writes are discarded. Any other Stream method is
// not expected of a session and panics through the nil embedded interface.
type pipeStream struct {
	network.Stream
	r *bytes.Reader
}

func (p *pipeStream) Read(b []byte) (int, error)       { return p.r.Read(b) }
func (p *pipeStream) Write(b []byte) (int, error)      { return len(b), nil }
func (p *pipeStream) Close() error                     { return nil }
func (p *pipeStream) Reset() error                     { return nil }
func (p *pipeStream) SetReadDeadline(time.Time) error  { return nil }
func (p *pipeStream) SetWriteDeadline(time.Time) error { return nil }
func (p *pipeStream) SetDeadline(time.Time) error      { return nil }
func (p *pipeStream) CloseWrite() error                { return nil }
func (p *pipeStream) CloseRead() error                 { return nil }

// recordingHandler keeps the calls of the one session under test.
type recordingHandler struct {
	mu     sync.Mutex
	events []string
	msgs   []Message
}

func (h *recordingHandler) PeerConnected(common.Address) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, "connected")
}

func (h *recordingHandler) PeerDisconnected(common.Address) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, "disconnected")
}

func (h *recordingHandler) HandleMessage(_ common.Address, m Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, "message")
	h.msgs = append(h.msgs, m)
}

// sessionOps turns fuzz input into a stream of frames, so the fuzzer composes
// SEQUENCES of messages instead of mutating one frame: each op byte b appends
//   - b < 0x40: a valid frame of sample message b (Hello, Goodbye, Ping, Pay, ...);
//   - b < 0x80: a frame whose payload is the next b&0x3f input bytes (mostly malformed);
//   - else: the next b&0x7f input bytes as they are (garbage, a half frame, a bad prefix).
func sessionOps(ops []byte) []byte {
	samples := orderedSamples()
	enc := NewEncoder()
	var out []byte
	for len(ops) > 0 {
		b := ops[0]
		ops = ops[1:]
		switch {
		case b < 0x40:
			out, _ = enc.AppendFrame(out, samples[int(b)%len(samples)])
		default:
			n := min(int(b&0x3f), len(ops))
			if b >= 0x80 {
				n = min(int(b&0x7f), len(ops))
			} else {
				out = binary.AppendUvarint(out, uint64(n))
			}
			out = append(out, ops[:n]...)
			ops = ops[n:]
		}
	}
	return out
}

func orderedSamples() []Message {
	m := sampleMessages()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := []Message{&Ping{}}
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// expectedDeliveries is the oracle: the messages a session must hand to its handler
// for stream, by the rules of readMessages, and whether the peer ends banned.
func expectedDeliveries(stream []byte, maxMalformed int) (msgs []Message, banned bool) {
	fr := NewFrameReader(bytes.NewReader(stream))
	malformed := 0
	for {
		payload, err := fr.ReadFrame()
		if err != nil {
			if errors.Is(err, ErrMalformed) || errors.Is(err, ErrFrameTooLarge) {
				malformed++
			}
			return msgs, malformed > maxMalformed
		}
		m, err := DecodeMessage(payload)
		if err == nil {
			if _, ok := m.(*Hello); ok {
				err = ErrMalformed
			}
		}
		if err != nil {
			if malformed++; malformed > maxMalformed {
				return msgs, true
			}
			continue
		}
		switch m.(type) {
		case *Ping:
			continue
		case *Goodbye:
			return msgs, false
		}
		msgs = append(msgs, m)
	}
}

// FuzzSessionFrameSequences drives a session's reader, the state machine between
// Hello and the end of the session, with arbitrary frame sequences. Whatever arrives,
// the handler sees PeerConnected, exactly the valid non-session messages up to the
// first Goodbye, fatal frame or ban, in order, then PeerDisconnected; the session
// ends, and no session is left counted as active.
func FuzzSessionFrameSequences(f *testing.F) {
	const maxMalformed = 3
	h := &recordingHandler{}
	node := startNode(f, func(c *Config) {
		c.Handler = h
		c.Limits.MaxMalformed = maxMalformed
		c.Limits.MessageRate, c.Limits.MessageBurst = math.MaxFloat64, math.MaxInt32
	})
	f.Add([]byte{})
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
	f.Add([]byte{3, 0x43, 1, 2, 3, 3, 0x41, 0xff, 3})             // malformed frames between valid ones
	f.Add([]byte{3, 0x83, 0xff, 0xff, 0x04, 3})                   // oversized prefix: fatal
	f.Add([]byte{3, 0x82, 0x20, 0x01})                            // half a frame, then EOF
	f.Add([]byte{0x41, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0x41, 0, 3}) // banned past maxMalformed
	var seq atomic.Uint64
	f.Fuzz(func(t *testing.T, ops []byte) {
		stream := sessionOps(ops)
		want, wantBan := expectedDeliveries(stream, maxMalformed)
		h.mu.Lock()
		h.events, h.msgs = nil, nil
		h.mu.Unlock()
		bansBefore := node.Stats().Bans[BanMalformed]

		st := &pipeStream{r: bytes.NewReader(stream)}
		s := &session{
			t: node.Transport, addr: common.Address{1}, id: peer.ID(fmt.Sprintf("fuzz-%d", seq.Add(1))),
			stream: st, fr: NewFrameReader(st), queue: newSendQueue(16),
			closing: make(chan struct{}), readerDone: make(chan struct{}), writerDone: make(chan struct{}),
		}
		go s.writeLoop()
		done := make(chan struct{})
		go func() { defer close(done); s.readLoop(nil) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("session did not end after its stream did")
		}

		h.mu.Lock()
		defer h.mu.Unlock()
		if len(h.events) < 2 || h.events[0] != "connected" || h.events[len(h.events)-1] != "disconnected" {
			t.Fatalf("handler events %v: want connected, messages, disconnected", h.events)
		}
		if len(h.msgs) != len(want) {
			t.Fatalf("delivered %d messages, want %d", len(h.msgs), len(want))
		}
		enc := NewEncoder()
		for i := range want {
			got, _ := enc.AppendFrame(nil, h.msgs[i])
			exp, _ := enc.AppendFrame(nil, want[i])
			if !bytes.Equal(got, exp) {
				t.Fatalf("message %d is %s, want %s", i, h.msgs[i].Type(), want[i].Type())
			}
		}
		if banned := node.Stats().Bans[BanMalformed] > bansBefore; banned != wantBan {
			t.Fatalf("banned %v, want %v", banned, wantBan)
		}
		if a := node.Stats().Active; a != 0 {
			t.Fatalf("%d sessions still counted active", a)
		}
	})
}
