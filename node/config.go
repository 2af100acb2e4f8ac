package node

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Config assembles a node. Exactly one of ChainURL and ChainBackend names the chain.
type Config struct {
	DataDir string
	// Store, if set, is the node's state instead of the leveldb store under DataDir (the
	// clustered mode's fenced etcd store). The node closes it.
	Store *store.Store
	// Key is the node's secp256k1 identity: its Ethereum address on chain and its libp2p
	// identity on the wire. It is never logged.
	Key *ecdsa.PrivateKey

	ListenAddrs []string // multiaddrs, e.g. /ip4/127.0.0.1/tcp/0
	StaticPeers []string // multiaddrs ending in /p2p/<id>, dialled at Start and kept connected
	// AnnounceAddrs are told to peers besides ListenAddrs (p2p.Config.AnnounceAddrs): a
	// clustered hub lists every member's listen address so peers redial the new active.
	AnnounceAddrs []string

	ChainURL     string       // JSON-RPC URL of the chain
	ChainBackend ChainBackend // an injected in-process backend (the devchain's client)
	Contract     common.Address

	// Confirmations is how many blocks an open or a deposit must be buried under before
	// the node counts it; nil takes the chain's default (follow.DefaultConfirmations: 0
	// on the dev chains 31337 and 1337, non-zero everywhere else). Closes, proof updates,
	// withdrawals and settlements are acted on at once whatever the depth.
	Confirmations *uint64
	// CallTimeout bounds every chain call (default follow.DefaultCallTimeout): a stalled
	// RPC is logged and shown in Info within about this long.
	CallTimeout time.Duration
	// StartBlock is where a node without a stored cursor starts reading events (the
	// contract's deployment block on a long chain); later runs resume from the cursor.
	StartBlock uint64
	// PollInterval is how often the watcher asks for a new head.
	PollInterval time.Duration
	// RevealMargin is the seconds of chain time each hop of a mediated transfer keeps
	// between its incoming and outgoing lock expirations (mediate.DefaultRevealMargin
	// when 0; ADR 0025).
	RevealMargin uint64
	// TxReplaceAfter is how long a transaction of ours may stay unmined before the node
	// replaces it with the same nonce and a higher fee (default 30 s).
	TxReplaceAfter time.Duration
	// MaxFeeCap bounds the fee cap (wei per gas) of a replacement; nil or zero: no
	// ceiling. A transaction at the ceiling stays as it is and is re-broadcast.
	MaxFeeCap *big.Int
	// DefaultChallengePeriod applies when an OpenRequest leaves it zero.
	DefaultChallengePeriod time.Duration

	// PipelineWindow bounds unacknowledged proofs per channel. Proofs are cumulative, so a
	// wider window costs the payee nothing. Throughput is about window / (2 fsyncs + a round
	// trip), so slow disks want a wide window.
	PipelineWindow int
	// PeerWait is how long a new payment waits for a session with the channel's partner
	// before it fails with ErrPeerUnreachable, nothing signed (default DefaultPeerWait).
	PeerWait time.Duration
	// CommitMaxBatch and CommitMaxDelay shape group commit: one fsync covers up to
	// CommitMaxBatch writes, and a lone write waits at most CommitMaxDelay for company.
	CommitMaxBatch int
	CommitMaxDelay time.Duration
	// NoSync is reserved for benchmarks that compare against unsynced storage. It has no
	// effect yet: the store fsyncs every group commit and offers no unsynced mode.
	NoSync bool

	// Tower is a watchtower's multiaddr (ending in /p2p/<id>); when set, the node registers
	// its best received proof per channel there (docs/tower.md). TowerFlush is how often
	// changed channels are sent (default DefaultTowerFlush).
	Tower      string
	TowerFlush time.Duration

	// Open is the channel policy: for channels peers propose, and every channel we learn of.
	Open OpenPolicy
	// Routing is the node's fee policy and whether it announces its channels
	// (docs/routing.md); the zero value announces them and forwards for free.
	Routing RoutingConfig
	// Forwarding bounds what the node forwards per partner and counts peers that hold
	// locks to expiry (forward_limits.go, ADR 0029); the zero value sets no limit.
	Forwarding ForwardingConfig
	// Invoices bounds the open invoices the node keeps as a payee and how long they take
	// new locks (invoice_book.go, ADR 0035); the zero value takes the defaults.
	Invoices InvoiceConfig
	// Checkpoints bounds the tombstones of our removed locks and asks partners to endorse
	// checkpoints that prune them (checkpoint.go, ADR 0037); the zero value takes the defaults.
	Checkpoints CheckpointConfig
	// PeerLimits bound what one peer may cost the node (docs/abuse.md). Zero fields take
	// the transport's defaults, except MessageRate: the signature recoveries per second
	// this machine measured at start (CPU time of 20 ms of recoveries, times the cores),
	// at least 5,000.
	PeerLimits p2p.Limits

	Logger  *slog.Logger
	Metrics *prometheus.Registry
	// WrapTransport, when set, wraps the node's p2p transport. It exists for end-to-end
	// tests of hostile peers (a payee that rejects every proof); production leaves it nil.
	WrapTransport func(Transport) Transport
	// WrapSigner, when set, wraps the node's key signer (every signature the node makes
	// goes through it). `sluice bench --route` counts signatures with it; production
	// leaves it nil.
	WrapSigner func(channel.Signer) channel.Signer
}

