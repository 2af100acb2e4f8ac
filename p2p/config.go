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
	// AnnounceAddrs are extra multiaddrs (without /p2p/) this node tells its peers it is
	// reachable at, besides its listen addresses: a clustered hub lists every member's
	// listen address, so a wallet that only dialled the active learns the standbys' and
	// redials them itself when the active goes (issue 20).
	AnnounceAddrs []string
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
	// MessageBurst the bucket size (defaults DefaultMessageRate and
	// DefaultMessageBurst). A node sets it from the rate at which it can verify
	// signatures: an honest payer cannot usefully send faster than that, because
	// the payee's reader stops reading while its verifier is behind.
	MessageRate  float64
	MessageBurst int
	// MaxRefused messages refused by the handler (Penalize) within RefusedWindow get a
	// peer banned (defaults 64 per 10s). The handler reports only refusals an honest
	// peer cannot cause in numbers: a bad signature, an unknown channel, a
	// declined channel proposal.
	MaxRefused    int
	RefusedWindow time.Duration
	// MaxSessionsPerIP and MaxSessionsPerSubnet bound the sessions (handshaking or
	// up) from one remote IP address and from one /24 (IPv4) or /48 (IPv6) network
	// (defaults 8 and 32). Loopback peers are exempt. They sit on top of libp2p's
	// per-IP connection limits: a connection is cheap, a session holds goroutines
	// and buffers.
	MaxSessionsPerIP     int
	MaxSessionsPerSubnet int
	// NewConnRate and NewConnBurst bound how fast one remote IP may open new
	// connections (defaults 2 per second, burst 16; loopback exempt unless
	// LimitLoopback). Past them a connection is refused before its handshake, which is
	// the costly part: identities are free, so without it one host cycling through
	// fresh identities (each banned in turn) makes the node run a Noise handshake for
	// every one of them.
	NewConnRate  float64
	NewConnBurst int
	// LimitLoopback applies the per-IP and per-subnet session bounds to loopback
	// peers too: for a node whose peers all arrive through a local proxy, and for
	// measurements on one machine, where every peer is on 127.0.0.1.
	LimitLoopback bool
	// MaxMalformed malformed frames within MalformedWindow get a peer banned
	// (defaults 16 per minute). An oversized frame also ends the session at once.
	MaxMalformed    int
	MalformedWindow time.Duration
	// BanDuration is how long a banned peer is refused (default 10 minutes).
	BanDuration time.Duration
	// FrameTimeout bounds how long a started frame may take to arrive in full once
	// its first byte is read (default 10s): a peer that stops in the middle of a
	// frame is dropped instead of holding its session forever.
	FrameTimeout time.Duration
	// IdleTimeout ends a session that has sent nothing at all for this long after
	// Hello (default 90s). Each side sends a Ping when it has written nothing for a
	// third of it, so a live but quiet peer always stays.
	IdleTimeout time.Duration
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
	setDefault(&l.MessageRate, DefaultMessageRate)
	setDefault(&l.MessageBurst, DefaultMessageBurst)
	setDefault(&l.MaxRefused, 64)
	setDefault(&l.RefusedWindow, 10*time.Second)
	setDefault(&l.MaxSessionsPerIP, 8)
	setDefault(&l.MaxSessionsPerSubnet, 32)
	setDefault(&l.NewConnRate, 2)
	setDefault(&l.NewConnBurst, 16)
	setDefault(&l.MaxMalformed, 16)
	setDefault(&l.MalformedWindow, time.Minute)
	setDefault(&l.BanDuration, 10*time.Minute)
	setDefault(&l.FrameTimeout, 10*time.Second)
	setDefault(&l.IdleTimeout, 90*time.Second)
	return out, nil
}

const defaultMaxPeers = 4096

// DefaultMessageRate and DefaultMessageBurst apply when the embedding node does not
// set a rate from its measured verify rate: about what two cores recover in
// signatures per second, with a one-second burst.
const (
	DefaultMessageRate  = 20_000
	DefaultMessageBurst = 20_000
)

func setDefault[T int | float64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}
