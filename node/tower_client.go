package node

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/tower/wire"
)

// towerLink keeps a watchtower (Config.Tower) holding the best proof this node received on
// each channel, with this node's endorsement of it, so the tower can defend a close while
// the node is offline (docs/tower.md, docs/adr/0017).
//
// The payment path only marks a channel dirty: one map load and one atomic swap per
// proof, no lock, no signature. A goroutine sends the dirty channels every TowerFlush,
// reading each channel's latest proof at that moment, so a channel costs one registration
// per interval however many payments it took (coalesced; latest wins). A registration
// counts as delivered only on the tower's Receipt; anything unanswered when the stream
// breaks is sent again after reconnecting, and at start every channel is sent once (the
// tower answers "stale" for what it already holds).
//
// A channel's registration also carries, once per nonce, our best proof the partner
// endorsed (ADR 0032, 0037): the tower puts it on chain over an older proof of ours the
// partner closes with while we are offline, as the node's own watcher does
// (defendEndorsed). ownDone says which of those nonces the tower answered, so pruning
// what only an older proof needs can wait for it (ownHeld, prunableThrough).
type towerLink struct {
	n      *Node
	tower  peer.AddrInfo
	opener streamOpener
	flush  time.Duration

	flags sync.Map // channel.ID -> *atomic.Bool: set while the channel waits in queue
	mu    sync.Mutex
	queue []*liveChannel
	// sending counts channels taken from the queue whose receipts have not come back.
	sending atomic.Int64
	// ownDone is, per channel, the nonce of our endorsed proof the tower holds (it
	// answered accepted or stale); ownNo, the last one it refused for good.
	ownDone, ownNo map[channel.ID]uint64
	// ownNone: the tower answered "full" for our endorsed proof of the channel, and it
	// answers so only for a channel it guards no proof of ours on (ADR 0041).
	ownNone map[channel.ID]bool
	// ownUnsupported: the tower refused a payer's registration as such (an older tower).
	ownUnsupported atomic.Bool
	// retry cuts a backoff short (retryNow): a channel refuses new locks until the tower
	// confirms our checkpoint. retried is when it last did (unix ns).
	retry   chan struct{}
	retried atomic.Int64

	// Owned by the run goroutine.
	hasher *channel.Hasher
	stream network.Stream
	reader *wire.Reader
	writer *bufio.Writer

	sent    *prometheus.CounterVec
	pending prometheus.GaugeFunc
	health  *towerState // tower_health.go
}

// streamOpener is what the link needs from the transport; *p2p.Transport has it.
type streamOpener interface {
	OpenStream(ctx context.Context, info peer.AddrInfo, proto protocol.ID) (network.Stream, error)
}

// towerBatch bounds registrations written before their receipts are read.
const towerBatch = 256

// DefaultTowerFlush is how often dirty channels are sent to the tower.
const DefaultTowerFlush = 250 * time.Millisecond

// startTowerLink starts the link when Config.Tower is set; called from Start.
func (n *Node) startTowerLink() error {
	if n.cfg.Tower == "" {
		return nil
	}
	addr, err := ma.NewMultiaddr(n.cfg.Tower)
	if err != nil {
		return fmt.Errorf("tower multiaddr %q: %w", n.cfg.Tower, err)
	}
	info, err := peer.AddrInfoFromP2pAddr(addr)
	if err != nil {
		return fmt.Errorf("tower multiaddr %q (it must end in /p2p/<id>): %w", n.cfg.Tower, err)
	}
	opener, ok := n.transport.(streamOpener)
	if !ok {
		return errors.New("tower: the transport cannot open tower streams")
	}
	hasher, err := channel.NewHasher(n.domain)
	if err != nil {
		return err
	}
	tl := &towerLink{n: n, tower: *info, opener: opener, flush: n.cfg.TowerFlush, hasher: hasher, ownDone: map[channel.ID]uint64{}, ownNo: map[channel.ID]uint64{}, ownNone: map[channel.ID]bool{},
		retry: make(chan struct{}, 1), health: newTowerState()}
	if tl.flush <= 0 {
		tl.flush = DefaultTowerFlush
	}
	tl.sent = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sluice_tower_client_registrations_total", Help: "Proofs registered with the watchtower, by the tower's answer.",
	}, []string{"result"})
	tl.pending = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sluice_tower_client_pending_channels", Help: "Channels whose newest received proof the watchtower has not confirmed yet.",
	}, func() float64 { return float64(tl.pendingChannels()) })
	for _, c := range []prometheus.Collector{tl.sent, tl.pending, tl.health.up} {
		if err := n.cfg.Metrics.Register(c); err != nil {
			return fmt.Errorf("tower metrics: %w", err)
		}
	}
	n.tower = tl
	n.chans.Range(func(_, v any) bool {
		tl.markDirty(v.(*liveChannel))
		return true
	})
	n.goTrackedLocked(func() { tl.run(n.ctx) })
	return nil
}

