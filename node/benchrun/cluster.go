package benchrun

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/node"
)

// member is one real node of the bench: its own leveldb, libp2p host and metrics.
type member struct {
	node    *node.Node
	metrics *prometheus.Registry
	addr    string // first listen multiaddr
}

// cluster is the chain, the hub (the payer) and its counterparties (the payees).
type cluster struct {
	chain    *devchain.Chain
	dir      string
	hub      *member
	peers    []*member
	channels []channel.ID // channels[i] is between the hub and peers[i]
}

// The hub polls the chain quickly because OpenChannel waits for its own watcher; the
// counterparties only need to learn their channel once, and many of them polling fast
// would load the in-process chain during the run.
const (
	hubPollInterval  = 50 * time.Millisecond
	peerPollInterval = 500 * time.Millisecond
)

func newCluster(ctx context.Context, o Options) (_ *cluster, err error) {
	dir, err := os.MkdirTemp(o.BaseDir, "sluice-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: temp dir: %w", err)
	}
	c := &cluster{dir: dir}
	defer func() {
		if err != nil {
			_ = c.close()
		}
	}()
	if c.chain, err = devchain.New(devchain.Options{Logger: o.Logger}); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	accounts := c.chain.Accounts()
	if c.hub, err = c.start(ctx, o, "hub", accounts[1].Key, nil); err != nil {
		return nil, err
	}
	for i := range o.Channels {
		// Counterparties only receive, so they need no funds: fresh keys let the many-
		// channels run have as many distinct nodes as it asks for.
		key := accounts[2].Key
		if i > 0 {
			if key, err = crypto.GenerateKey(); err != nil {
				return nil, fmt.Errorf("bench: key of counterparty %d: %w", i, err)
			}
		}
		m, err := c.start(ctx, o, fmt.Sprintf("peer%d", i), key, []string{c.hub.addr})
		if err != nil {
			return nil, err
		}
		c.peers = append(c.peers, m)
		if o.Progress != nil {
			o.Progress(Phase{Name: "starting nodes", Done: i + 1, Total: o.Channels})
		}
	}
	deposit := new(big.Int).Mul(o.Amount, big.NewInt(int64(o.Payments/o.Channels+1)))
	for i, p := range c.peers {
		cv, err := c.hub.node.OpenChannel(ctx, node.OpenRequest{Peer: p.addr, Deposit: deposit, ChallengePeriod: time.Hour})
		if err != nil {
			return nil, fmt.Errorf("bench: open channel %d: %w", i, err)
		}
		c.channels = append(c.channels, cv.ID)
		if o.Progress != nil {
			o.Progress(Phase{Name: "opening channels", Done: i + 1, Total: o.Channels})
		}
	}
	for i, p := range c.peers {
		if err := waitFor(ctx, func() bool { _, err := p.node.Channel(ctx, c.channels[i]); return err == nil }); err != nil {
			return nil, fmt.Errorf("bench: counterparty %d learns channel %s: %w", i, c.channels[i], err)
		}
	}
	return c, nil
}

func (c *cluster) start(ctx context.Context, o Options, name string, key *ecdsa.PrivateKey, static []string) (*member, error) {
	dir := filepath.Join(c.dir, name)
	reg := prometheus.NewRegistry()
	poll := peerPollInterval
	if name == "hub" {
		poll = hubPollInterval
	}
	n, err := node.New(ctx, node.Config{
		DataDir:        dir,
		Key:            key,
		ListenAddrs:    []string{"/ip4/127.0.0.1/tcp/0"},
		StaticPeers:    static,
		ChainBackend:   c.chain.Client(),
		Contract:       c.chain.Contract(),
		PollInterval:   poll,
		PipelineWindow: o.Window,
		CommitMaxDelay: o.CommitDelay,
		Logger:         o.Logger.With("node", name),
		Metrics:        reg,
	})
	if err != nil {
		return nil, fmt.Errorf("bench: node %s: %w", name, err)
	}
	if err := n.Start(ctx); err != nil {
		_ = n.Close()
		return nil, fmt.Errorf("bench: start node %s: %w", name, err)
	}
	m := &member{node: n, metrics: reg}
	if name == "hub" {
		c.hub = m // closed with the cluster even if the rest of setup fails
	}
	info, err := n.Info(ctx)
	if err != nil || len(info.ListenAddrs) == 0 {
		_ = n.Close()
		return nil, fmt.Errorf("bench: node %s has no listen address (%v)", name, err)
	}
	m.addr = info.ListenAddrs[0]
	return m, nil
}

// members returns the hub followed by every counterparty.
func (c *cluster) members() []*member {
	return append([]*member{c.hub}, c.peers...)
}

func (c *cluster) close() error {
	var errs []error
	for _, m := range c.members() {
		if m != nil {
			errs = append(errs, m.node.Close())
		}
	}
	if c.chain != nil {
		errs = append(errs, c.chain.Close())
	}
	errs = append(errs, os.RemoveAll(c.dir))
	return errors.Join(errs...)
}

func waitFor(ctx context.Context, cond func() bool) error {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}
