package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/sluicepay/sluice/store"
	"github.com/sluicepay/sluice/store/kv/etcdkv"

	_ "github.com/sluicepay/sluice/internal/protoreg" // pubsub and etcd both register "rpc.proto"
)

// DefaultLeaseTTL is how long a dead active holds the leadership: the failover time is
// about this plus a standby's campaign round trip.
const DefaultLeaseTTL = 3 * time.Second

// Config names the cluster, the hub identity and this candidate.
type Config struct {
	Endpoints []string // etcd client URLs
	// Namespace holds one hub identity's keys: its leader key and its data
	// (e.g. "sluice/0xabc…/"). Every process of one hub uses the same namespace.
	Namespace string
	// Candidate names this process in the leader key's value and in logs.
	Candidate string
	// LeaseTTL bounds how long leadership survives its holder (default 3 s, at least 2 s).
	LeaseTTL time.Duration
	// RequestTimeout bounds each etcd write (default LeaseTTL): a cut-off active fails
	// its commits within it.
	RequestTimeout time.Duration
	// MaxTxnOps is the cluster's --max-txn-ops (default 128).
	MaxTxnOps int
	Store     store.Options
	Logger    *slog.Logger
}

// ErrLeadershipLost means the lease behind this process's leadership ended.
var ErrLeadershipLost = errors.New("cluster: leadership lost (lease expired or revoked); this node stops so that only the new active acknowledges")

// Leadership is won leadership: the fenced store and the means to watch and give it up.
type Leadership struct {
	Store    *store.Store
	Key      string // the leader key
	Revision int64  // its creation revision, the fence
	cli      *clientv3.Client
	session  *concurrency.Session
	election *concurrency.Election
	cfg      Config
}

// ParseStoreURL reads --store etcd://host:port,host:port into client URLs.
func ParseStoreURL(s string) ([]string, error) {
	rest, ok := strings.CutPrefix(s, "etcd://")
	if !ok || rest == "" {
		return nil, fmt.Errorf("store %q: want etcd://host:port[,host:port...]", s)
	}
	var out []string
	for _, hp := range strings.Split(rest, ",") {
		hp = strings.TrimSpace(hp)
		u, err := url.Parse("http://" + hp)
		if err != nil || u.Host == "" || u.Port() == "" || u.Path != "" {
			return nil, fmt.Errorf("store %q: %q is not host:port", s, hp)
		}
		out = append(out, "http://"+u.Host)
	}
	return out, nil
}

// Campaign connects to etcd and blocks until this process is the active one (or ctx
// ends). It then returns the fenced store of the namespace's data.
func Campaign(ctx context.Context, c Config) (*Leadership, error) {
	if len(c.Endpoints) == 0 || c.Namespace == "" {
		return nil, errors.New("cluster: endpoints and namespace are required")
	}
	if c.LeaseTTL == 0 {
		c.LeaseTTL = DefaultLeaseTTL
	}
	if c.LeaseTTL < 2*time.Second {
		return nil, fmt.Errorf("cluster: lease TTL %s is under 2s", c.LeaseTTL)
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = c.LeaseTTL
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	log := c.Logger.With("component", "cluster", "candidate", c.Candidate)
	cli, err := clientv3.New(clientv3.Config{
		Endpoints: c.Endpoints, DialTimeout: 5 * time.Second,
		DialKeepAliveTime: time.Second, DialKeepAliveTimeout: time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: connect to etcd %v: %w", c.Endpoints, err)
	}
	l, err := campaign(ctx, cli, c, log)
	if err != nil {
		cli.Close()
		return nil, err
	}
	return l, nil
}

func campaign(ctx context.Context, cli *clientv3.Client, c Config, log *slog.Logger) (*Leadership, error) {
	session, err := concurrency.NewSession(cli, concurrency.WithTTL(int(c.LeaseTTL/time.Second)), concurrency.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("cluster: lease on etcd %v: %w", c.Endpoints, err)
	}
	election := concurrency.NewElection(session, c.Namespace+"leader")
	log.Info("cluster: standby, campaigning for leadership", "namespace", c.Namespace)
	if err := election.Campaign(ctx, c.Candidate); err != nil {
		session.Close()
		return nil, fmt.Errorf("cluster: campaign: %w", err)
	}
	backend, err := etcdkv.New(etcdkv.Config{
		Client: cli, Prefix: c.Namespace + "data/", MaxTxnOps: c.MaxTxnOps, Timeout: c.RequestTimeout,
	})
	if err != nil {
		session.Close()
		return nil, err
	}
	backend.SetFence(etcdkv.Fence{Key: election.Key(), Revision: election.Rev()})
	st, err := store.OpenBackend(backend, "etcd "+c.Namespace, c.Store)
	if err != nil {
		resign(election, session)
		return nil, err
	}
	log.Info("cluster: active", "leaderKey", election.Key(), "revision", election.Rev())
	return &Leadership{Store: st, Key: election.Key(), Revision: election.Rev(), cli: cli, session: session, election: election, cfg: c}, nil
}

// OpenStore opens another store of this hub on the cluster, under the namespace's
// "<sub>/" keys and fenced like the node's store (a write commits only while this
// process holds the leadership): the risk engine's state lives there, so a standby that
// takes over keeps every client's spending windows and baselines. The caller closes it
// before Close.
func (l *Leadership) OpenStore(sub string, o store.Options) (*store.Store, error) {
	if sub == "" || sub == "data" || sub == "leader" || strings.ContainsAny(sub, "/") {
		return nil, fmt.Errorf("cluster: store namespace %q: want a name other than data and leader, without '/'", sub)
	}
	backend, err := etcdkv.New(etcdkv.Config{
		Client: l.cli, Prefix: l.cfg.Namespace + sub + "/", MaxTxnOps: l.cfg.MaxTxnOps, Timeout: l.cfg.RequestTimeout,
	})
	if err != nil {
		return nil, err
	}
	backend.SetFence(etcdkv.Fence{Key: l.Key, Revision: l.Revision})
	return store.OpenBackend(backend, "etcd "+l.cfg.Namespace+sub, o)
}

// Lost is closed when this process's lease has ended (as far as it can tell; the fence
// holds even before it notices).
func (l *Leadership) Lost() <-chan struct{} { return l.session.Done() }

// Close resigns, so a standby takes over at once rather than after the lease TTL, and
// closes the etcd client. The store must be closed first (the node closes it).
func (l *Leadership) Close() error {
	resign(l.election, l.session)
	return l.cli.Close()
}

func resign(e *concurrency.Election, s *concurrency.Session) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = e.Resign(ctx)
	_ = s.Close()
}
