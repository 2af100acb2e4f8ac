package p2p

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
)

// keeper keeps one dialed peer connected: whenever the peer has no session it
// redials with exponential backoff and jitter. dialing serialises its dials with
// Connect's, so this node never races itself into two streams; it is a channel
// rather than a mutex so that a caller's context can cut the wait short.
type keeper struct {
	addr    common.Address
	id      peer.ID
	dialing chan struct{}
	kick    chan struct{} // a new address arrived: retry now
	partner partnerFlag   // a channel partner: backoff capped low (KeepPartner)
}

// Connect dials info, runs the handshake and keeps the peer connected from then on
// (redialing after failures and restarts). It returns once a session is up, or
// with the first attempt's error; redialing continues in the background either way.
func (t *Transport) Connect(ctx context.Context, info peer.AddrInfo) error {
	addr, err := AddressFromPeerID(info.ID)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	if info.ID == t.host.ID() {
		return fmt.Errorf("connect %s: that is this node", addr)
	}
	t.host.Peerstore().AddAddrs(info.ID, info.Addrs, peerstore.PermanentAddrTTL)
	k, err := t.keep(addr, info.ID)
	if err != nil {
		return err
	}
	if err := t.dial(ctx, k); err != nil {
		return err
	}
	t.remember(addr, info.ID)
	return nil
}

// keep returns the peer's keeper, starting it on first use.
func (t *Transport) keep(addr common.Address, id peer.ID) (*keeper, error) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil, ErrClosed
	}
	k := t.keepers[addr]
	if k != nil {
		t.mu.Unlock()
		select {
		case k.kick <- struct{}{}:
		default:
		}
		return k, nil
	}
	k = &keeper{addr: addr, id: id, dialing: make(chan struct{}, 1), kick: make(chan struct{}, 1)}
	t.keepers[addr] = k
	t.wg.Add(1)
	t.mu.Unlock()
	go func() {
		defer t.wg.Done()
		t.keepConnected(k)
	}()
	return k, nil
}

// dial opens a session to k's peer unless one is already up.
func (t *Transport) dial(ctx context.Context, k *keeper) error {
	select {
	case k.dialing <- struct{}{}:
		defer func() { <-k.dialing }()
	case <-ctx.Done():
		return fmt.Errorf("dial %s: %w", k.addr, ctx.Err())
	}
	if s := t.currentSession(k.addr); s != nil && !isClosing(s) {
		return nil
	}
	if t.bans.isBanned(k.id) {
		return fmt.Errorf("dial %s: peer is banned", k.addr)
	}
	// Our own backoff governs redials, so bypass the swarm's (5s and growing).
	ctx = network.WithForceDirectDial(ctx, "sluice redial")
	if err := t.host.Connect(ctx, peer.AddrInfo{ID: k.id}); err != nil {
		return fmt.Errorf("dial %s: %w", k.addr, err)
	}
	st, err := t.host.NewStream(ctx, k.id, ProtocolID)
	if err != nil {
		return t.sessionFromOtherSide(ctx, k, fmt.Errorf("open stream to %s: %w", k.addr, err))
	}
	if _, err := t.startSession(st, true); err != nil && !errors.Is(err, errDuplicate) {
		return t.sessionFromOtherSide(ctx, k, err)
	}
	return nil
}

// sessionFromOtherSide decides a failed dial. When both nodes dial each other at once, the
// tie-break keeps one stream and resets the other, so the loser's handshake fails although
// the peers are now connected: that is success. It waits briefly for the winning session.
func (t *Transport) sessionFromOtherSide(ctx context.Context, k *keeper, dialErr error) error {
	deadline := time.NewTimer(2 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if s := t.currentSession(k.addr); s != nil && !isClosing(s) {
			return nil
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return dialErr
		case <-ctx.Done():
			return dialErr
		}
	}
}

// stableSession is how long a session must last before a redial starts again
// from the shortest backoff; a peer that accepts and then drops us at once is
// retried ever more slowly instead of in a tight loop.
const stableSession = 10 * time.Second

// keepConnected is k's goroutine: wait while a session is up, redial when not.
func (t *Transport) keepConnected(k *keeper) {
	backoff := t.cfg.DialBackoffMin
	for {
		if s := t.currentSession(k.addr); s != nil {
			up := time.Now()
			select {
			case <-s.readerDone:
			case <-t.ctx.Done():
				return
			}
			if time.Since(up) >= stableSession || k.partner.on.Load() {
				backoff = t.cfg.DialBackoffMin
			}
		} else if err := t.dial(t.ctx, k); err == nil {
			if t.currentSession(k.addr) != nil {
				t.remember(k.addr, k.id)
				continue
			}
		} else if t.ctx.Err() == nil {
			t.log.Debug("redial failed", "peer", k.addr, "retry_in", backoff, "err", err)
		}
		timer := time.NewTimer(jitter(backoff))
		select {
		case <-timer.C:
		case <-k.kick:
			timer.Stop()
		case <-t.ctx.Done():
			timer.Stop()
			return
		}
		backoff = min(2*backoff, t.backoffCap(k))
	}
}

// jitter spreads d by ±20% so that peers restarted together do not redial in step.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}
