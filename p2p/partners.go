package p2p

import (
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/p2p/protocol/identify"
)

// partnerBackoffMax caps the redial backoff of a partner's keeper (see KeepPartner).
// A channel partner that restarts must be paying again within about a second of being
// reachable (issue 21, finding 8); a dial attempt per second to a handful of partners
// that are down costs next to nothing.
const partnerBackoffMax = time.Second

// identifyWait bounds how long KeepPartner waits for libp2p's identify exchange, which
// brings the peer's announced listen addresses, before it records what it has.
const identifyWait = 5 * time.Second

// partnerFlag marks a keeper whose peer shares a channel with this node.
type partnerFlag struct{ on atomic.Bool }

// KeepPartner marks peer as a channel partner: whichever side dialled, this node keeps it
// connected from now on (redialing with a backoff capped at about a second) and records
// its announced listen addresses in the address book, so a restarted node dials its
// partners at once instead of waiting for them to redial it. A partner that dialled in
// used to be known only while its session lasted (issue 21, finding 8). It does nothing
// without a live session, and returns at once; the work runs in the background.
func (t *Transport) KeepPartner(peerAddr common.Address) {
	s := t.currentSession(peerAddr)
	if s == nil {
		return
	}
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	t.wg.Add(1)
	t.mu.Unlock()
	go func() {
		defer t.wg.Done()
		k, err := t.keepQuietly(peerAddr, s)
		if err != nil {
			return
		}
		k.partner.on.Store(true)
		if !s.outbound {
			t.awaitIdentify(s)
		}
		t.remember(peerAddr, s.id)
	}()
}

// keepQuietly is keep without waking an existing keeper: the peer is connected.
func (t *Transport) keepQuietly(peerAddr common.Address, s *session) (*keeper, error) {
	t.mu.RLock()
	k := t.keepers[peerAddr]
	t.mu.RUnlock()
	if k != nil {
		return k, nil
	}
	return t.keep(peerAddr, s.id)
}

// awaitIdentify waits until identify has run on s's connection (the peer's listen
// addresses are then in the peerstore), at most identifyWait.
func (t *Transport) awaitIdentify(s *session) {
	ids, ok := t.host.(interface{ IDService() identify.IDService })
	if !ok || ids.IDService() == nil {
		return
	}
	timer := time.NewTimer(identifyWait)
	defer timer.Stop()
	select {
	case <-ids.IDService().IdentifyWait(s.stream.Conn()):
	case <-timer.C:
	case <-t.ctx.Done():
	}
}

// backoffCap is the longest wait between k's redials.
func (t *Transport) backoffCap(k *keeper) time.Duration {
	if k.partner.on.Load() {
		return max(t.cfg.DialBackoffMin, min(t.cfg.DialBackoffMax, partnerBackoffMax))
	}
	return t.cfg.DialBackoffMax
}
