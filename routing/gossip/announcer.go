package gossip

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/routing"
)

// LocalChannel is one of the node's own open channels it is willing to forward over, with
// its exact outbound capacity (what it can send to the partner now). The announcer
// buckets it before it leaves the node.
type LocalChannel struct {
	ID       channel.ID
	Capacity *big.Int
}

// LocalChannels lists the node's routable channels (the node implements it from its
// channel manager: open, not closing, partner not banned).
type LocalChannels interface {
	RoutableChannels(ctx context.Context) ([]LocalChannel, error)
}

// Publisher floods an announcement (a *Service).
type Publisher interface {
	Publish(ctx context.Context, a *Announcement) error
}

// AnnouncerConfig configures an Announcer.
type AnnouncerConfig struct {
	Domain    channel.Domain
	Signer    channel.Signer // the node key
	PeerID    peer.ID        // the node's libp2p id (same key)
	Addrs     func() []ma.Multiaddr
	Channels  LocalChannels
	Publisher Publisher
	Fees      routing.FeePolicy
	// Interval: how often to look for changed capacity buckets (default 15s). Refresh:
	// re-announce unchanged channels this often so they are never pruned as stale (default
	// 30m; keep it well under the validators' MaxAge). MinGap: never announce one channel
	// more often than this (default 30s, the validators' default refill).
	Interval, Refresh, MinGap time.Duration
	Now                       func() time.Time
	Logger                    *slog.Logger
}

// Announcer announces the node's channels: on start, whenever a channel's capacity bucket
// or the fee policy changes, and every Refresh.
type Announcer struct {
	cfg     AnnouncerConfig
	trigger chan struct{}

	mu   sync.Mutex
	fees routing.FeePolicy
	last map[channel.ID]sent
}

type sent struct {
	bucket *big.Int
	fees   routing.FeePolicy
	at     time.Time
	seq    uint64
}

// NewAnnouncer checks cfg.
func NewAnnouncer(cfg AnnouncerConfig) (*Announcer, error) {
	if cfg.Signer == nil || cfg.Channels == nil || cfg.Publisher == nil || cfg.PeerID == "" {
		return nil, errors.New("announcer: signer, peer id, channels and publisher are required")
	}
	if err := cfg.Fees.Validate(); err != nil {
		return nil, fmt.Errorf("announcer: %w", err)
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 15 * time.Second
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = 30 * time.Minute
	}
	if cfg.MinGap <= 0 {
		cfg.MinGap = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Addrs == nil {
		cfg.Addrs = func() []ma.Multiaddr { return nil }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Announcer{cfg: cfg, trigger: make(chan struct{}, 1), fees: cfg.Fees, last: make(map[channel.ID]sent)}, nil
}

// SetFees changes the fee policy; every channel is re-announced (within MinGap).
func (a *Announcer) SetFees(f routing.FeePolicy) error {
	if err := f.Validate(); err != nil {
		return err
	}
	a.mu.Lock()
	a.fees = f
	a.mu.Unlock()
	a.Trigger()
	return nil
}

// Trigger asks for a pass now (after a payment, deposit or open); it never blocks.
func (a *Announcer) Trigger() {
	select {
	case a.trigger <- struct{}{}:
	default:
	}
}

// Run announces until ctx ends.
func (a *Announcer) Run(ctx context.Context) error {
	t := time.NewTicker(a.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := a.AnnounceOnce(ctx); err != nil && ctx.Err() == nil {
			a.cfg.Logger.Warn("routing announcer", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-a.trigger:
		}
	}
}

// AnnounceOnce publishes what is due and returns how many announcements it sent. A
// channel it failed to publish is retried next pass; the first error is returned.
func (a *Announcer) AnnounceOnce(ctx context.Context) (int, error) {
	chans, err := a.cfg.Channels.RoutableChannels(ctx)
	if err != nil {
		return 0, fmt.Errorf("announcer: list channels: %w", err)
	}
	a.mu.Lock()
	fees := a.fees
	a.mu.Unlock()
	now := a.cfg.Now()
	var first error
	n := 0
	for _, c := range chans {
		b := routing.Bucket(c.Capacity)
		a.mu.Lock()
		prev, had := a.last[c.ID]
		a.mu.Unlock()
		if had {
			changed := prev.bucket.Cmp(b) != 0 || !prev.fees.Equal(fees)
			// A clock that stepped back (elapsed < 0) must not silence the channel.
			elapsed := now.Sub(prev.at)
			if elapsed >= 0 && (elapsed < a.cfg.MinGap || (!changed && elapsed < a.cfg.Refresh)) {
				continue
			}
		}
		ann := a.announcement(c.ID, b, fees, now, prev.seq)
		if err := ann.Sign(a.cfg.Domain, a.cfg.Signer); err != nil {
			return n, err
		}
		if err := a.cfg.Publisher.Publish(ctx, ann); err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		n++
		a.mu.Lock()
		a.last[c.ID] = sent{bucket: b, fees: fees, at: now, seq: ann.Sequence}
		a.mu.Unlock()
	}
	return n, first
}

func (a *Announcer) announcement(id channel.ID, capacity *big.Int, fees routing.FeePolicy, now time.Time, prevSeq uint64) *Announcement {
	// Milliseconds since 1970 keep the sequence rising across restarts without storing it.
	seq := max(uint64(now.UnixMilli()), prevSeq+1)
	flat := new(big.Int)
	if fees.Flat != nil {
		flat.Set(fees.Flat)
	}
	ann := &Announcement{
		Channel:   id,
		Capacity:  capacity,
		FeeFlat:   flat,
		FeePPM:    fees.PPM,
		Sequence:  seq,
		Timestamp: uint64(now.Unix()),
		PeerID:    []byte(a.cfg.PeerID),
	}
	for _, m := range a.cfg.Addrs() {
		if len(ann.Addrs) == MaxAddrs {
			break
		}
		if b := m.Bytes(); len(b) <= MaxAddrLen {
			ann.Addrs = append(ann.Addrs, b)
		}
	}
	return ann
}
