package node

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// Lock tombstones and checkpoints (ADR 0037). The partner may close with any older proof
// of ours, and after settle the contract holds exactly that proof's lock list for the
// unlock. So every lock of our direction that is removed keeps a tombstone in the store
// (store.LockChange.Ours, written in the removing proof's batch), and the unlock rebuilds
// the list of the nonce the chain recorded (store.LocksAt; mediated_claim.go). The
// tombstones are pruned at checkpoints: now and then we ask the partner to endorse our
// latest acknowledged proof (the ADR 0032 exchange, checkpoint_request.go); once that
// endorsement is stored, our defense can put that proof on chain over any older one, so
// the tombstones removed at or before it are deleted in the same batch. A partner that
// never endorses gets no new locks from us past CheckpointConfig.MaxTombstones.
//
// This file is the bookkeeping: the nonce that added each pending lock of ours (the
// tombstone's key) and each channel's tombstones, loaded from the store on first use.

// CheckpointConfig bounds the tombstones of our removed locks (ADR 0037). Zero fields take
// the defaults.
type CheckpointConfig struct {
	// Every asks the partner for a checkpoint once a channel keeps this many tombstones
	// (default DefaultCheckpointEvery).
	Every int
	// After asks for one once the oldest tombstone is this old (default DefaultCheckpointAfter).
	After time.Duration
	// MaxTombstones is the hard cap per channel: past it we add no new lock on the
	// channel until the partner endorses a checkpoint (default DefaultMaxTombstones).
	MaxTombstones int
	// MaxUnacked bounds our lock proofs the partner has not acknowledged on a channel:
	// past it we add no new lock on the channel until it acknowledges (default
	// DefaultMaxUnacked; ADR 0041). Their messages are kept, in memory and on disk, to
	// be sent again (lock_resend.go).
	MaxUnacked int
}

// Checkpoint defaults.
const (
	DefaultCheckpointEvery = 256
	DefaultCheckpointAfter = 30 * time.Second
	DefaultMaxTombstones   = 4096
	// DefaultMaxUnacked is two proofs (a lock and its removal) per tombstone of the cap.
	DefaultMaxUnacked = 2 * DefaultMaxTombstones
)

func (c CheckpointConfig) withDefaults() CheckpointConfig {
	if c.Every <= 0 {
		c.Every = DefaultCheckpointEvery
	}
	if c.After <= 0 {
		c.After = DefaultCheckpointAfter
	}
	if c.MaxTombstones <= 0 {
		c.MaxTombstones = DefaultMaxTombstones
	}
	if c.MaxUnacked <= 0 {
		c.MaxUnacked = DefaultMaxUnacked
	}
	c.Every = min(c.Every, c.MaxTombstones)
	return c
}

// ErrTombstoneCap: the partner has not endorsed a checkpoint of ours for so long that the
// channel keeps CheckpointConfig.MaxTombstones removed locks; no new lock is added to it
// until it does. Existing locks still resolve.
var ErrTombstoneCap = errors.New("partner has not endorsed a checkpoint: too many removed locks kept, no new locks on this channel")

// tombStorage is the store's side of the tombstones.
type tombStorage interface {
	GetLocks(id channel.ID, payer channel.Party) (store.LockSetRecord, bool, error)
	Tombstones(id channel.ID, payer channel.Party) ([]store.Tombstone, uint64, error)
	LocksAt(id channel.ID, payer channel.Party, nonce uint64) ([]channel.Lock, [32]byte, error)
}

// tombRef is one tombstone as the node tracks it.
type tombRef struct{ added, removed uint64 }

// addedLock is a pending lock of ours with the nonce that added it.
type addedLock struct {
	nonce uint64
	lock  channel.Lock
}

// chanTombs is one channel's bookkeeping (our direction only).
type chanTombs struct {
	pending map[[32]byte]addedLock
	tombs   []tombRef
	oldest  time.Time // when the oldest tombstone still kept was made (load time after a restart)
	capped  bool      // the cap refusal was logged
}

// tombstones is the node's bookkeeping of every channel.
type tombstones struct {
	mu    sync.Mutex
	chans map[channel.ID]*chanTombs
	// chainNonce is the nonce of our latest proof on chain per closed channel (ADR 0037),
	// from the close and update events, kept durably (chainProofNamespace).
	chainNonce map[channel.ID]uint64
	// rebuilt caches the list the chain holds for us on a settled channel.
	rebuilt map[channel.ID][]channel.Lock
	// heldRoot is the root of our locks settle held back per settled channel, from the
	// LocksHeld event, kept durably (heldRootNamespace, checkpoint_held_root.go).
	heldRoot map[channel.ID]heldRoot
	// floors is the prune floor last put in a batch per channel, under floorMu (taken in
	// the durable queue's fill, in disk order): a prune never lowers it.
	floorMu sync.Mutex
	floors  map[channel.ID]uint64

	refused  prometheus.Counter // new locks refused at the cap
	pruned   prometheus.Counter // tombstones deleted at checkpoints
	kept     prometheus.Gauge   // tombstones kept, all channels
	asked    prometheus.Counter // checkpoint requests sent
	register sync.Once
}

