package tower

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/tower/wire"
)

// ErrClosed is returned by Start on a closed tower.
var ErrClosed = errors.New("tower closed")

// Tower is a running watchtower: a libp2p host serving tower/wire, a proof store and a
// chain follower that defends closes.
type Tower struct {
	cfg     Config
	log     *slog.Logger
	domain  channel.Domain
	chain   Chain
	store   *proofStore
	host    host.Host
	closeRM func() error
	metrics *metrics

	guarded atomic.Int64 // records (proofs) in the store, at most two per channel
	next    uint64       // first block the follower has not read; owned by the follower
	wake    chan struct{}
	locks   [256]sync.Mutex // by the channel id's first byte: one registration per channel at a time
	clients clients

	ctx       context.Context
	cancel    context.CancelFunc
	mu        sync.Mutex // guards closed, started, streams, defending, defended
	closed    bool
	started   bool
	streams   map[network.Stream]struct{}
	defending map[channel.ID]struct{}
	// defended holds, per closing channel the chain shows defended, the head at which the
	// tower first saw it so; the channel is forgotten FinalityBlocks later (defendOne).
	defended map[channel.ID]uint64
	wg       sync.WaitGroup
}

// New opens the store under cfg.DataDir and starts the host; Start begins serving.
func New(cfg Config) (*Tower, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	st, err := openStore(filepath.Join(c.DataDir, "tower"))
	if err != nil {
		return nil, err
	}
	t := &Tower{
		cfg:       c,
		log:       c.Logger.With("component", "tower", "address", crypto.PubkeyToAddress(c.Key.PublicKey)),
		domain:    c.Chain.Domain(),
		chain:     c.Chain,
		store:     st,
		wake:      make(chan struct{}, 1),
		streams:   map[network.Stream]struct{}{},
		defending: map[channel.ID]struct{}{},
		defended:  map[channel.ID]uint64{},
		clients:   clients{byAddr: map[common.Address]*client{}, refusals: map[common.Address][]time.Time{}, banned: map[common.Address]time.Time{}},
	}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	fail := func(err error) (*Tower, error) {
		t.cancel()
		st.Close()
		return nil, err
	}
	if t.metrics, err = newMetrics(c.Metrics); err != nil {
		return fail(fmt.Errorf("tower metrics: %w", err))
	}
	n, err := st.count()
	if err != nil {
		return fail(fmt.Errorf("count guarded channels: %w", err))
	}
	t.guarded.Store(int64(n))
	t.metrics.proofs.Set(float64(n))
	cur, found, err := st.cursor()
	if err != nil {
		return fail(err)
	}
	t.next = c.StartBlock
	if found {
		t.next = cur + 1
	}
	h, closeRM, err := p2p.NewHost(c.Key, c.ListenAddrs, c.MaxPeers, nil)
	if err != nil {
		return fail(err)
	}
	t.host, t.closeRM = h, closeRM
	return t, nil
}

// Start serves clients and follows the chain until Close.
func (t *Tower) Start() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return ErrClosed
	}
	if t.started {
		return errors.New("tower already started")
	}
	t.started = true
	t.log.Info("tower started", "guarded", t.guarded.Load(), "from_block", t.next, "addrs", t.Addrs())
	t.host.SetStreamHandler(wire.ProtocolID, t.handleStream)
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		t.runFollower(t.ctx)
	}()
	return nil
}

// Close stops serving, resets client streams, waits for the follower and defenses in
// flight (their contexts end), then closes the host and the store.
func (t *Tower) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	streams := make([]network.Stream, 0, len(t.streams))
	for st := range t.streams {
		streams = append(streams, st)
	}
	t.mu.Unlock()
	t.cancel()
	t.host.RemoveStreamHandler(wire.ProtocolID)
	for _, st := range streams {
		st.Reset()
	}
	herr := t.host.Close()
	t.wg.Wait()
	return errors.Join(herr, t.closeRM(), t.store.Close())
}

// Addrs are the multiaddrs (with /p2p/<id>) clients pass to --tower.
func (t *Tower) Addrs() []ma.Multiaddr {
	addrs, err := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: t.host.ID(), Addrs: t.host.Addrs()})
	if err != nil {
		return nil
	}
	return addrs
}

// Guarded is the number of proofs the tower holds (at most two per channel, one per direction).
func (t *Tower) Guarded() int { return int(t.guarded.Load()) }

func (t *Tower) lockFor(id channel.ID) *sync.Mutex { return &t.locks[id[0]] }

// Guarding reports the nonce of the proof of payer's payments on id the tower holds, if any.
func (t *Tower) Guarding(id channel.ID, payer channel.Party) (nonce uint64, ok bool, err error) {
	rec, ok, err := t.store.get(id, payer)
	return rec.Nonce, ok, err
}