// towerProofReceived is the payment path's hook: the best received proof of lc changed,
// or the partner endorsed a newer proof of ours.
func (n *Node) towerProofReceived(lc *liveChannel) {
	if n.tower != nil {
		n.tower.markDirty(lc)
	}
}

func (tl *towerLink) markDirty(lc *liveChannel) {
	v, ok := tl.flags.Load(lc.id)
	if !ok {
		v, _ = tl.flags.LoadOrStore(lc.id, new(atomic.Bool))
	}
	if v.(*atomic.Bool).CompareAndSwap(false, true) {
		tl.mu.Lock()
		tl.queue = append(tl.queue, lc)
		tl.mu.Unlock()
	}
}

// take removes up to towerBatch channels from the queue and clears their flags first, so
// a proof received from here on queues the channel again.
func (tl *towerLink) take() []*liveChannel {
	tl.mu.Lock()
	k := min(len(tl.queue), towerBatch)
	batch := append([]*liveChannel(nil), tl.queue[:k]...)
	tl.queue = append(tl.queue[:0], tl.queue[k:]...)
	tl.mu.Unlock()
	for _, lc := range batch {
		if v, ok := tl.flags.Load(lc.id); ok {
			v.(*atomic.Bool).Store(false)
		}
	}
	return batch
}

// pendingChannels counts the channels queued for the tower or sent and not answered.
func (tl *towerLink) pendingChannels() int { return tl.queued() + int(tl.sending.Load()) }

func (tl *towerLink) queued() int {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return len(tl.queue)
}

func (tl *towerLink) run(ctx context.Context) {
	defer tl.disconnect()
	tick := time.NewTicker(tl.flush)
	defer tick.Stop()
	const maxBackoff = 30 * time.Second
	backoff := tl.flush
	log := tl.n.log.With("tower", tl.tower.ID)
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for tl.queued() > 0 && ctx.Err() == nil {
			if err := tl.sendBatch(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				if errors.Is(err, errTowerBusy) {
					tl.health.set(nil) // it answered
					log.Debug("watchtower busy", "pending", tl.queued(), "retry_in", backoff)
				} else {
					tl.health.set(err)
					log.Warn("watchtower unreachable; proofs kept for it", "pending", tl.queued(), "retry_in", backoff, "err", err)
					tl.disconnect()
				}
				select {
				case <-ctx.Done():
					return
				case <-time.After(backoff):
				case <-tl.retry:
				}
				backoff = min(2*backoff, maxBackoff)
				break
			}
			tl.health.set(nil)
			backoff = tl.flush
		}
	}
}

// errTowerBusy means the tower asked for some registrations again later.
var errTowerBusy = errors.New("watchtower asked to retry later")

// sendBatch registers one batch and reads its receipts. Whatever is not confirmed goes
// back to the queue.
func (tl *towerLink) sendBatch(ctx context.Context) error {
	batch := tl.take()
	tl.sending.Store(int64(len(batch)))
	unconfirmed := batch
	defer func() {
		for _, lc := range unconfirmed {
			tl.markDirty(lc)
		}
		tl.sending.Store(0)
	}()
	if err := tl.connect(ctx); err != nil {
		return err
	}
	sent := make([]towerFrame, 0, len(batch))
	var frames []byte
	for _, lc := range batch {
		regs, err := tl.registrations(lc)
		if err != nil {
			return err
		}
		for _, reg := range regs { // none: nothing received or endorsed yet, or settled
			if frames, err = wire.AppendFrame(frames, reg.Register); err != nil {
				return err
			}
			sent = append(sent, reg)
		}
	}
	unconfirmed = channelsOf(sent)
	if len(sent) == 0 {
		return nil
	}
	tl.stream.SetDeadline(time.Now().Add(towerIOTimeout))
	if _, err := tl.writer.Write(frames); err != nil {
		return fmt.Errorf("write registrations: %w", err)
	}
	if err := tl.writer.Flush(); err != nil {
		return fmt.Errorf("write registrations: %w", err)
	}
	busy := false
	for i, f := range sent {
		lc := f.lc
		m, err := tl.reader.Read()
		if err != nil {
			return fmt.Errorf("read receipt: %w", err)
		}
		rc, ok := m.(*wire.Receipt)
		if !ok || rc.Channel != lc.id || rc.Nonce != f.Nonce {
			return fmt.Errorf("tower answered %s out of order", m.Type())
		}
		unconfirmed = channelsOf(sent[i+1:])
		tl.sent.WithLabelValues(rc.Code.String()).Inc()
		switch {
		case rc.Code == wire.CodeAccepted || rc.Code == wire.CodeStale:
			if f.own {
				tl.ownAnswered(lc, f.Nonce)
			}
		case rc.Code.Retryable():
			busy = true
			tl.markDirty(lc)
		default:
			if f.own {
				tl.ownRefused(lc, f.Nonce, rc.Code) // not sent again, and not held
			}
			tl.n.log.Warn("watchtower refused a proof", "channel", lc.id, "nonce", rc.Nonce, "ours", f.own, "code", rc.Code, "reason", rc.Reason)
		}
	}
	if busy {
		return errTowerBusy
	}
	return nil
}

