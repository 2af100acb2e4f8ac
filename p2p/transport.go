package p2p

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/muxer/yamux"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	ma "github.com/multiformats/go-multiaddr"
)

// ProtocolID is the one stream protocol Sluice speaks.
const ProtocolID protocol.ID = "/sluice/1.0.0"

var (
	// ErrClosed is returned by calls on a closed Transport.
	ErrClosed = errors.New("p2p transport closed")
	// ErrNotConnected is returned by Send when no session with the peer is up.
	ErrNotConnected = errors.New("peer not connected")
	// ErrQueueFull is returned by Send in FailFast mode when the peer's queue is full.
	ErrQueueFull = errors.New("peer send queue full")
)

// Transport is the node's libp2p endpoint: one ordered session per peer.
type Transport struct {
	cfg    Config
	log    *slog.Logger
	host   host.Host
	self   common.Address
	bans   *banList
	ctx    context.Context // cancelled by Close; parents every background goroutine
	cancel context.CancelFunc

	mu       sync.RWMutex
	closed   bool
	sessions map[common.Address]*session
	keepers  map[common.Address]*keeper
	wg       sync.WaitGroup // every goroutine this package starts

	mdns interface{ Close() error }
	// rm is the resource manager sized from Config.MaxPeers; the host does not close it.
	rm network.ResourceManager

	slots sessionSlots // guarded by mu
	stats counters
	logs  *logLimiter
}

// New starts a host on cfg.ListenAddrs, dials static and address-book peers, and
// accepts sessions until Close.
func New(cfg Config) (*Transport, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	sk, err := PrivKey(c.Key)
	if err != nil {
		return nil, err
	}
	self, err := AddressFromPubKey(sk.GetPublic())
	if err != nil {
		return nil, err
	}
	t := &Transport{
		cfg:      c,
		log:      c.Logger.With("component", "p2p", "self", self),
		self:     self,
		bans:     newBanList(time.Now),
		sessions: map[common.Address]*session{},
		keepers:  map[common.Address]*keeper{},
		slots:    sessionSlots{perIP: map[string]int{}, perSubnet: map[string]int{}},
		logs:     newLogLimiter(time.Second, 4096),
	}
	t.bans.accepts.init(c.Limits, func() { t.stats.refuse(RefusedConnRate) })
	opts := []libp2p.Option{
		libp2p.Identity(sk),
		libp2p.ListenAddrStrings(c.ListenAddrs...),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Muxer(yamux.ID, yamux.DefaultTransport),
		// Reuseport dials from the listen port, so two nodes dialling each other at once
		// form ONE TCP connection by simultaneous open, both sides act as Noise initiator and
		// the handshake fails ("message is too short"). NAT hole punching, the only reason
		// for reuseport, is not something Sluice nodes do.
		libp2p.Transport(tcp.NewTCPTransport, tcp.DisableReuseport()),
		libp2p.DisableRelay(),
		libp2p.Ping(false),
		libp2p.DisableMetrics(),
		libp2p.ConnectionManager(connmgr.NullConnMgr{}),
		libp2p.ConnectionGater(t.bans),
	}
	for _, a := range c.ListenAddrs {
		if strings.Contains(a, "/quic-v1") {
			opts = append(opts, libp2p.Transport(quic.NewTransport))
			break
		}
	}
	if err := checkListenAddrs(c.ListenAddrs); err != nil {
		return nil, err
	}
	announce, err := announceOption(c.AnnounceAddrs)
	if err != nil {
		return nil, err
	}
	if announce != nil {
		opts = append(opts, announce)
	}
	rm, err := ResourceManager(c)
	if err != nil {
		return nil, err
	}
	t.rm = rm
	opts = append(opts, libp2p.ResourceManager(rm))
	h, err := libp2p.New(opts...)
	if err != nil {
		rm.Close()
		return nil, fmt.Errorf("p2p: start host on %v: %w", c.ListenAddrs, err)
	}
	t.host = h
	t.ctx, t.cancel = context.WithCancel(context.Background())
	h.SetStreamHandler(ProtocolID, t.handleStream)
	if err := t.startDiscovery(); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// Address is this node's Ethereum address.
func (t *Transport) Address() common.Address { return t.self }

// ID is this node's libp2p peer ID.
func (t *Transport) ID() peer.ID { return t.host.ID() }

// Host is the libp2p host, so other protocols (routing gossip) share its connections.
func (t *Transport) Host() host.Host { return t.host }

// Addrs returns the full multiaddrs (with /p2p/<id>) other nodes can dial.
func (t *Transport) Addrs() []ma.Multiaddr {
	addrs, err := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: t.host.ID(), Addrs: t.host.Addrs()})
	if err != nil {
		return nil
	}
	return addrs
}

