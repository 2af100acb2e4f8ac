package gossip

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"

	_ "github.com/sluicepay/sluice/internal/protoreg" // pubsub and etcd both register "rpc.proto"
)

// DefaultPenaltyThreshold is how many rejected announcements a peer may relay before it
// is blacklisted from the routing topic.
const DefaultPenaltyThreshold = 10

// Config configures a Service.
type Config struct {
	// Host is the node's libp2p host (the same one its channels use): gossip flows between
	// connected peers, so hubs and their wallets form the mesh.
	Host      host.Host
	Validator *Validator
	// Registerer receives the metrics; nil keeps them in-process only (Stats).
	Registerer prometheus.Registerer
	// PenaltyThreshold rejects per peer before blacklisting it (default 10).
	PenaltyThreshold int
	// OnPenalty, if set, is told when a peer is blacklisted, so the node can also count it
	// against the peer's session (p2p misbehaviour) or ban it.
	OnPenalty func(peer.ID, error)
	// OnSync, if set, is told the outcome of every automatic graph sync with a new peer:
	// how many announcements it admitted, and why the answer failed or was refused.
	OnSync func(p peer.ID, admitted int, err error)
	// SyncEvery: graph sync asks one peer at most once per this (default 5m).
	SyncEvery time.Duration
	Logger    *slog.Logger
}

// Topic is the gossip topic of one chain and contract: announcements never mix networks.
func Topic(d channel.Domain) string {
	return fmt.Sprintf("/sluice/routing/1/%s/%s", d.ChainID, strings.ToLower(d.Contract.Hex()))
}

// Service runs gossipsub on a host, joined to the routing topic, with the Validator
// hooked in: what fails validation is neither delivered nor relayed.
type Service struct {
	cfg     Config
	ps      *pubsub.PubSub
	topic   *pubsub.Topic
	sub     *pubsub.Subscription
	metrics *metrics
	self    peer.ID
	proto   protocol.ID

	mu      sync.Mutex
	rejects map[peer.ID]int

	// graph sync (sync.go)
	syncJobs   chan peer.ID
	syncLimit  *limiter[peer.ID]
	serveLimit *limiter[peer.ID]
	serving    chan struct{}

	cancel context.CancelFunc
	done   chan struct{}
	wg     sync.WaitGroup
	once   sync.Once
}

