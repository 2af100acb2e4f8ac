package benchrun

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// payees are the receiving nodes, in this process or in a child process.
type payees interface {
	addrs() []string
	// learned waits until payee i knows channels[i].
	learned(ctx context.Context, channels []channel.ID) error
	stats() storeStats
	close() error
}

// nodeSpec is what a payee node needs to start; it crosses the process boundary as JSON.
type nodeSpec struct {
	Dir         string         `json:"dir"`
	ChainURL    string         `json:"chain_url,omitempty"`
	Contract    common.Address `json:"contract"`
	Window      int            `json:"window"`
	CommitDelay time.Duration  `json:"commit_delay"`
	Static      []string       `json:"static"`
	Count       int            `json:"count"`
	// FirstKey is the payee 0's key (hex): a funded dev account, so the single-channel
	// bench pays a node of the usual kind. Later payees get fresh keys: they only
	// receive, so they need no funds.
	FirstKey string `json:"first_key"`
}

// localPayees are real nodes in this process.
type localPayees []*member

func startPayees(ctx context.Context, spec nodeSpec, backend node.ChainBackend, o Options) (localPayees, error) {
	var ps localPayees
	for i := range spec.Count {
		key, err := payeeKey(spec, i)
		if err != nil {
			return ps, err
		}
		m, err := startMember(ctx, spec, backend, o, fmt.Sprintf("peer%d", i), key, peerPollInterval(spec.Count))
		if err != nil {
			return ps, err
		}
		ps = append(ps, m)
		if o.Progress != nil {
			o.Progress(Phase{Name: "starting nodes", Done: i + 1, Total: spec.Count})
		}
	}
	return ps, nil
}

func payeeKey(spec nodeSpec, i int) (*ecdsa.PrivateKey, error) {
	if i == 0 {
		return crypto.HexToECDSA(spec.FirstKey)
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("bench: key of counterparty %d: %w", i, err)
	}
	return key, nil
}

// startMember starts one real node: its own leveldb, libp2p host and metrics registry.
func startMember(ctx context.Context, spec nodeSpec, backend node.ChainBackend, o Options, name string, key *ecdsa.PrivateKey, poll time.Duration) (*member, error) {
	reg := prometheus.NewRegistry()
	cfg := node.Config{
		DataDir:        filepath.Join(spec.Dir, name),
		Key:            key,
		ListenAddrs:    []string{"/ip4/127.0.0.1/tcp/0"},
		StaticPeers:    spec.Static,
		Contract:       spec.Contract,
		PollInterval:   poll,
		PipelineWindow: spec.Window,
		CommitMaxDelay: spec.CommitDelay,
		CommitMaxBatch: o.CommitMaxBatch,
		Logger:         o.Logger.With("node", name),
		Metrics:        reg,
	}
	if backend != nil {
		cfg.ChainBackend = backend
	} else {
		cfg.ChainURL = spec.ChainURL
	}
	if o.OpenStore != nil {
		st, err := o.OpenStore(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("bench: store of node %s: %w", name, err)
		}
		cfg.Store = st
	}
	n, err := node.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("bench: node %s: %w", name, err)
	}
	if err := n.Start(ctx); err != nil {
		_ = n.Close()
		return nil, fmt.Errorf("bench: start node %s: %w", name, err)
	}
	info, err := n.Info(ctx)
	if err != nil || len(info.ListenAddrs) == 0 {
		_ = n.Close()
		return nil, fmt.Errorf("bench: node %s has no listen address (%v)", name, err)
	}
	return &member{node: n, metrics: reg, addr: info.ListenAddrs[0]}, nil
}

func (ps localPayees) addrs() []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.addr
	}
	return out
}

func (ps localPayees) learned(ctx context.Context, channels []channel.ID) error {
	for i, p := range ps {
		if err := waitFor(ctx, func() bool { _, err := p.node.Channel(ctx, channels[i]); return err == nil }); err != nil {
			return fmt.Errorf("bench: counterparty %d learns channel %s: %w", i, channels[i], err)
		}
	}
	return nil
}

func (ps localPayees) stats() storeStats {
	var s storeStats
	for _, p := range ps {
		s.add(readStoreStats(p.metrics))
	}
	return s
}

func (ps localPayees) close() error {
	var errs []error
	for _, p := range ps {
		errs = append(errs, p.node.Close())
	}
	return errors.Join(errs...)
}