func newTombstones() *tombstones {
	return &tombstones{
		chans: map[channel.ID]*chanTombs{}, chainNonce: map[channel.ID]uint64{}, rebuilt: map[channel.ID][]channel.Lock{}, heldRoot: map[channel.ID]heldRoot{},
		floors: map[channel.ID]uint64{},
		refused: prometheus.NewCounter(prometheus.CounterOpts{Name: "sluice_lock_tombstone_refusals_total",
			Help: "New outgoing locks refused because the channel keeps the maximum of tombstones (the partner endorses no checkpoint)"}),
		pruned: prometheus.NewCounter(prometheus.CounterOpts{Name: "sluice_lock_tombstones_pruned_total",
			Help: "Tombstones of removed outgoing locks deleted at checkpoints the partner endorsed"}),
		kept: prometheus.NewGauge(prometheus.GaugeOpts{Name: "sluice_lock_tombstones",
			Help: "Tombstones of removed outgoing locks kept to rebuild older lock lists (all channels)"}),
		asked: prometheus.NewCounter(prometheus.CounterOpts{Name: "sluice_checkpoint_requests_total",
			Help: "Checkpoint endorsements asked of partners"}),
	}
}

// registerMetrics adds the tombstone metrics to reg (once).
func (t *tombstones) registerMetrics(reg *prometheus.Registry) {
	if reg == nil {
		return
	}
	t.register.Do(func() {
		for _, c := range []prometheus.Collector{t.refused, t.pruned, t.kept, t.asked} {
			_ = reg.Register(c) // a duplicate registration only loses the export
		}
	})
}

// channelTombs returns lc's bookkeeping, loading it from the store on first use, with
// t.mu held. The first use of a channel comes before any lock change of ours on it in
// this process, so the store holds all of it.
func (n *Node) channelTombs(lc *liveChannel) (*chanTombs, error) {
	t := n.claims.tombs
	if ct, ok := t.chans[lc.id]; ok {
		return ct, nil
	}
	ct := &chanTombs{pending: map[[32]byte]addedLock{}}
	if ts, ok := n.store.(tombStorage); ok {
		rec, found, err := ts.GetLocks(lc.id, lc.us)
		if err != nil {
			return nil, fmt.Errorf("load locks of channel %s: %w", lc.id, err)
		}
		if found {
			for i, l := range rec.Locks {
				ct.pending[l.SecretHash] = addedLock{rec.Seqs[i], l}
			}
		}
		tombs, _, err := ts.Tombstones(lc.id, lc.us)
		if err != nil {
			return nil, fmt.Errorf("load tombstones of channel %s: %w", lc.id, err)
		}
		for _, tb := range tombs {
			ct.tombs = append(ct.tombs, tombRef{tb.Added, tb.Removed})
		}
		if len(ct.tombs) > 0 {
			ct.oldest = time.Now()
			t.kept.Add(float64(len(ct.tombs)))
		}
	}
	t.chans[lc.id] = ct
	return ct, nil
}

// admitLock refuses a new lock of ours on lc while the channel keeps the maximum of
// tombstones (ADR 0037); every other update passes.
func (n *Node) admitLock(lc *liveChannel, u channel.LockUpdate) error {
	if u.Change != channel.LockAdd {
		return nil
	}
	if err := n.admitUnacked(lc); err != nil { // lock_resend.go, ADR 0041
		return err
	}
	t := n.claims.tombs
	limit := n.cfg.Checkpoints.MaxTombstones
	t.mu.Lock()
	ct, err := n.channelTombs(lc)
	if err != nil {
		t.mu.Unlock()
		return err
	}
	kept := len(ct.tombs)
	if kept < limit {
		ct.capped = false
		t.mu.Unlock()
		return nil
	}
	first := !ct.capped
	ct.capped = true
	t.mu.Unlock()
	t.refused.Inc()
	towerCause := n.towerHoldsUpCheckpoint(lc.id)
	if towerCause {
		n.tower.retryNow() // do not sleep out the link's backoff once the tower is back
	}
	if first {
		n.warnTombstoneCap(lc, kept, limit, towerCause)
	}
	// Also ErrTooManyLocks: a forward refused for it is a capacity refusal (another route).
	return fmt.Errorf("channel %s keeps %d removed locks: %w (%w)", lc.id, kept, ErrTombstoneCap, channel.ErrTooManyLocks)
}