// Start starts gossipsub on cfg.Host and joins the topic of the validator's domain. It
// runs until Close (or ctx ends). A host carries one PubSub: if the node later gossips
// other topics, they must share this one.
func Start(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Host == nil || cfg.Validator == nil {
		return nil, errors.New("routing gossip: host and validator are required")
	}
	if cfg.PenaltyThreshold <= 0 {
		cfg.PenaltyThreshold = DefaultPenaltyThreshold
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	graph := cfg.Validator.cfg.Graph
	m, err := newMetrics(cfg.Registerer, func() float64 { c, _ := graph.Len(); return float64(c) })
	if err != nil {
		return nil, fmt.Errorf("routing gossip metrics: %w", err)
	}
	if cfg.SyncEvery <= 0 {
		cfg.SyncEvery = DefaultSyncEvery
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Service{cfg: cfg, metrics: m, self: cfg.Host.ID(), proto: SyncProtocol(cfg.Validator.cfg.Domain),
		rejects: make(map[peer.ID]int), cancel: cancel, done: make(chan struct{}),
		syncJobs: make(chan peer.ID, syncQueue), syncLimit: newLimiter[peer.ID](1, cfg.SyncEvery, 10_000),
		serveLimit: newLimiter[peer.ID](2, cfg.SyncEvery, 10_000), serving: make(chan struct{}, syncServing)}
	s.ps, err = pubsub.NewGossipSub(ctx, cfg.Host, pubsubOptions()...)
	if err == nil {
		err = s.ps.RegisterTopicValidator(Topic(cfg.Validator.cfg.Domain), pubsub.ValidatorEx(s.validate))
	}
	if err == nil {
		s.topic, err = s.ps.Join(Topic(cfg.Validator.cfg.Domain))
	}
	if err == nil {
		s.sub, err = s.topic.Subscribe()
	}
	if err == nil {
		err = s.startSync(ctx)
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("routing gossip: %w", err)
	}
	go s.drain(ctx)
	return s, nil
}

// pubsubOptions are what every node of the topic must agree on. Announcements carry their
// own signature; pubsub's author signature would bind a relayed copy to its relayer and
// give one announcement many message ids, so messages are unsigned, authorless, and
// identified by the hash of their bytes.
func pubsubOptions() []pubsub.Option {
	return []pubsub.Option{
		pubsub.WithMessageSignaturePolicy(pubsub.StrictNoSign),
		pubsub.WithNoAuthor(),
		pubsub.WithMessageIdFn(func(m *pb.Message) string { return string(crypto.Keccak256(m.Data)) }),
		pubsub.WithPeerExchange(false),
	}
}

// drain consumes delivered messages: the validator already put them in the graph, but
// gossipsub only keeps a peer in the topic's mesh while someone reads its subscription.
func (s *Service) drain(ctx context.Context) {
	defer close(s.done)
	for {
		if _, err := s.sub.Next(ctx); err != nil {
			return
		}
	}
}

func (s *Service) validate(ctx context.Context, from peer.ID, msg *pubsub.Message) pubsub.ValidationResult {
	_, err := s.cfg.Validator.Admit(ctx, from, msg.Data)
	if err == nil {
		s.metrics.count(ResultAccepted, "")
		return pubsub.ValidationAccept
	}
	reason, ignore := Reason(err)
	if ignore {
		s.metrics.count(ResultIgnored, reason)
		return pubsub.ValidationIgnore
	}
	s.metrics.count(ResultRejected, reason)
	s.cfg.Logger.Debug("routing announcement rejected", "from", from, "err", err)
	if from != s.self {
		s.penalize(from, err, 1)
	}
	return pubsub.ValidationReject
}

// penalize adds weight strikes to p; the one that reaches the threshold blacklists it.
func (s *Service) penalize(p peer.ID, err error, weight int) {
	s.mu.Lock()
	before := s.rejects[p]
	s.rejects[p] += weight
	n := s.rejects[p]
	if len(s.rejects) > 10_000 { // bounded: a forgotten peer starts again from zero
		clear(s.rejects)
	}
	s.mu.Unlock()
	if before >= s.cfg.PenaltyThreshold || n < s.cfg.PenaltyThreshold {
		return
	}
	s.metrics.penalties.Inc()
	s.ps.BlacklistPeer(p)
	s.cfg.Logger.Warn("routing gossip: peer blacklisted for invalid announcements", "peer", p, "rejects", n, "last", err)
	if s.cfg.OnPenalty != nil {
		s.cfg.OnPenalty(p, err)
	}
}

// Publish validates a (as any peer would) and floods it. A local announcement that fails
// validation is an error and is not sent.
func (s *Service) Publish(ctx context.Context, a *Announcement) error {
	data, err := Encode(a)
	if err != nil {
		return err
	}
	if err := s.topic.Publish(ctx, data); err != nil {
		return fmt.Errorf("publish announcement of %s: %w", a.Channel, err)
	}
	// Served to peers that connect later, even if our own graph holds a newer edge of
	// this side (the node re-puts its own edges with exact capacity).
	s.cfg.Validator.archive.put(a, data)
	return nil
}

// PublishRaw floods already-encoded bytes; tests use it to play a misbehaving peer.
func (s *Service) PublishRaw(ctx context.Context, data []byte) error {
	return s.topic.Publish(ctx, data)
}

// Stats returns the validation counts so far.
func (s *Service) Stats() Stats { return s.metrics.stats() }

// Rejects returns how many rejected announcements p has relayed to us.
func (s *Service) Rejects(p peer.ID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejects[p]
}

// banned reports whether p has reached the penalty threshold: it is neither synced from
// nor served.
func (s *Service) banned(p peer.ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejects[p] >= s.cfg.PenaltyThreshold
}

// TopicPeers lists the peers we know to be in the topic.
func (s *Service) TopicPeers() []peer.ID { return s.topic.ListPeers() }

// Close stops gossipsub's goroutines and the drain. The host stays up.
func (s *Service) Close() error {
	s.once.Do(func() {
		s.cfg.Host.RemoveStreamHandler(s.proto)
		s.cancel() // gossipsub's loops, the drain and graph sync all end with this context
		<-s.done
		s.wg.Wait()
	})
	return nil
}