// OpenPolicy is the node's channel policy: the terms it accepts on a channel it takes
// payments on. It decides proposals (declined outright) and applies to every channel the
// node learns of, proposed or opened on chain without asking (payments on a channel
// outside it are refused with channel.ErrChannelOutOfPolicy; channel_policy.go).
type OpenPolicy struct {
	// AcceptTokens lists the tokens (address(0) = ETH) we take channels in; empty: any.
	AcceptTokens []common.Address
	// MinChallengePeriod and MaxChallengePeriod bound a channel's challenge period. A zero
	// minimum is DefaultMinChallengePeriod (1h), or DevMinChallengePeriod (1s) on a dev
	// chain (chain id 31337 or 1337); a zero maximum is the contract's (30 days).
	MinChallengePeriod time.Duration
	MaxChallengePeriod time.Duration
	// MinDeposit is the least the opener must have deposited, in the token's smallest
	// unit, on a channel the partner opened; nil or zero: none. A small deposit puts none
	// of our funds at risk (it only caps what the partner can pay us), so this is a bound
	// on the state strangers can make us keep, not a safety rule.
	MinDeposit *big.Int
	// MaxChannelsPerPeer bounds open channels plus accepted proposals per peer; 0: none.
	MaxChannelsPerPeer int
	// AnswerTimeout is how long an opener waits for the partner's answer, and again for
	// its confirmation that it knows the opened channel (default 30s).
	AnswerTimeout time.Duration
}

// Defaults fill what a Config leaves zero.
const (
	DefaultPipelineWindow    = 1024
	DefaultPeerWait          = 5 * time.Second
	DefaultCommitMaxBatch    = 1024
	DefaultCommitMaxDelay    = 0 // fsync as soon as the previous one is done: natural batching
	DefaultPollInterval      = time.Second
	DefaultTxReplaceAfter    = 30 * time.Second
	DefaultChallengePeriod   = 24 * time.Hour
	DefaultOpenAnswerTimeout = 30 * time.Second
)

func (c *Config) withDefaults() Config {
	out := *c
	if out.PipelineWindow <= 0 {
		out.PipelineWindow = DefaultPipelineWindow
	}
	if out.PeerWait <= 0 {
		out.PeerWait = DefaultPeerWait
	}
	if out.CommitMaxBatch <= 0 {
		out.CommitMaxBatch = DefaultCommitMaxBatch
	}
	if out.PollInterval <= 0 {
		out.PollInterval = DefaultPollInterval
	}
	if out.CallTimeout <= 0 {
		out.CallTimeout = follow.DefaultCallTimeout
	}
	if out.TxReplaceAfter <= 0 {
		out.TxReplaceAfter = DefaultTxReplaceAfter
	}
	if out.DefaultChallengePeriod <= 0 {
		out.DefaultChallengePeriod = DefaultChallengePeriod
	}
	if out.Open.AnswerTimeout <= 0 {
		out.Open.AnswerTimeout = DefaultOpenAnswerTimeout
	}
	out.Checkpoints = out.Checkpoints.withDefaults()
	if out.Logger == nil {
		out.Logger = slog.New(slog.DiscardHandler)
	}
	if out.Metrics == nil {
		out.Metrics = prometheus.NewRegistry()
	}
	return out
}

func (c *Config) validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("config: DataDir is empty"))
	}
	if c.Key == nil || c.Key.D == nil {
		errs = append(errs, errors.New("config: Key is missing"))
	}
	switch {
	case c.ChainURL == "" && c.ChainBackend == nil:
		errs = append(errs, errors.New("config: neither ChainURL nor ChainBackend is set"))
	case c.ChainURL != "" && c.ChainBackend != nil:
		errs = append(errs, errors.New("config: both ChainURL and ChainBackend are set; choose one"))
	}
	if c.Contract == (common.Address{}) {
		errs = append(errs, errors.New("config: Contract address is zero"))
	}
	if c.Open.MinChallengePeriod < 0 || c.Open.MaxChallengePeriod < 0 {
		errs = append(errs, fmt.Errorf("config: Open.MinChallengePeriod %s and Open.MaxChallengePeriod %s must not be negative", c.Open.MinChallengePeriod, c.Open.MaxChallengePeriod))
	}
	if c.Open.MaxChallengePeriod > 0 && c.Open.MinChallengePeriod > c.Open.MaxChallengePeriod {
		errs = append(errs, fmt.Errorf("config: Open.MinChallengePeriod %s exceeds Open.MaxChallengePeriod %s", c.Open.MinChallengePeriod, c.Open.MaxChallengePeriod))
	}
	if err := c.Routing.Fees.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("config: Routing.Fees: %w", err))
	}
	if c.PipelineWindow > 1<<16 {
		errs = append(errs, fmt.Errorf("config: PipelineWindow %d exceeds %d", c.PipelineWindow, 1<<16))
	}
	return errors.Join(errs...)
}
