// Package devcluster runs an embedded dev chain and several real Sluice nodes in one
// process: each node has its own temporary datadir (real leveldb), its own funded test
// key, and libp2p on 127.0.0.1, connected to the others. The demo, the benchmarks and
// end-to-end tests stand on it. It imports node, never the other way round.
package devcluster

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/node"
)

// Options shape a cluster. The zero value starts two nodes with the node's defaults and
// a fast chain poll.
type Options struct {
	// Nodes is how many nodes to start (default 2, at most devchain.NumAccounts-1: account
	// #0 is the cluster's own funder and deployer, never a node).
	Nodes int
	// PipelineWindow, CommitMaxBatch and CommitMaxDelay are passed to every node's
	// node.Config (zero keeps the node's default).
	PipelineWindow int
	CommitMaxBatch int
	CommitMaxDelay time.Duration
	// PollInterval is how often each node's watcher polls the chain (default 20 ms: the
	// dev chain mines at once, so waiting a second per poll would only slow things down).
	PollInterval time.Duration
	// BaseDir is where the temporary datadirs go ("" = the system temp dir).
	BaseDir string
	// Logger receives the nodes' logs; nil discards them.
	Logger *slog.Logger
	// Configure, when set, adjusts node i's config before it starts (on Restart too): a
	// fee policy, a reveal margin, faster routing announcements.
	Configure func(i int, c *node.Config)
}

// Member is one node of the cluster with its identity.
type Member struct {
	Index   int
	Key     *ecdsa.PrivateKey
	Address common.Address
	DataDir string

	mu   sync.Mutex
	node *node.Node // nil while stopped
}

// Node returns the running node, or nil while it is stopped.
func (m *Member) Node() *node.Node {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.node
}

// Cluster is a dev chain with nodes on it. Close tears everything down.
type Cluster struct {
	opts    Options
	chain   *devchain.Chain
	dir     string // parent of every member's datadir; removed by Close
	members []*Member
	// reader reads the chain with account #0's key; funder sends from account #0, which
	// no node uses, so its nonces never race a node's.
	funder *contracts.Client

	closeOnce sync.Once
	closeErr  error
}

// defaultPollInterval: the dev chain mines on arrival.
const defaultPollInterval = 20 * time.Millisecond

