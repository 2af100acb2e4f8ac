package gossip

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/sluicepay/sluice/channel"
)

// Graph sync: gossipsub does not replay history, so a node that connects after the
// announcements were flooded asks each new peer for the signed announcements it holds
// (its archive) and runs every one through the validator, as if gossip had brought it.
const (
	// DefaultSyncEvery: a peer is synced from at most once per this (and served twice,
	// then once per this), however often it reconnects.
	DefaultSyncEvery = 5 * time.Minute
	syncTimeout      = 30 * time.Second // one answer, from opening the stream to its end
	syncWorkers      = 2                // syncs we run at once
	syncServing      = 4                // answers we send at once
	syncQueue        = 1024             // peers waiting for a sync; past it, a new peer is skipped
	syncAttempts     = 3                // tries of one peer whose answer was interrupted
	// syncFollowUp: a second sync this long after the first. Gossipsub sends a message
	// only to peers whose subscription it has seen, and a peer grafted into the mesh later
	// gets no IHAVE for it: what a peer announced between our connecting and its seeing
	// our subscription would otherwise wait for its next refresh.
	syncFollowUp = 2 * time.Second
)

// SyncProtocol is the libp2p protocol of graph sync for one chain and contract: a peer of
// another network does not speak it. The client sends nothing; the server sends its
// announcements (uvarint length, bytes; see sync_codec.go) and closes.
func SyncProtocol(d channel.Domain) protocol.ID {
	return protocol.ID(fmt.Sprintf("/sluice/graph/1/%s/%s", d.ChainID, strings.ToLower(d.Contract.Hex())))
}

// startSync serves graph sync and syncs from every peer that speaks it: those connected
// now and each one identified later.
func (s *Service) startSync(ctx context.Context) error {
	sub, err := s.cfg.Host.EventBus().Subscribe(new(event.EvtPeerIdentificationCompleted))
	if err != nil {
		return fmt.Errorf("graph sync: %w", err)
	}
	s.cfg.Host.SetStreamHandler(s.proto, s.serveSync)
	s.wg.Add(1 + syncWorkers)
	go func() {
		defer s.wg.Done()
		defer sub.Close()
		for _, p := range s.cfg.Host.Network().Peers() {
			if ok, _ := s.cfg.Host.Peerstore().SupportsProtocols(p, s.proto); len(ok) > 0 {
				s.enqueueSync(p)
			}
		}
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-sub.Out():
				if !ok {
					return
				}
				if ev, _ := e.(event.EvtPeerIdentificationCompleted); slices.Contains(ev.Protocols, s.proto) {
					s.enqueueSync(ev.Peer)
				}
			}
		}
	}()
	for range syncWorkers {
		go func() {
			defer s.wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case p := <-s.syncJobs:
					if !s.banned(p) && s.syncLimit.allow(p, time.Now()) {
						s.syncFrom(ctx, p)
					}
				}
			}
		}()
	}
	return nil
}

func (s *Service) enqueueSync(p peer.ID) {
	if p == s.self {
		return
	}
	select {
	case s.syncJobs <- p:
	default:
		s.cfg.Logger.Warn("graph sync: queue full, peer skipped until it reconnects", "peer", p)
	}
}

// syncFrom syncs from p (again after a pause if the answer was interrupted), then once
// more after syncFollowUp.
func (s *Service) syncFrom(ctx context.Context, p peer.ID) {
	if !s.syncRetrying(ctx, p) {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(syncFollowUp):
		s.syncRetrying(ctx, p)
	}
}

// syncRetrying syncs from p, retrying an interrupted answer; false if p was refused.
func (s *Service) syncRetrying(ctx context.Context, p peer.ID) bool {
	for attempt := range syncAttempts {
		if attempt > 0 {
			pause := time.Duration(1<<(2*attempt))*time.Second/2 + rand.N(500*time.Millisecond)
			select {
			case <-ctx.Done():
				return false
			case <-time.After(pause):
			}
		}
		n, err := s.SyncFrom(ctx, p)
		if s.cfg.OnSync != nil {
			s.cfg.OnSync(p, n, err)
		}
		switch {
		case err == nil:
			s.metrics.countSync(SyncOK)
			s.cfg.Logger.Debug("graph sync", "peer", p, "admitted", n)
			return true
		case errors.Is(err, ErrSyncInterrupted) && ctx.Err() == nil:
			s.metrics.countSync(SyncFailed)
			s.cfg.Logger.Debug("graph sync interrupted", "peer", p, "attempt", attempt+1, "err", err)
		case errors.Is(err, ErrSyncInterrupted):
			return false
		default:
			s.metrics.countSync(SyncRefused)
			s.cfg.Logger.Warn("graph sync answer refused", "peer", p, "err", err)
			return false
		}
	}
	return true
}