// towerFrame is one registration sent, and whose proof it carries.
type towerFrame struct {
	*wire.Register
	lc  *liveChannel
	own bool // our proof with the partner's endorsement, not the partner's with ours
}

// channelsOf is the channels of frames, once each, in order.
func channelsOf(frames []towerFrame) []*liveChannel {
	out := make([]*liveChannel, 0, len(frames))
	for i, f := range frames {
		if i == 0 || frames[i-1].lc != f.lc {
			out = append(out, f.lc)
		}
	}
	return out
}

// registrations builds lc's registrations: its best received proof with our endorsement,
// and our best endorsed proof when the tower has not answered for it yet.
func (tl *towerLink) registrations(lc *liveChannel) ([]towerFrame, error) {
	var out []towerFrame
	reg, ok, err := tl.registration(lc)
	if err != nil {
		return nil, err
	}
	if ok {
		out = append(out, towerFrame{Register: reg, lc: lc})
	}
	if own, ok := tl.ownRegistration(lc); ok {
		out = append(out, towerFrame{Register: own, lc: lc, own: true})
	}
	return out, nil
}

// ownRegistration is the Register of our best proof on lc the partner endorsed, if the
// tower has not answered for its nonce yet.
func (tl *towerLink) ownRegistration(lc *liveChannel) (*wire.Register, bool) {
	e := tl.n.med.ref.end
	e.mu.Lock()
	best, ok := e.best[lc.id]
	e.mu.Unlock()
	if !ok || best.proof.Nonce == 0 {
		return nil, false
	}
	tl.mu.Lock()
	done := tl.ownDone[lc.id] >= best.proof.Nonce || tl.ownNo[lc.id] >= best.proof.Nonce
	tl.mu.Unlock()
	lc.mu.Lock()
	settled := lc.st.Status() == channel.StatusSettled
	lc.mu.Unlock()
	if done || settled {
		return nil, false
	}
	p := best.proof
	return &wire.Register{
		Channel: lc.id, Nonce: p.Nonce, Transferred: p.Transferred,
		Sig: p.Sig, Endorsement: best.sig, Locked: p.Locked, LocksRoot: p.LocksRoot,
	}, true
}

// ownAnswered notes that the tower answered for our endorsed proof of lc with nonce, and
// prunes what only older proofs needed (ADR 0037).
func (tl *towerLink) ownAnswered(lc *liveChannel, nonce uint64) {
	tl.mu.Lock()
	raised := nonce > tl.ownDone[lc.id]
	if raised {
		tl.ownDone[lc.id] = nonce
		delete(tl.ownNone, lc.id)
	}
	tl.mu.Unlock()
	if raised {
		tl.n.towerAnsweredOwn(lc, nonce)
	}
}

// ownRefused notes that the tower refused our endorsed proof of lc with nonce for good:
// it is not sent again, and it does not count as held (a refusal of a channel the tower
// found settled must not prune what the unlock after settle needs). A tower that refuses
// a payer's registration as such (not_receiver: built before it took them) defends none
// of our own proofs: checkpoints then prune as without a tower.
//
// A tower that is full (wire.CodeFull) refuses only a channel it guards no proof of ours
// on: while it holds none it can put no older proof of ours on chain, so checkpoints
// prune as without a tower on that channel (sixth attacker pass: a full tower capped the
// channel for good, ADR 0041).
func (tl *towerLink) ownRefused(lc *liveChannel, nonce uint64, code wire.Code) {
	tl.mu.Lock()
	tl.ownNo[lc.id] = max(tl.ownNo[lc.id], nonce)
	none := code == wire.CodeFull && tl.ownDone[lc.id] == 0
	if none {
		tl.ownNone[lc.id] = true
	}
	tl.mu.Unlock()
	if none {
		tl.n.towerAnsweredOwn(lc, nonce)
	}
	if code == wire.CodeNotReceiver && !tl.ownUnsupported.Swap(true) {
		tl.n.log.Warn("the watchtower does not take our own endorsed proofs (an older tower); checkpoints prune without it", "tower", tl.tower.ID)
	}
	if code == wire.CodeNotReceiver {
		tl.n.towerAnsweredOwn(lc, nonce)
	}
}