// New starts the chain and opts.Nodes nodes, and waits until every node is connected to
// every other.
func New(ctx context.Context, opts Options) (_ *Cluster, err error) {
	if opts.Nodes == 0 {
		opts.Nodes = 2
	}
	if opts.Nodes < 1 || opts.Nodes > devchain.NumAccounts-1 {
		return nil, fmt.Errorf("devcluster: %d nodes requested; between 1 and %d are possible", opts.Nodes, devchain.NumAccounts-1)
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = defaultPollInterval
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dir, err := os.MkdirTemp(opts.BaseDir, "sluice-devcluster-")
	if err != nil {
		return nil, fmt.Errorf("devcluster: temp dir: %w", err)
	}
	c := &Cluster{opts: opts, dir: dir}
	defer func() {
		if err != nil {
			_ = c.Close()
		}
	}()
	c.chain, err = devchain.New(devchain.Options{Logger: opts.Logger.With("component", "devchain")})
	if err != nil {
		return nil, fmt.Errorf("devcluster: %w", err)
	}
	accounts := c.chain.Accounts()
	c.funder, err = contracts.New(ctx, c.chain.Client(), c.chain.Contract(), accounts[0].Key, contracts.Options{})
	if err != nil {
		return nil, fmt.Errorf("devcluster: funder client: %w", err)
	}
	var addrs []string
	for i := range opts.Nodes {
		acc := accounts[i+1]
		m := &Member{Index: i, Key: acc.Key, Address: acc.Address}
		if m.DataDir, err = os.MkdirTemp(dir, fmt.Sprintf("node%d-", i)); err != nil {
			return nil, fmt.Errorf("devcluster: datadir of node %d: %w", i, err)
		}
		c.members = append(c.members, m)
		if err := c.startMember(ctx, m, addrs); err != nil {
			return nil, err
		}
		info, err := m.Node().Info(ctx)
		if err != nil || len(info.ListenAddrs) == 0 {
			return nil, fmt.Errorf("devcluster: node %d has no listen address (%v)", i, err)
		}
		addrs = append(addrs, info.ListenAddrs[0])
	}
	if err := c.WaitConnected(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cluster) config(m *Member, static []string) node.Config {
	cfg := node.Config{
		DataDir:        m.DataDir,
		Key:            m.Key,
		ListenAddrs:    []string{"/ip4/127.0.0.1/tcp/0"},
		StaticPeers:    static,
		ChainBackend:   c.chain.Client(),
		Contract:       c.chain.Contract(),
		PollInterval:   c.opts.PollInterval,
		PipelineWindow: c.opts.PipelineWindow,
		CommitMaxBatch: c.opts.CommitMaxBatch,
		CommitMaxDelay: c.opts.CommitMaxDelay,
		Logger:         c.opts.Logger.With("node", m.Index),
	}
	if c.opts.Configure != nil {
		c.opts.Configure(m.Index, &cfg)
	}
	return cfg
}

func (c *Cluster) startMember(ctx context.Context, m *Member, static []string) error {
	n, err := node.New(ctx, c.config(m, static))
	if err != nil {
		return fmt.Errorf("devcluster: node %d (%s): %w", m.Index, m.Address, err)
	}
	if err := n.Start(ctx); err != nil {
		_ = n.Close()
		return fmt.Errorf("devcluster: start node %d (%s): %w", m.Index, m.Address, err)
	}
	m.mu.Lock()
	m.node = n
	m.mu.Unlock()
	return nil
}

// Chain is the embedded dev chain.
func (c *Cluster) Chain() *devchain.Chain { return c.chain }

// Funder is a contracts client of account #0, which no node uses: deploy test contracts,
// mint, and read the chain with it.
func (c *Cluster) Funder() *contracts.Client { return c.funder }

// Members lists the nodes in index order.
func (c *Cluster) Members() []*Member { return append([]*Member(nil), c.members...) }

// Member returns node i's member, or nil when out of range.
func (c *Cluster) Member(i int) *Member {
	if i < 0 || i >= len(c.members) {
		return nil
	}
	return c.members[i]
}

// Node returns node i, or nil when it is out of range or stopped.
func (c *Cluster) Node(i int) *node.Node {
	if m := c.Member(i); m != nil {
		return m.Node()
	}
	return nil
}

// Client returns a new contracts client signing with node i's key, for acting on chain
// as that participant outside its node (a cheating or impatient user). Its nonces are
// its own: do not send through it while node i is submitting a transaction.
func (c *Cluster) Client(ctx context.Context, i int) (*contracts.Client, error) {
	m := c.Member(i)
	if m == nil {
		return nil, fmt.Errorf("devcluster: no node %d", i)
	}
	cl, err := contracts.New(ctx, c.chain.Client(), c.chain.Contract(), m.Key, contracts.Options{})
	if err != nil {
		return nil, fmt.Errorf("devcluster: contracts client of node %d: %w", i, err)
	}
	return cl, nil
}

// Stop closes node i; its datadir stays, so Restart brings it back with its state.
func (c *Cluster) Stop(i int) error {
	m := c.Member(i)
	if m == nil {
		return fmt.Errorf("devcluster: no node %d", i)
	}
	m.mu.Lock()
	n := m.node
	m.node = nil
	m.mu.Unlock()
	if n == nil {
		return nil
	}
	if err := n.Close(); err != nil {
		return fmt.Errorf("devcluster: stop node %d: %w", i, err)
	}
	return nil
}

// Restart starts node i again from its datadir (stopping it first if it runs), dialling
// every other running node, and waits until it is connected to them.
func (c *Cluster) Restart(ctx context.Context, i int) error {
	if err := c.Stop(i); err != nil {
		return err
	}
	var static []string
	for _, m := range c.members {
		if m.Index == i || m.Node() == nil {
			continue
		}
		info, err := m.Node().Info(ctx)
		if err != nil {
			return fmt.Errorf("devcluster: info of node %d: %w", m.Index, err)
		}
		static = append(static, info.ListenAddrs...)
	}
	if err := c.startMember(ctx, c.members[i], static); err != nil {
		return err
	}
	return c.WaitConnected(ctx)
}

// WaitConnected waits until every running node has every other running node as a peer.
func (c *Cluster) WaitConnected(ctx context.Context) error {
	return WaitFor(ctx, "every node connected to every other", func() (bool, error) {
		running := 0
		for _, m := range c.members {
			if m.Node() != nil {
				running++
			}
		}
		for _, m := range c.members {
			n := m.Node()
			if n == nil {
				continue
			}
			info, err := n.Info(ctx)
			if err != nil {
				return false, err
			}
			if info.Peers < running-1 {
				return false, nil
			}
		}
		return true, nil
	})
}

// AdvanceTime moves chain time forward by d (whole seconds), e.g. past a challenge period.
func (c *Cluster) AdvanceTime(d time.Duration) error {
	if err := c.chain.AdjustTime(d); err != nil {
		return fmt.Errorf("devcluster: %w", err)
	}
	return nil
}

// Close stops every node, then the chain, and removes the temporary datadirs.
func (c *Cluster) Close() error {
	c.closeOnce.Do(func() {
		var errs []error
		for i := range c.members {
			if err := c.Stop(i); err != nil {
				errs = append(errs, err)
			}
		}
		if c.funder != nil {
			c.funder.Disconnect()
		}
		if c.chain != nil {
			if err := c.chain.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		if err := os.RemoveAll(c.dir); err != nil {
			errs = append(errs, fmt.Errorf("devcluster: remove %s: %w", c.dir, err))
		}
		c.closeErr = errors.Join(errs...)
	})
	return c.closeErr
}
