package benchrun

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/node"
)

// routeMember is one real node of the routed bench.
type routeMember struct {
	*member
	address common.Address
}

// routeCluster is wallets -> hub -> merchants, every one a real node (own leveldb with
// every group fsynced, own libp2p host on 127.0.0.1) on one embedded chain.
type routeCluster struct {
	chain     *devchain.Chain
	dir       string
	signs     signCounter
	hub       *routeMember
	wallets   []*routeMember
	merchants []*routeMember
	walletCh  []channel.ID // wallet i -> hub
	merchCh   []channel.ID // hub -> merchant j
}

func (c *routeCluster) all() []*routeMember {
	out := append([]*routeMember{c.hub}, c.wallets...)
	return append(out, c.merchants...)
}

func (c *routeCluster) close() error {
	var errs []error
	for _, m := range c.all() {
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

func newRouteCluster(ctx context.Context, o RouteOptions) (_ *routeCluster, err error) {
	dir, err := os.MkdirTemp(o.BaseDir, "sluice-bench-route-")
	if err != nil {
		return nil, fmt.Errorf("bench: temp dir: %w", err)
	}
	c := &routeCluster{dir: dir}
	defer func() {
		if err != nil {
			_ = c.close()
		}
	}()
	if c.chain, err = devchain.New(devchain.Options{Logger: o.Logger}); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	accounts := c.chain.Accounts()
	c.hub, err = c.start(ctx, o, "hub", accounts[1].Key, nil, hubPollInterval, node.RoutingConfig{Fees: o.Fees})
	if err != nil {
		return nil, err
	}
	static := []string{c.hub.addr}
	// Wallets only pay and merchants only receive: neither forwards, so they announce
	// nothing (their signatures would be gossip's, not the payments').
	quiet := node.RoutingConfig{NoAnnounce: true}
	poll := peerPollInterval(o.Wallets + o.Merchants)
	walletKeys, err := c.fundWallets(ctx, o, accounts)
	if err != nil {
		return nil, err
	}
	total := o.Wallets + o.Merchants
	for i, key := range walletKeys {
		m, err := c.start(ctx, o, fmt.Sprintf("wallet%d", i), key, static, poll, quiet)
		if err != nil {
			return nil, err
		}
		c.wallets = append(c.wallets, m)
		o.progress("starting nodes", i+1, total)
	}
	for j := range o.Merchants {
		key, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		m, err := c.start(ctx, o, fmt.Sprintf("merchant%d", j), key, static, poll, quiet)
		if err != nil {
			return nil, err
		}
		c.merchants = append(c.merchants, m)
		o.progress("starting nodes", o.Wallets+j+1, total)
	}
	if err := c.open(ctx, o); err != nil {
		return nil, err
	}
	return c, nil
}

// start runs one node with its signatures counted.
func (c *routeCluster) start(ctx context.Context, o RouteOptions, name string, key *ecdsa.PrivateKey, static []string, poll time.Duration, rc node.RoutingConfig) (*routeMember, error) {
	var (
		n   *node.Node
		reg *prometheus.Registry
		err error
	)
	// A thousand nodes starting against one busy embedded chain: a node whose first chain
	// reads fail is started again (up to three times).
	for attempt := 0; attempt < 3 && ctx.Err() == nil; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Second)
		}
		reg = prometheus.NewRegistry()
		n, err = c.newNode(ctx, o, name, key, static, poll, rc, reg)
		if err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
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
	return &routeMember{member: &member{node: n, metrics: reg, addr: info.ListenAddrs[0]}, address: info.Address}, nil
}

func (c *routeCluster) newNode(ctx context.Context, o RouteOptions, name string, key *ecdsa.PrivateKey, static []string, poll time.Duration, rc node.RoutingConfig, reg *prometheus.Registry) (*node.Node, error) {
	n, err := node.New(ctx, node.Config{
		DataDir:      filepath.Join(c.dir, name),
		Key:          key,
		ListenAddrs:  []string{"/ip4/127.0.0.1/tcp/0"},
		StaticPeers:  static,
		Contract:     c.chain.Contract(),
		ChainBackend: c.chain.Client(),
		PollInterval: poll,
		Routing:      rc,
		Logger:       o.Logger.With("node", name),
		Metrics:      reg,
		WrapSigner:   c.signs.wrap,
	})
	if err != nil {
		return nil, fmt.Errorf("bench: node %s: %w", name, err)
	}
	return n, nil
}

