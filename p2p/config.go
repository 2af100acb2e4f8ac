package p2p

import (
	"crypto/ecdsa"
	"errors"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Config configures a Transport. Zero durations and sizes take the defaults below.
type Config struct {
	// Key is the node's secp256k1 key; it is both the Ethereum and the libp2p identity.
	Key *ecdsa.PrivateKey
	// ListenAddrs are multiaddrs to listen on. TCP is always supported; an address
	// containing /quic-v1 also enables QUIC. Default: /ip4/127.0.0.1/tcp/0.
	ListenAddrs []string
	// ChainID and Contract must match the peer's Hello exactly.
	ChainID  *big.Int
	Contract common.Address

	// Handler receives every message and peer event. Required.
	Handler Handler
	// Logger gets connection events and the reason for every ban. Default slog.Default().
	Logger *slog.Logger

	// StaticPeers are full multiaddrs (/ip4/../tcp/../p2p/<id>) dialed and kept connected.
	StaticPeers []string
	// AddressBook, if set, is loaded at start (its peers are kept connected) and
	// updated with every peer this node successfully dials.
	AddressBook AddressBook
	// EnableMDNS discovers and connects to Sluice nodes on the local network.
	EnableMDNS bool

	// SendQueueSize bounds each peer's queue of unsent messages (default 4096).
	SendQueueSize int
	// FailFast makes Send return ErrQueueFull instead of waiting when a peer's
	// queue is full.
	FailFast bool
	// WriteTimeout is how long a peer may accept no bytes at all before it is
	// dropped as stalled (default 20s). A slow peer that keeps reading stays.
	WriteTimeout time.Duration
	// HandshakeTimeout bounds the Hello exchange (default 10s).
	HandshakeTimeout time.Duration
	// DialBackoffMin and DialBackoffMax bound the exponential redial backoff
	// (defaults 250ms and 30s). Each wait is jittered by up to ±20%.
	DialBackoffMin time.Duration
	DialBackoffMax time.Duration

	// MaxPeers sizes libp2p's resource manager: connections, streams and file
	// descriptors for this many connected peers (default 4096). Limits per peer stay
	// tight whatever the value. The process's open-file limit must allow it too.
	MaxPeers int

	Limits Limits
}

// Limits are the per-peer abuse thresholds. Past any of them the peer is
// disconnected and banned for BanDuration.
type Limits struct {
	// MessageRate is the sustained messages per second a peer may send, and
	// MessageBurst the bucket size (defaults 100,000/s and 50,000: a legitimate
	// 30k msg/s payment stream never comes close).
	MessageRate  float64
	MessageBurst int
	// MaxMalformed malformed frames within MalformedWindow get a peer banned
	// (defaults 16 per minute). An oversized frame also ends the session at once.
	MaxMalformed    int
	MalformedWindow time.Duration
	// BanDuration is how long a banned peer is refused (default 10 minutes).
	BanDuration time.Duration
}

func (c *Config) withDefaults() (Config, error) {
	out := *c
	if out.Key == nil {
		return out, errors.New("p2p config: Key is required")
	}
	if out.Handler == nil {
		return out, errors.New("p2p config: Handler is required")
	}
	if out.ChainID == nil {
		return out, errors.New("p2p config: ChainID is required")
	}
	if len(out.ListenAddrs) == 0 {
		out.ListenAddrs = []string{"/ip4/127.0.0.1/tcp/0"}
	}
	if out.Logger == nil {
		out.Logger = slog.Default()
	}
	setDefault(&out.SendQueueSize, 4096)
	setDefault(&out.WriteTimeout, 20*time.Second)
	setDefault(&out.HandshakeTimeout, 10*time.Second)
	setDefault(&out.MaxPeers, defaultMaxPeers)
	setDefault(&out.DialBackoffMin, 250*time.Millisecond)
	setDefault(&out.DialBackoffMax, 30*time.Second)
	if out.DialBackoffMax < out.DialBackoffMin {
		out.DialBackoffMax = out.DialBackoffMin
	}
	l := &out.Limits
	setDefault(&l.MessageRate, 100_000)
	setDefault(&l.MessageBurst, 50_000)
	setDefault(&l.MaxMalformed, 16)
	setDefault(&l.MalformedWindow, time.Minute)
	setDefault(&l.BanDuration, 10*time.Minute)
	return out, nil
}

const defaultMaxPeers = 4096

func setDefault[T int | float64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}