// warnTombstoneCap logs the cap's refusal with the cause an operator can act on: the
// partner endorses no checkpoint, or it did and the watchtower has not confirmed it
// (unreachable, ADR 0037 amendment: pruning waits for the tower).
func (n *Node) warnTombstoneCap(lc *liveChannel, kept, limit int, towerCause bool) {
	if towerCause {
		endorsed := n.med.ref.end.endorsedNonce(lc.id)
		n.log.Warn("the watchtower has not confirmed our endorsed checkpoint: no new locks on this channel until it does (check the tower link)",
			"channel", lc.id, "peer", lc.peer, "tower", n.tower.tower.ID, "endorsed", endorsed, "tower_holds", n.prunableThrough(lc.id, endorsed), "tombstones", kept, "max", limit)
		return
	}
	n.log.Warn("partner endorses no checkpoint: no new locks on this channel until it does", "channel", lc.id, "peer", lc.peer, "tombstones", kept, "max", limit)
}

// towerHoldsUpCheckpoint reports that the partner endorsed a checkpoint of ours on id that
// the watchtower has not confirmed, so it is not pruned yet (prunableThrough).
func (n *Node) towerHoldsUpCheckpoint(id channel.ID) bool {
	if n.tower == nil {
		return false
	}
	endorsed := n.med.ref.end.endorsedNonce(id)
	return n.prunableThrough(id, endorsed) < endorsed
}

// noteLockChange records our lock update c (proof nonce c.Nonce) in the bookkeeping and
// makes a removal keep its tombstone (c.Ours, c.Removed, c.Added). Callers hold lc.mu and
// put c in the proof's batch.
func (n *Node) noteLockChange(lc *liveChannel, c *store.LockChange) {
	t := n.claims.tombs
	t.mu.Lock()
	defer t.mu.Unlock()
	ct, err := n.channelTombs(lc)
	if err != nil {
		n.log.Error("lock bookkeeping not loaded: this removal keeps no tombstone", "channel", lc.id, "err", err)
		return
	}
	u := &c.Update
	if u.Change == channel.LockAdd {
		ct.pending[u.Lock.SecretHash] = addedLock{c.Nonce, u.Lock}
		return
	}
	hash := u.SecretHash
	if u.Change == channel.LockUnlock {
		hash = channel.SecretHash(u.Secret)
	}
	a, ok := ct.pending[hash]
	if !ok {
		n.log.Error("removed lock unknown to the bookkeeping: it keeps no tombstone", "channel", lc.id, "hash", fmt.Sprintf("%x", hash[:4]))
		return
	}
	delete(ct.pending, hash)
	c.Ours, c.Removed, c.Added = true, a.lock, a.nonce
	if len(ct.tombs) == 0 {
		ct.oldest = time.Now()
	}
	ct.tombs = append(ct.tombs, tombRef{a.nonce, c.Nonce})
	t.kept.Inc()
}

// tombsThrough lists the added nonces of lc's tombstones removed at or before through.
func (n *Node) tombsThrough(lc *liveChannel, through uint64) []uint64 {
	t := n.claims.tombs
	t.mu.Lock()
	defer t.mu.Unlock()
	ct, err := n.channelTombs(lc)
	if err != nil {
		return nil
	}
	var out []uint64
	for _, tb := range ct.tombs {
		if tb.removed <= through {
			out = append(out, tb.added)
		}
	}
	return out
}

// pruned drops from the bookkeeping the tombstones a committed checkpoint deleted.
func (n *Node) pruned(lc *liveChannel, through uint64) int {
	t := n.claims.tombs
	t.mu.Lock()
	defer t.mu.Unlock()
	ct, ok := t.chans[lc.id]
	if !ok {
		return 0
	}
	kept := ct.tombs[:0]
	for _, tb := range ct.tombs {
		if tb.removed > through {
			kept = append(kept, tb)
		}
	}
	gone := len(ct.tombs) - len(kept)
	ct.tombs = kept
	if gone > 0 {
		ct.oldest = time.Now() // the rest are younger than this checkpoint's request
		t.kept.Sub(float64(gone))
		t.pruned.Add(float64(gone))
	}
	return gone
}

// checkpointDue reports whether lc keeps enough tombstones, or old enough ones, to ask
// the partner for a checkpoint.
func (n *Node) checkpointDue(lc *liveChannel) bool {
	cfg := n.cfg.Checkpoints
	t := n.claims.tombs
	t.mu.Lock()
	defer t.mu.Unlock()
	// Loaded here too, not only by a lock change of ours: after a restart at the cap the
	// first lock would be refused before we asked (fifth attacker pass).
	ct, err := n.channelTombs(lc)
	if err != nil {
		return false
	}
	k := len(ct.tombs)
	return k >= cfg.Every || k > 0 && time.Since(ct.oldest) >= cfg.After
}

// tombstoneCount is the number of removed locks of ours channel id keeps for older proofs (tests,
// diagnostics).
func (n *Node) tombstoneCount(id channel.ID) int {
	t := n.claims.tombs
	t.mu.Lock()
	defer t.mu.Unlock()
	if ct, ok := t.chans[id]; ok {
		return len(ct.tombs)
	}
	return 0
}