// Peers lists the live sessions.
func (t *Transport) Peers() []PeerInfo {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]PeerInfo, 0, len(t.sessions))
	for _, s := range t.sessions {
		out = append(out, s.info())
	}
	return out
}

// Send queues msg for peer to. It blocks while the peer's queue is full (unless
// FailFast) until ctx ends. Returning nil means queued, not delivered: delivery is
// confirmed only by the protocol (Ack).
func (t *Transport) Send(ctx context.Context, to common.Address, msg Message) error {
	s, err := t.sessionFor(to, msg)
	if err != nil {
		return err
	}
	return s.enqueue(ctx, msg, t.cfg.FailFast)
}

// sessionFor validates msg and returns the live session it would go out on.
func (t *Transport) sessionFor(to common.Address, msg Message) (*session, error) {
	if err := Validate(msg); err != nil {
		return nil, err
	}
	t.mu.RLock()
	s := t.sessions[to]
	closed := t.closed
	t.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	if s == nil {
		return nil, fmt.Errorf("send %s to %s: %w", msg.Type(), to, ErrNotConnected)
	}
	return s, nil
}

// Connected reports whether a live session with the peer at addr exists: one map lookup,
// cheap enough for every payment.
func (t *Transport) Connected(addr common.Address) bool {
	t.mu.RLock()
	s := t.sessions[addr]
	t.mu.RUnlock()
	return s != nil && !isClosing(s)
}

// errDisconnected is the cause of a session ended by Disconnect.
var errDisconnected = errors.New("disconnected on request")

// Disconnect ends the session with the peer at addr, telling it why. Keeping is
// untouched: whichever side dialled redials with its usual backoff, so this forces a
// reconnect (and the Sync that follows one) without restarting either node.
func (t *Transport) Disconnect(addr common.Address) error {
	t.mu.RLock()
	s, closed := t.sessions[addr], t.closed
	t.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	if s == nil {
		return fmt.Errorf("disconnect %s: %w", addr, ErrNotConnected)
	}
	s.close(errDisconnected, &Goodbye{Reason: "disconnected on request"})
	return nil
}

// Close ends every session and background goroutine, then the host. Handlers see
// PeerDisconnected for each live session before Close returns.
func (t *Transport) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	sessions := make([]*session, 0, len(t.sessions))
	for _, s := range t.sessions {
		sessions = append(sessions, s)
	}
	t.mu.Unlock()

	t.cancel()
	t.host.RemoveStreamHandler(ProtocolID)
	if t.mdns != nil {
		t.mdns.Close()
	}
	for _, s := range sessions {
		s.close(ErrClosed, &Goodbye{Reason: "node shutting down"})
	}
	// Closing the host resets every stream, which unblocks handshakes in progress.
	err := errors.Join(t.host.Close(), t.rm.Close())
	t.wg.Wait()
	return err
}

// goTracked starts fn unless the transport is closed; Close waits for it.
func (t *Transport) goTracked(fn func()) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		fn()
	}()
	return true
}

// handleStream runs on libp2p's goroutine for each inbound /sluice stream.
func (t *Transport) handleStream(st network.Stream) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		st.Reset()
		return
	}
	t.wg.Add(1)
	t.mu.Unlock()
	defer t.wg.Done()
	if _, err := t.startSession(st, false); err != nil && !errors.Is(err, errDuplicate) {
		if ok, suppressed := t.logs.Allow("refused/"+st.Conn().RemotePeer().String(), time.Now()); ok {
			t.log.Info("inbound session refused", "peer", st.Conn().RemotePeer(), "err", err, "suppressed", suppressed)
		}
	}
}
