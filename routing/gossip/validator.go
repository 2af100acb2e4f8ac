package gossip

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
)

// ValidatorConfig configures a Validator. Zero durations and counts take the defaults.
type ValidatorConfig struct {
	Domain channel.Domain
	Chain  ChainView
	Graph  *routing.Graph
	// MaxAge refuses announcements signed longer ago (default routing.DefaultMaxAge: the
	// graph prunes at the same age). MaxSkew refuses timestamps this far ahead (default 10m).
	MaxAge, MaxSkew time.Duration
	// SideBurst announcements per (channel, announcer), refilled one per SideEvery (default
	// 4 per 30s); AnnouncerBurst per announcer over all its channels, one per AnnouncerEvery
	// (default 2,000 per 100ms, so a hub can refresh every channel at once).
	SideBurst      int
	SideEvery      time.Duration
	AnnouncerBurst int
	AnnouncerEvery time.Duration
	// LookupBurst chain reads for channels not in the cache per sending peer, one more per
	// LookupEvery (default 200 per 50ms): random channel ids cannot make us hammer the RPC.
	LookupBurst int
	LookupEvery time.Duration
	// CacheTTL keeps a chain answer (default 30s); CacheEntries bounds the cache (100,000).
	CacheTTL     time.Duration
	CacheEntries int
	// LookupTimeout bounds one chain read (default 5s).
	LookupTimeout time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (c ValidatorConfig) withDefaults() ValidatorConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	defInt := func(n *int, v int) {
		if *n <= 0 {
			*n = v
		}
	}
	def(&c.MaxAge, routing.DefaultMaxAge)
	def(&c.MaxSkew, 10*time.Minute)
	defInt(&c.SideBurst, 4)
	def(&c.SideEvery, 30*time.Second)
	defInt(&c.AnnouncerBurst, 2_000)
	def(&c.AnnouncerEvery, 100*time.Millisecond)
	defInt(&c.LookupBurst, 200)
	def(&c.LookupEvery, 50*time.Millisecond)
	def(&c.CacheTTL, 30*time.Second)
	defInt(&c.CacheEntries, 100_000)
	def(&c.LookupTimeout, 5*time.Second)
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

type sideKey struct {
	ch channel.ID
	by common.Address
}

// Validator admits announcements into a graph. It is safe for concurrent use (pubsub
// validates messages in parallel); the graph's Upsert is the one atomic newer-than check.
type Validator struct {
	cfg       ValidatorConfig
	chain     *cachedChain
	sides     *limiter[sideKey]
	announcer *limiter[common.Address]
	lookups   *limiter[peer.ID]
	archive   *archive
}

// NewValidator checks the config and returns a validator.
func NewValidator(cfg ValidatorConfig) (*Validator, error) {
	if cfg.Chain == nil || cfg.Graph == nil {
		return nil, errors.New("gossip validator: chain view and graph are required")
	}
	if _, err := cfg.Domain.Separator(); err != nil {
		return nil, fmt.Errorf("gossip validator: %w", err)
	}
	cfg = cfg.withDefaults()
	return &Validator{
		cfg:       cfg,
		chain:     &cachedChain{view: cfg.Chain, ttl: cfg.CacheTTL, maxEntries: cfg.CacheEntries, entries: make(map[channel.ID]cacheEntry)},
		sides:     newLimiter[sideKey](cfg.SideBurst, cfg.SideEvery, 200_000),
		announcer: newLimiter[common.Address](cfg.AnnouncerBurst, cfg.AnnouncerEvery, 100_000),
		lookups:   newLimiter[peer.ID](cfg.LookupBurst, cfg.LookupEvery, 10_000),
		archive:   newArchive(cfg.Graph, maxArchived),
	}, nil
}

// Admit validates data, received from peer from, and on success puts its edge into the
// graph. The error says why not (Reason gives its label and whether to penalize).
func (v *Validator) Admit(ctx context.Context, from peer.ID, data []byte) (*Announcement, error) {
	a, err := Decode(data)
	if err != nil {
		return nil, err
	}
	now := v.cfg.Now()
	if err := v.check(a, now); err != nil {
		return a, err
	}
	return a, v.apply(ctx, from, a, data, now, true)
}

// check runs the checks that need nothing but the announcement: its fields and its
// signature. An honest peer never relays or serves one that fails them.
func (v *Validator) check(a *Announcement, now time.Time) error {
	if err := v.checkFields(a, now); err != nil {
		return err
	}
	return a.VerifySignature(v.cfg.Domain)
}

// apply runs the checks of a checked announcement that need state (sequence, rate limits,
// the chain) and puts its edge into the graph, and its bytes into the archive sync serves.
// limitLookups applies the per-peer chain lookup limit; a graph sync, bounded on its own,
// does without it.
func (v *Validator) apply(ctx context.Context, from peer.ID, a *Announcement, data []byte, now time.Time, limitLookups bool) error {
	if seq, ok := v.cfg.Graph.Sequence(a.Channel, a.Announcer); ok && a.Sequence <= seq {
		return fmt.Errorf("%s by %s: sequence %d, held %d: %w", a.Channel, a.Announcer, a.Sequence, seq, ErrNotNewer)
	}
	// Only after the signature: a forger must not spend an honest announcer's budget.
	if !v.sides.allow(sideKey{a.Channel, a.Announcer}, now) || !v.announcer.allow(a.Announcer, now) {
		return fmt.Errorf("%s by %s: %w", a.Channel, a.Announcer, ErrRateLimited)
	}
	info, cached, err := v.channelInfo(ctx, from, a.Channel, now, limitLookups)
	if err != nil {
		return err
	}
	e, err := edgeFor(a, info)
	if cached && (errors.Is(err, ErrCapacityOverFunds) || errors.Is(err, ErrUnknownChannel)) {
		// The cached answer may predate a deposit or the channel's open: an honest hub
		// announcing its new capacity at once must not be refused (and penalised) on a
		// stale view. Read the chain once more before refusing.
		v.chain.forget(a.Channel)
		if info, _, err = v.channelInfo(ctx, from, a.Channel, now, limitLookups); err != nil {
			return err
		}
		e, err = edgeFor(a, info)
	}
	if err != nil {
		return err
	}
	if err := v.cfg.Graph.Upsert(e); err != nil {
		if errors.Is(err, routing.ErrNotNewer) {
			return fmt.Errorf("%w: %w", ErrNotNewer, err)
		}
		return fmt.Errorf("%w: %w", errGraph, err)
	}
	v.archive.put(a, data)
	return nil
}

// Forget drops the cached chain answer for id (call it when the channel closes).
func (v *Validator) Forget(id channel.ID) { v.chain.forget(id) }

func (v *Validator) checkFields(a *Announcement, now time.Time) error {
	if a.Announcer == (common.Address{}) || a.FeePPM > routing.MaxFeePPM {
		return fmt.Errorf("announcer %s, fee %d ppm: %w", a.Announcer, a.FeePPM, ErrMalformed)
	}
	if !routing.IsBucket(a.Capacity) {
		return fmt.Errorf("capacity %s: %w", a.Capacity, ErrNotBucketed)
	}
	id, err := peer.IDFromBytes(a.PeerID)
	if err != nil {
		return fmt.Errorf("peer id: %v: %w", err, ErrMalformed)
	}
	if owner, err := p2p.AddressFromPeerID(id); err != nil || owner != a.Announcer {
		return fmt.Errorf("peer id %s of %s: %w", id, a.Announcer, ErrPeerMismatch)
	}
	for _, raw := range a.Addrs {
		if _, err := ma.NewMultiaddrBytes(raw); err != nil {
			return fmt.Errorf("address: %v: %w", err, ErrMalformed)
		}
	}
	signed := time.Unix(int64(min(a.Timestamp, 1<<62)), 0)
	if signed.After(now.Add(v.cfg.MaxSkew)) {
		return fmt.Errorf("signed at %s, now %s: %w", signed.UTC(), now.UTC(), ErrFuture)
	}
	if signed.Before(now.Add(-v.cfg.MaxAge)) {
		return fmt.Errorf("signed at %s, now %s: %w", signed.UTC(), now.UTC(), ErrStale)
	}
	return nil
}

// channelInfo is the chain's view of id, from the cache (cached true) or read now.
func (v *Validator) channelInfo(ctx context.Context, from peer.ID, id channel.ID, now time.Time, limitLookups bool) (info ChannelInfo, cached bool, err error) {
	if info, ok := v.chain.lookup(id, now); ok {
		return info, true, nil
	}
	if limitLookups && !v.lookups.allow(from, now) {
		return ChannelInfo{}, false, fmt.Errorf("channel %s from %s: %w", id, from, ErrLookupRateLimited)
	}
	ctx, cancel := context.WithTimeout(ctx, v.cfg.LookupTimeout)
	defer cancel()
	info, err = v.cfg.Chain.Channel(ctx, id)
	if errors.Is(err, ErrUnknownChannel) {
		info, err = ChannelInfo{}, nil
	}
	if err != nil {
		return ChannelInfo{}, false, fmt.Errorf("channel %s: %v: %w", id, err, ErrChainUnavailable)
	}
	v.chain.store(id, info, now)
	return info, false, nil
}

func edgeFor(a *Announcement, info ChannelInfo) (routing.Edge, error) {
	p := info.Participants
	if p[0] == (common.Address{}) && p[1] == (common.Address{}) {
		return routing.Edge{}, fmt.Errorf("channel %s: %w", a.Channel, ErrUnknownChannel)
	}
	var partner common.Address
	switch a.Announcer {
	case p[0]:
		partner = p[1]
	case p[1]:
		partner = p[0]
	default:
		return routing.Edge{}, fmt.Errorf("%s in channel %s of %s and %s: %w", a.Announcer, a.Channel, p[0], p[1], ErrNotParticipant)
	}
	if !info.Open {
		return routing.Edge{}, fmt.Errorf("channel %s: %w", a.Channel, ErrChannelNotOpen)
	}
	if info.Funds == nil || a.Capacity.Cmp(info.Funds) > 0 {
		return routing.Edge{}, fmt.Errorf("channel %s: capacity %s, funds %v: %w", a.Channel, a.Capacity, info.Funds, ErrCapacityOverFunds)
	}
	return routing.Edge{
		Channel:  a.Channel,
		From:     a.Announcer,
		To:       partner,
		Token:    info.Token,
		Capacity: a.Capacity,
		Fee:      routing.FeePolicy{Flat: a.FeeFlat, PPM: a.FeePPM},
		Sequence: a.Sequence,
		Updated:  time.Unix(int64(min(a.Timestamp, 1<<62)), 0),
	}, nil
}
