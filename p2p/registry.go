package p2p

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
)

var (
	// errDuplicate: the new stream lost the tie-break against a live session.
	errDuplicate = errors.New("duplicate session")
	errReplaced  = errors.New("session replaced by a newer stream")
)

// startSession authenticates the peer, runs the handshake and registers the
// session, starting its reader and writer. The peer's address comes from the key
// Noise authenticated, never from anything it sent.
func (t *Transport) startSession(st network.Stream, outbound bool) (*session, error) {
	id := st.Conn().RemotePeer()
	addr, err := AddressFromPubKey(st.Conn().RemotePublicKey())
	if err != nil {
		st.Reset()
		return nil, fmt.Errorf("peer %s: %w", id, err)
	}
	if t.bans.isBanned(id) {
		st.Reset()
		t.stats.refuse(RefusedBanned)
		return nil, fmt.Errorf("peer %s (%s) is banned", addr, id)
	}
	var place slot
	if !outbound {
		var why RefusalReason
		place, why, err = t.acquireSlot(st.Conn().RemoteMultiaddr())
		if err != nil {
			st.Reset()
			t.stats.refuse(why)
			return nil, fmt.Errorf("peer %s: %w", addr, err)
		}
	}
	t.stats.handshaking.Add(1)
	fr := NewFrameReader(st)
	err = t.handshake(st, addr, fr)
	t.stats.handshaking.Add(-1)
	if err != nil {
		t.releaseSlot(place)
		t.stats.refuse(RefusedHandshake)
		if errors.Is(err, ErrMalformed) || errors.Is(err, ErrFrameTooLarge) {
			t.stats.malformed.Add(1)
			if t.bans.recordMalformed(id, t.cfg.Limits.MaxMalformed, t.cfg.Limits.MalformedWindow) {
				t.bans.ban(id, t.cfg.Limits.BanDuration)
				t.stats.ban(BanMalformed)
				t.log.Warn("peer banned", "peer", addr, "id", id, "kind", string(BanMalformed), "reason", err)
			}
		}
		if errors.Is(err, ErrIncompatible) {
			// Close, not Reset: a reset would discard the Goodbye we just
			// queued before the peer reads it.
			st.Close()
		} else {
			st.Reset()
		}
		return nil, err
	}
	s := &session{
		t:          t,
		addr:       addr,
		id:         id,
		stream:     st,
		outbound:   outbound,
		fr:         fr,
		queue:      newSendQueue(t.cfg.SendQueueSize),
		closing:    make(chan struct{}),
		readerDone: make(chan struct{}),
		writerDone: make(chan struct{}),
		slot:       place,
	}
	prev, err := t.register(s)
	if err != nil {
		t.releaseSlot(place)
		// Close, not Reset: the peer reaches the same tie-break verdict and is
		// dropping this stream as well.
		st.Close()
		return nil, err
	}
	go func() { defer t.wg.Done(); s.writeLoop() }()
	go func() { defer t.wg.Done(); s.readLoop(prev) }()
	t.log.Info("session up", "peer", addr, "outbound", outbound, "replaced", prev != nil)
	return s, nil
}

// register makes s the peer's session, or refuses it when a live session wins the
// tie-break. It returns the session s replaced, if any.
func (t *Transport) register(s *session) (*session, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, ErrClosed
	}
	cur := t.sessions[s.addr]
	if cur != nil && !isClosing(cur) && !t.prefer(s, cur) {
		return nil, fmt.Errorf("session with %s: %w", s.addr, errDuplicate)
	}
	t.sessions[s.addr] = s
	// Added under mu while open, so Close (which sets closed under mu) waits for
	// the reader and writer.
	t.wg.Add(2)
	if cur != nil {
		cur.close(errReplaced, nil)
	}
	return cur, nil
}

// prefer decides which of two live streams with one peer to keep, identically on
// both ends: when both sides dialed, keep the stream opened by the lower Ethereum
// address; when one side opened both, keep the newer one, because that side only
// opens a new stream after it saw the old one die.
func (t *Transport) prefer(newer, older *session) bool {
	opener := func(s *session) common.Address {
		if s.outbound {
			return t.self
		}
		return s.addr
	}
	a, b := opener(newer), opener(older)
	if a == b {
		return true
	}
	return string(a[:]) < string(b[:])
}

func isClosing(s *session) bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// unregister removes s if it is still the peer's current session.
func (t *Transport) unregister(s *session) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sessions[s.addr] == s {
		delete(t.sessions, s.addr)
	}
}

// currentSession returns the live session with addr, or nil.
func (t *Transport) currentSession(addr common.Address) *session {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.sessions[addr]
}