// fundWallets gives the wallets their keys: the first is a funded dev account, the
// others fresh keys sent 1 ETH each (for the deposit and gas) by another dev account.
func (c *routeCluster) fundWallets(ctx context.Context, o RouteOptions, accounts []devchain.Account) ([]*ecdsa.PrivateKey, error) {
	keys := []*ecdsa.PrivateKey{accounts[2].Key}
	if o.Wallets == 1 {
		return keys, nil
	}
	client := c.chain.Client()
	from := accounts[3]
	nonce, err := client.PendingNonceAt(ctx, from.Address)
	if err != nil {
		return nil, fmt.Errorf("bench: fund wallets: %w", err)
	}
	price, err := client.SuggestGasPrice(ctx)
	if err != nil {
		return nil, fmt.Errorf("bench: fund wallets: %w", err)
	}
	price.Mul(price, big.NewInt(2))
	signer := types.LatestSignerForChainID(c.chain.ChainID())
	one := big.NewInt(params.Ether)
	var last common.Address
	for i := 1; i < o.Wallets; i++ {
		key, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		keys = append(keys, key)
		last = crypto.PubkeyToAddress(key.PublicKey)
		tx, err := types.SignNewTx(from.Key, signer, &types.LegacyTx{Nonce: nonce, To: &last, Value: one, Gas: 21_000, GasPrice: price})
		if err != nil {
			return nil, err
		}
		if err := client.SendTransaction(ctx, tx); err != nil {
			return nil, fmt.Errorf("bench: fund wallet %d: %w", i, err)
		}
		nonce++
	}
	err = waitFor(ctx, func() bool {
		b, err := client.BalanceAt(ctx, last, nil)
		return err == nil && b.Sign() > 0
	})
	return keys, err
}

// open opens every wallet's channel to the hub (the wallet deposits what it will pay)
// and the hub's channel to every merchant (the hub deposits what it will forward).
func (c *routeCluster) open(ctx context.Context, o RouteOptions) error {
	perWallet := o.Payments/o.Wallets + 1
	perMerchant := o.Payments/o.Merchants + 1
	walletDeposit := new(big.Int).Mul(o.total(), big.NewInt(int64(perWallet)))
	merchantDeposit := new(big.Int).Mul(o.Amount, big.NewInt(int64(perMerchant)))
	c.walletCh = make([]channel.ID, o.Wallets)
	c.merchCh = make([]channel.ID, o.Merchants)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(openConcurrency)
	var mu sync.Mutex
	done, total := 0, o.Wallets+o.Merchants
	opened := func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		o.progress("opening channels", done, total)
	}
	for j, m := range c.merchants {
		g.Go(func() error {
			cv, err := openRetrying(gctx, c.hub.node, node.OpenRequest{Peer: m.addr, Deposit: merchantDeposit, ChallengePeriod: time.Hour})
			if err != nil {
				return fmt.Errorf("bench: open hub -> merchant %d: %w", j, err)
			}
			c.merchCh[j] = cv.ID
			opened()
			return nil
		})
	}
	for i, w := range c.wallets {
		g.Go(func() error {
			cv, err := openRetrying(gctx, w.node, node.OpenRequest{Peer: c.hub.addr, Deposit: walletDeposit, ChallengePeriod: time.Hour})
			if err != nil {
				return fmt.Errorf("bench: open wallet %d -> hub: %w", i, err)
			}
			c.walletCh[i] = cv.ID
			opened()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// Both ends must know every channel before a lock crosses it.
	knows := func(m *routeMember, id channel.ID) error {
		return waitFor(ctx, func() bool { _, err := m.node.Channel(ctx, id); return err == nil })
	}
	for i, id := range c.walletCh {
		if err := knows(c.hub, id); err != nil {
			return fmt.Errorf("bench: hub learns wallet %d's channel: %w", i, err)
		}
	}
	for j, id := range c.merchCh {
		if err := knows(c.merchants[j], id); err != nil {
			return fmt.Errorf("bench: merchant %d learns its channel: %w", j, err)
		}
	}
	return nil
}

// openRetrying opens a channel, again (up to five times in all) when nothing was
// submitted: a thousand nodes on one embedded chain keep it busy.
func openRetrying(ctx context.Context, n *node.Node, req node.OpenRequest) (node.ChannelView, error) {
	var err error
	for range 5 {
		var cv node.ChannelView
		if cv, err = n.OpenChannel(ctx, req); err == nil {
			return cv, nil
		}
		// The node says so when the request may be repeated (a timeout, the RPC client
		// reconnecting under the load, an unreachable chain).
		if !strings.Contains(err.Error(), "nothing was submitted") || ctx.Err() != nil {
			return cv, err
		}
		time.Sleep(time.Second)
	}
	return node.ChannelView{}, err
}
