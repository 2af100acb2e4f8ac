package p2p

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Every inbound message has a cost bound per peer: the token bucket bounds the rate,
// malformed frames and handler refusals each have a budget per window, and past any of
// them the peer is banned, which the connection gater enforces for BanDuration.

// misbehaved records a malformed frame from s's peer and bans the peer once it
// passes the limit. fatal frames (oversized, bad length prefix) end the session
// regardless. It reports whether the session must end.
func (t *Transport) misbehaved(s *session, cause error, fatal bool) bool {
	lim := t.cfg.Limits
	t.stats.malformed.Add(1)
	if t.bans.recordMalformed(s.id, lim.MaxMalformed, lim.MalformedWindow) {
		t.banSession(s, BanMalformed, fmt.Errorf("more than %d malformed frames in %s, last: %w", lim.MaxMalformed, lim.MalformedWindow, cause))
		return true
	}
	t.logLimited(s.addr.Hex()+"/malformed", "malformed frame", "peer", s.addr, "err", cause)
	if fatal {
		s.close(cause, &Goodbye{Reason: reason("malformed frame: ", cause)})
	}
	return fatal
}

// Penalize records that the handler refused a message from peer for a reason an
// honest peer cannot produce in numbers (a bad signature, an unknown channel, a
// declined proposal). Past Limits.MaxRefused within RefusedWindow the peer is banned;
// Penalize then reports true. It does nothing for a peer without a session.
func (t *Transport) Penalize(peer common.Address, why string) bool {
	s := t.currentSession(peer)
	if s == nil {
		return false
	}
	if t.bans.isBanned(s.id) {
		// Refusals of messages read before the ban are not a second offence.
		return true
	}
	t.stats.penalties.Add(1)
	lim := t.cfg.Limits
	if !t.bans.recordRefused(s.id, lim.MaxRefused, lim.RefusedWindow) {
		return false
	}
	t.banSession(s, BanRefused, fmt.Errorf("more than %d refused messages in %s, last: %s", lim.MaxRefused, lim.RefusedWindow, why))
	return true
}

// TrySend queues msg for peer without ever waiting: a reply to a peer that does not
// read its stream is dropped (and counted in Stats.RepliesDropped) rather than holding
// a goroutine or the caller. Use it for answers to unsolicited requests.
func (t *Transport) TrySend(to common.Address, msg Message) error {
	s, err := t.sessionFor(to, msg)
	if err != nil {
		return err
	}
	err = s.enqueue(context.Background(), msg, true)
	if errors.Is(err, ErrQueueFull) {
		t.stats.dropped.Add(1)
	}
	return err
}

// banSession bans the peer, tells it why, and drops all its connections.
func (t *Transport) banSession(s *session, why BanReason, cause error) {
	t.bans.ban(s.id, t.cfg.Limits.BanDuration)
	t.stats.ban(why)
	t.log.Warn("peer banned", "peer", s.addr, "id", s.id, "for", t.cfg.Limits.BanDuration, "kind", string(why), "reason", cause)
	s.close(cause, &Goodbye{Reason: reason("banned: ", cause)})
	id := s.id
	t.goTracked(func() {
		// Let the goodbye reach the peer before the connection goes: closing the
		// connection at once would reset the stream under the unread goodbye. A peer
		// that does not read gets no more than goodbyeTimeout, so a full stream
		// cannot keep a banned peer connected. The gater already refuses anything
		// new from the peer meanwhile.
		timer := time.NewTimer(goodbyeTimeout)
		defer timer.Stop()
		select {
		case <-s.writerDone:
			select {
			case <-timer.C:
			case <-t.ctx.Done():
			}
		case <-timer.C:
		case <-t.ctx.Done():
		}
		t.host.Network().ClosePeer(id)
	})
}

// logLimited logs at WARN at most once per second per key, noting how many lines it
// swallowed since the last.
func (t *Transport) logLimited(key, msg string, args ...any) {
	ok, suppressed := t.logs.Allow(key, time.Now())
	if !ok {
		return
	}
	if suppressed > 0 {
		args = append(args, "suppressed", suppressed)
	}
	t.log.Warn(msg, args...)
}