// ownHeld is the nonce of our endorsed proof of id the tower answered for (0: none).
func (tl *towerLink) ownHeld(id channel.ID) uint64 {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.ownDone[id]
}

// towerRetrySpacing is the least time between two backoffs cut short by retryNow.
const towerRetrySpacing = time.Second

// retryNow cuts the link's current backoff short, at most once per towerRetrySpacing: a
// channel refuses new locks until the tower confirms our checkpoint (ADR 0041), so after
// an outage the link should not sleep up to its 30 s backoff once the tower is back.
func (tl *towerLink) retryNow() {
	now := time.Now().UnixNano()
	last := tl.retried.Load()
	if now-last < int64(towerRetrySpacing) || !tl.retried.CompareAndSwap(last, now) {
		return
	}
	select {
	case tl.retry <- struct{}{}:
	default:
	}
}

// holdsNoneOf reports that the tower said it guards no proof of ours on id (ownNone).
func (tl *towerLink) holdsNoneOf(id channel.ID) bool {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return tl.ownNone[id]
}

// registration builds the Register for lc's best received proof, signing our endorsement
// of it; ok=false when there is nothing to register.
func (tl *towerLink) registration(lc *liveChannel) (*wire.Register, bool, error) {
	lc.mu.Lock()
	best, ok := lc.st.Latest(lc.us.Other())
	status := lc.st.Status()
	lc.mu.Unlock()
	if !ok || best.Nonce == 0 || status == channel.StatusSettled {
		return nil, false, nil
	}
	digest, err := tl.hasher.EndorsementDigest(best.BalanceProof)
	if err != nil {
		return nil, false, fmt.Errorf("endorse proof of %s: %w", lc.id, err)
	}
	endorsement, err := tl.n.signer.SignDigest(digest)
	if err != nil {
		return nil, false, fmt.Errorf("endorse proof of %s: %w", lc.id, err)
	}
	return &wire.Register{
		Channel: lc.id, Nonce: best.Nonce, Transferred: best.Transferred,
		Sig: best.Sig, Endorsement: endorsement, Locked: best.Locked, LocksRoot: best.LocksRoot,
	}, true, nil
}

// towerIOTimeout bounds the handshake and each batch's round trip.
const towerIOTimeout = 30 * time.Second

func (tl *towerLink) connect(ctx context.Context) error {
	if tl.stream != nil {
		return nil
	}
	cctx, cancel := context.WithTimeout(ctx, towerIOTimeout)
	defer cancel()
	st, err := tl.opener.OpenStream(cctx, tl.tower, wire.ProtocolID)
	if err != nil {
		return err
	}
	st.SetDeadline(time.Now().Add(towerIOTimeout))
	w := bufio.NewWriterSize(st, 16<<10)
	r := wire.NewReader(st)
	ours := &wire.Hello{Version: wire.Version, ChainID: tl.n.domain.ChainID, Contract: tl.n.domain.Contract}
	frame, err := wire.AppendFrame(nil, ours)
	if err == nil {
		_, err = st.Write(frame)
	}
	var m wire.Message
	if err == nil {
		m, err = r.Read()
	}
	if err != nil {
		st.Reset()
		return fmt.Errorf("tower hello: %w", err)
	}
	theirs, ok := m.(*wire.Hello)
	if !ok || theirs.Version != ours.Version || theirs.ChainID.Cmp(ours.ChainID) != 0 || theirs.Contract != ours.Contract {
		st.Reset()
		return fmt.Errorf("tower serves another protocol, chain or contract (%+v)", m)
	}
	tl.stream, tl.reader, tl.writer = st, r, w
	tl.n.log.Info("watchtower connected", "tower", tl.tower.ID, "pending", tl.queued())
	return nil
}

func (tl *towerLink) disconnect() {
	if tl.stream != nil {
		tl.stream.Reset()
		tl.stream, tl.reader, tl.writer = nil, nil, nil
	}
}