// SyncFrom asks p for its announcements now (the service does it on every new peer) and
// returns how many it admitted into the graph. A malformed or oversized answer, or one
// with an announcement that fails its own checks (signature, fields), changes nothing and
// costs p its place in the topic; one whose announcement fails against the chain stops
// there and costs p one strike, as a relayed one would. ErrSyncInterrupted: the transport
// failed, p is not blamed.
func (s *Service) SyncFrom(ctx context.Context, p peer.ID) (int, error) {
	if s.banned(p) {
		return 0, fmt.Errorf("graph sync with %s: peer is blacklisted: %w", p, ErrSyncRefused)
	}
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	st, err := s.cfg.Host.NewStream(network.WithAllowLimitedConn(ctx, "graph sync"), p, s.proto)
	if err != nil {
		return 0, fmt.Errorf("graph sync with %s: %v: %w", p, err, ErrSyncInterrupted)
	}
	defer st.Reset() // after a complete answer, a no-op
	// A server that never answers holds the read until the deadline; Close must not wait.
	defer context.AfterFunc(ctx, func() { st.Reset() })()
	if err := st.SetDeadline(time.Now().Add(syncTimeout)); err != nil {
		return 0, fmt.Errorf("graph sync with %s: %v: %w", p, err, ErrSyncInterrupted)
	}
	if err := st.CloseWrite(); err != nil {
		return 0, fmt.Errorf("graph sync with %s: %v: %w", p, err, ErrSyncInterrupted)
	}
	frames, err := readAnswer(st)
	if err != nil {
		if !errors.Is(err, ErrSyncInterrupted) {
			s.penalize(p, err, s.cfg.PenaltyThreshold)
		}
		return 0, err
	}
	return s.admitAnswer(ctx, p, frames)
}

// admitAnswer checks every announcement's fields and signature before any goes in, then
// admits them in order.
func (s *Service) admitAnswer(ctx context.Context, p peer.ID, frames []frame) (int, error) {
	v := s.cfg.Validator
	now := v.cfg.Now()
	for i, f := range frames {
		if err := v.check(f.ann, now); err != nil {
			s.refuse(p, err)
			return 0, fmt.Errorf("graph sync with %s: announcement %d of %d: %w: %w", p, i, len(frames), ErrSyncRefused, err)
		}
	}
	n := 0
	for i, f := range frames {
		if ctx.Err() != nil {
			return n, fmt.Errorf("graph sync with %s: %v: %w", p, ctx.Err(), ErrSyncInterrupted)
		}
		err := v.apply(ctx, p, f.ann, f.data, now, false)
		if err == nil {
			s.metrics.count(ResultAccepted, "")
			n++
			continue
		}
		if reason, ignore := Reason(err); ignore {
			s.metrics.count(ResultIgnored, reason)
			continue
		}
		s.refuse(p, err)
		return n, fmt.Errorf("graph sync with %s: announcement %d of %d: %w: %w", p, i, len(frames), ErrSyncRefused, err)
	}
	return n, nil
}

// refuse counts an announcement of p's answer that failed: one strike for what an
// honest peer may serve (a clock or a chain view that differs from ours), the whole
// threshold for what it never would (a forged signature, a malformed field).
func (s *Service) refuse(p peer.ID, err error) {
	reason, _ := Reason(err)
	s.metrics.count(ResultRejected, reason)
	weight := 1
	if !errors.Is(err, ErrStale) && !errors.Is(err, ErrFuture) && !errors.Is(err, ErrUnknownChannel) &&
		!errors.Is(err, ErrNotParticipant) && !errors.Is(err, ErrCapacityOverFunds) {
		weight = s.cfg.PenaltyThreshold
	}
	s.penalize(p, err, weight)
}

// serveSync answers a peer's sync: our freshest announcements the graph still holds,
// within the answer limits, at most syncServing at once and twice per peer per SyncEvery.
func (s *Service) serveSync(st network.Stream) {
	p := st.Conn().RemotePeer()
	if s.banned(p) || !s.serveLimit.allow(p, time.Now()) {
		st.Reset()
		return
	}
	wait := time.NewTimer(syncTimeout / 3)
	defer wait.Stop()
	select {
	case s.serving <- struct{}{}:
		defer func() { <-s.serving }()
	case <-wait.C:
		st.Reset()
		return
	}
	v := s.cfg.Validator
	// What would be stale to a peer whose clock is MaxSkew ahead is not sent.
	notBefore := v.cfg.Now().Add(-v.cfg.MaxAge + v.cfg.MaxSkew)
	frames := v.archive.snapshot(notBefore, SyncMaxAnnouncements, SyncMaxBytes)
	if err := st.SetDeadline(time.Now().Add(syncTimeout)); err != nil {
		st.Reset()
		return
	}
	if err := writeAnswer(st, frames); err != nil {
		s.cfg.Logger.Debug("graph sync: answer not sent", "peer", p, "err", err)
		st.Reset()
		return
	}
	st.Close()
}
