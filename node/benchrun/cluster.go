package benchrun

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

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
	payees   payees
	channels []channel.ID // channels[i] is between the hub and payee i
}

// The hub polls the chain quickly because OpenChannel waits for its own watcher; the
// counterparties only need to learn their channel once, and many of them polling fast
// would load the chain, which lives in the hub's process, during the run: each poll is
// a few RPCs, so the payees' polls together are held to about 100 per second.
const (
	hubPollInterval = 50 * time.Millisecond
	peerPollsPerSec = 100
)

// peerPollInterval is each of n payees' chain poll interval: 500 ms, or slower when
// more than 50 payees would otherwise exceed peerPollsPerSec together.
func peerPollInterval(n int) time.Duration {
	return max(500*time.Millisecond, time.Duration(n)*time.Second/peerPollsPerSec)
}

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
	spec := nodeSpec{Dir: dir, Contract: c.chain.Contract(), Window: o.Window, CommitDelay: o.CommitDelay, Count: o.Channels,
		FirstKey: hex.EncodeToString(crypto.FromECDSA(accounts[2].Key))}
	if c.hub, err = startMember(ctx, spec, c.chain.Client(), o, "hub", accounts[1].Key, hubPollInterval); err != nil {
		return nil, err
	}
	spec.Static = []string{c.hub.addr}
	if len(o.PeerCommand) > 0 {
		if _, spec.ChainURL, err = c.chain.Serve(ctx, "127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("bench: serve the chain to the payee process: %w", err)
		}
		c.payees, err = startPayeeProcess(ctx, o.PeerCommand, spec)
	} else {
		var local localPayees
		local, err = startPayees(ctx, spec, c.chain.Client(), o)
		c.payees = local
		if err != nil {
			_ = local.close()
			c.payees = nil
		}
	}
	if err != nil {
		return nil, err
	}
	if c.channels, err = c.open(ctx, o); err != nil {
		return nil, err
	}
	if err := c.payees.learned(ctx, c.channels); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *cluster) close() error {
	var errs []error
	if c.payees != nil {
		errs = append(errs, c.payees.close())
	}
	if c.hub != nil {
		errs = append(errs, c.hub.node.Close())
	}
	if c.chain != nil {
		errs = append(errs, c.chain.Close())
	}
	errs = append(errs, os.RemoveAll(c.dir))
	return errors.Join(errs...)
}

// openConcurrency is how many channel opens the hub runs at once. Each open is a
// negotiation with the payee plus an on-chain transaction the hub waits to see mined;
// overlapping them lets the chain mine several per block, so 1,000 channels take
// minutes instead of a quarter of an hour.
const openConcurrency = 16

// open opens one channel from the hub to each payee; channels[i] is payee i's.
func (c *cluster) open(ctx context.Context, o Options) ([]channel.ID, error) {
	addrs := c.payees.addrs()
	channels := make([]channel.ID, len(addrs))
	deposit := new(big.Int).Mul(o.Amount, big.NewInt(int64(o.Payments/o.Channels+1)))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(openConcurrency)
	var mu sync.Mutex // Progress is not safe for concurrent use; counts stay in order
	done := 0
	for i, addr := range addrs {
		g.Go(func() error {
			cv, err := c.hub.node.OpenChannel(ctx, node.OpenRequest{Peer: addr, Deposit: deposit, ChallengePeriod: time.Hour})
			if err != nil {
				return fmt.Errorf("bench: open channel %d: %w", i, err)
			}
			channels[i] = cv.ID
			mu.Lock()
			defer mu.Unlock()
			done++
			if o.Progress != nil {
				o.Progress(Phase{Name: "opening channels", Done: done, Total: len(addrs)})
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return channels, nil
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
