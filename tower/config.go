package tower

import (
	"crypto/ecdsa"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Config assembles a tower.
type Config struct {
	// Key is the tower's own identity on libp2p and the account that pays for defenses.
	// It is never a client's key.
	Key         *ecdsa.PrivateKey
	ListenAddrs []string
	DataDir     string
	Chain       Chain

	// StartBlock is where a tower without a stored cursor starts following the chain.
	StartBlock uint64
	// PollInterval is how often the follower asks for a new head (default 2s).
	PollInterval time.Duration
	// RescanBlocks are re-read on every poll, so a close moved by a shallow reorg is
	// still seen (default 12). Re-reading a close is harmless.
	RescanBlocks uint64
	// FinalityBlocks is how deep a block must be before the tower forgets a channel whose
	// close the chain shows defended: a reorg shallower than this that removes the
	// defense finds the proof still held and submits it again (default RescanBlocks).
	FinalityBlocks uint64
	// TopicFilterMax is the most channels for which the follower asks the chain by
	// channel-id topic; above it, it asks for every ChannelClosed of the contract and looks
	// them up locally (default 2,000; docs/adr/0017).
	TopicFilterMax int
	// DefenseTimeout bounds one updateProofFor attempt, send to receipt (default 2m).
	DefenseTimeout time.Duration
	// ChainTimeout bounds every read of the chain (default 10s).
	ChainTimeout time.Duration

	// MaxChannels bounds the channels the tower guards (default 1,000,000).
	MaxChannels int
	// RegisterRate and RegisterBurst bound each client's registrations per second
	// (defaults 500 and 2,000: a hub re-registering after a restart still fits).
	RegisterRate  float64
	RegisterBurst int
	// MaxRefusals refusals of bad input within RefusalWindow get a client banned for
	// BanDuration (defaults 32 per minute, 10 minutes). Stale and retryable answers do
	// not count.
	MaxRefusals   int
	RefusalWindow time.Duration
	BanDuration   time.Duration
	// IdleTimeout closes a client stream that sent nothing for this long (default 10m).
	IdleTimeout time.Duration
	// MaxPeers sizes libp2p's resource manager (default 4,096).
	MaxPeers int

	Logger  *slog.Logger
	Metrics prometheus.Registerer
}

func (c Config) withDefaults() (Config, error) {
	var errs []error
	if c.Key == nil {
		errs = append(errs, errors.New("tower config: Key is required"))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("tower config: DataDir is required"))
	}
	if c.Chain == nil {
		errs = append(errs, errors.New("tower config: Chain is required"))
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.PollInterval, 2*time.Second)
	def(&c.DefenseTimeout, 2*time.Minute)
	def(&c.ChainTimeout, 10*time.Second)
	def(&c.RefusalWindow, time.Minute)
	def(&c.BanDuration, 10*time.Minute)
	def(&c.IdleTimeout, 10*time.Minute)
	if c.RescanBlocks == 0 {
		c.RescanBlocks = 12
	}
	if c.FinalityBlocks == 0 {
		c.FinalityBlocks = c.RescanBlocks
	}
	defInt(&c.TopicFilterMax, 2000)
	defInt(&c.MaxChannels, 1_000_000)
	defInt(&c.RegisterBurst, 2000)
	defInt(&c.MaxRefusals, 32)
	defInt(&c.MaxPeers, 4096)
	if c.RegisterRate <= 0 {
		c.RegisterRate = 500
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Metrics == nil {
		c.Metrics = prometheus.NewRegistry()
	}
	return c, nil
}
