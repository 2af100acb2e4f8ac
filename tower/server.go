package tower

import (
	"bufio"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/network"
	"golang.org/x/time/rate"

	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/tower/wire"
)

// client is the per-address state shared by a client's streams: one rate limit whatever
// the number of streams it opens.
type client struct {
	streams int
	limiter *rate.Limiter
}

// clients tracks connected clients, recent refusals and bans. A client entry lives while
// it has a stream open; refusals for RefusalWindow (so reconnecting does not clear them);
// bans until they expire. Memory follows live and recently misbehaving clients.
type clients struct {
	mu       sync.Mutex
	byAddr   map[common.Address]*client
	refusals map[common.Address][]time.Time // within RefusalWindow, oldest first
	banned   map[common.Address]time.Time
}

// sweepAbove is the size past which expired refusals and bans are swept on the next refusal.
const sweepAbove = 4096

func (t *Tower) admit(addr common.Address) (*client, bool) {
	c := &t.clients
	c.mu.Lock()
	defer c.mu.Unlock()
	if until, ok := c.banned[addr]; ok {
		if time.Now().Before(until) {
			return nil, false
		}
		delete(c.banned, addr)
	}
	cl := c.byAddr[addr]
	if cl == nil {
		cl = &client{limiter: rate.NewLimiter(rate.Limit(t.cfg.RegisterRate), t.cfg.RegisterBurst)}
		c.byAddr[addr] = cl
	}
	cl.streams++
	return cl, true
}

func (t *Tower) release(addr common.Address) {
	c := &t.clients
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl := c.byAddr[addr]; cl != nil {
		if cl.streams--; cl.streams <= 0 {
			delete(c.byAddr, addr)
		}
	}
}

// countRefusal records bad input from addr and reports whether it is now banned.
func (t *Tower) countRefusal(addr common.Address) bool {
	c := &t.clients
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if len(c.refusals)+len(c.banned) > sweepAbove {
		for a, list := range c.refusals {
			if len(list) == 0 || now.Sub(list[len(list)-1]) >= t.cfg.RefusalWindow {
				delete(c.refusals, a)
			}
		}
		for a, until := range c.banned {
			if now.After(until) {
				delete(c.banned, a)
			}
		}
	}
	list := c.refusals[addr]
	kept := list[:0]
	for _, at := range list {
		if now.Sub(at) < t.cfg.RefusalWindow {
			kept = append(kept, at)
		}
	}
	kept = append(kept, now)
	if len(kept) < t.cfg.MaxRefusals {
		c.refusals[addr] = kept
		return false
	}
	c.banned[addr] = now.Add(t.cfg.BanDuration)
	delete(c.refusals, addr)
	t.log.Warn("client banned for bad registrations", "client", addr, "refusals", t.cfg.MaxRefusals, "window", t.cfg.RefusalWindow, "for", t.cfg.BanDuration)
	return true
}

// handshakeTimeout bounds the Hello exchange.
const handshakeTimeout = 10 * time.Second

// handleStream serves one client stream: Hello both ways, then a Receipt for every
// Register, in order. It runs on libp2p's goroutine; Close resets every stream.
func (t *Tower) handleStream(st network.Stream) {
	if !t.trackStream(st) {
		st.Reset()
		return
	}
	defer t.untrackStream(st)
	defer st.Close()
	addr, err := p2p.AddressFromPubKey(st.Conn().RemotePublicKey())
	if err != nil {
		t.metrics.streams.WithLabelValues(reasonNotSecp256k1).Inc()
		st.Reset()
		return
	}
	cl, ok := t.admit(addr)
	if !ok {
		t.metrics.streams.WithLabelValues(reasonBanned).Inc()
		st.Reset()
		return
	}
	defer t.release(addr)
	log := t.log.With("client", addr)
	if err := t.serve(st, addr, cl); err != nil && t.ctx.Err() == nil {
		log.Debug("client stream ended", "err", err)
	}
}

func (t *Tower) serve(st network.Stream, addr common.Address, cl *client) error {
	r := wire.NewReader(st)
	w := bufio.NewWriterSize(st, 2*wire.MaxFrameSize)
	ours := &wire.Hello{Version: wire.Version, ChainID: t.domain.ChainID, Contract: t.domain.Contract}
	st.SetDeadline(time.Now().Add(handshakeTimeout))
	if err := writeMsg(w, ours); err != nil {
		return err
	}
	m, err := r.Read()
	if err != nil {
		return t.badFrame(addr, err)
	}
	hello, ok := m.(*wire.Hello)
	if !ok {
		return t.badFrame(addr, fmt.Errorf("%w: first message is %s, want Hello", wire.ErrMalformed, m.Type()))
	}
	if hello.Version != ours.Version || hello.ChainID.Cmp(ours.ChainID) != 0 || hello.Contract != ours.Contract {
		t.metrics.streams.WithLabelValues(reasonWrongDomain).Inc()
		return fmt.Errorf("client serves version %d, chain %s, contract %s", hello.Version, hello.ChainID, hello.Contract)
	}
	for {
		st.SetDeadline(time.Now().Add(t.cfg.IdleTimeout))
		m, err := r.Read()
		if err != nil {
			return t.badFrame(addr, err)
		}
		reg, ok := m.(*wire.Register)
		if !ok {
			return t.badFrame(addr, fmt.Errorf("%w: %s from a client", wire.ErrMalformed, m.Type()))
		}
		var rc wire.Receipt
		if !cl.limiter.Allow() {
			rc = wire.Receipt{Channel: reg.Channel, Nonce: reg.Nonce, Code: wire.CodeRateLimited, Reason: "too many registrations; retry later"}
			t.metrics.registrations.WithLabelValues(rc.Code.String()).Inc()
		} else {
			rc = t.register(t.ctx, addr, reg)
		}
		if err := writeMsg(w, &rc); err != nil {
			return err
		}
		if isBadInput(rc.Code) && t.countRefusal(addr) {
			st.Reset()
			return errors.New("banned")
		}
	}
}

// badFrame counts a frame that is not a tower message (a closed stream is not one).
func (t *Tower) badFrame(addr common.Address, err error) error {
	if errors.Is(err, wire.ErrMalformed) {
		t.metrics.streams.WithLabelValues(reasonMalformed).Inc()
		t.countRefusal(addr)
	}
	return err
}

// isBadInput tells refusals that count towards a ban from answers an honest client gets.
func isBadInput(c wire.Code) bool {
	switch c {
	case wire.CodeAccepted, wire.CodeStale, wire.CodeRateLimited, wire.CodeUnavailable, wire.CodeFull, wire.CodeNotDisputable:
		return false
	}
	return true
}

func writeMsg(w *bufio.Writer, m wire.Message) error {
	frame, err := wire.AppendFrame(nil, m)
	if err != nil {
		return err
	}
	if _, err := w.Write(frame); err != nil {
		return err
	}
	return w.Flush()
}

// trackStream registers a live stream so Close can reset it; false once closing.
func (t *Tower) trackStream(st network.Stream) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.streams[st] = struct{}{}
	t.wg.Add(1)
	return true
}

func (t *Tower) untrackStream(st network.Stream) {
	t.mu.Lock()
	delete(t.streams, st)
	t.mu.Unlock()
	t.wg.Done()
}
