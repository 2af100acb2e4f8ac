package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/cluster"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/api"
)

// The daemon serves the API from *node.Node directly.
var _ api.Backend = (*node.Node)(nil)

const (
	flagRPC             = "rpc"
	flagContract        = "contract"
	flagListen          = "listen"
	flagPeer            = "peer"
	flagAPIAddr         = "api-addr"
	flagConfirmations   = "confirmations"
	flagMetricsPublic   = "metrics-public"
	flagChallengePeriod = "challenge-period"
	flagTxReplaceAfter  = "tx-replace-after"
	flagChainTimeout    = "chain-timeout"
	flagMaxFeeGwei      = "max-fee-gwei"
	flagTower           = "tower"

	defaultAPIAddr  = api.DefaultAddr
	defaultListen   = "/ip4/0.0.0.0/tcp/7421"
	shutdownTimeout = 15 * time.Second
)

func nodeCommand() *cli.Command {
	return &cli.Command{
		Name:  "node",
		Usage: "run the Sluice daemon: channels, payments, chain watcher and the JSON-RPC API",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: flagRPC, Usage: "chain JSON-RPC URL (http://, ws://)", EnvVars: envVar(flagRPC)},
			&cli.StringFlag{Name: flagContract, Usage: "SluiceChannels contract address", EnvVars: envVar(flagContract)},
			&cli.StringSliceFlag{Name: flagListen, Usage: "libp2p listen multiaddr (repeatable)", Value: cli.NewStringSlice(defaultListen), EnvVars: envVar(flagListen)},
			&cli.StringSliceFlag{Name: flagPeer, Usage: "peer to keep connected, multiaddr ending in /p2p/<id> (repeatable)", EnvVars: envVar(flagPeer)},
			&cli.StringFlag{Name: flagAPIAddr, Usage: "API listen address (host:port); keep it on loopback", Value: defaultAPIAddr, EnvVars: envVar(flagAPIAddr)},
			&cli.Uint64Flag{Name: flagConfirmations, Usage: "blocks an open or a deposit must be buried under before the node counts it (default: the chain's, 0 only on dev chains 31337/1337; see README)", EnvVars: envVar(flagConfirmations)},
			&cli.BoolFlag{Name: flagMetricsPublic, Usage: "serve /metrics without the bearer token", EnvVars: envVar(flagMetricsPublic)},
			&cli.DurationFlag{Name: flagChallengePeriod, Usage: "challenge period for channels this node opens when the request leaves it out", Value: node.DefaultChallengePeriod, EnvVars: envVar(flagChallengePeriod)},
			&cli.DurationFlag{Name: flagChainTimeout, Usage: "deadline of every chain RPC call; a chain that does not answer within it is reported (WARN, nodeInfo chain.rpcOK, sluice_chain_rpc_up)", Value: follow.DefaultCallTimeout, EnvVars: envVar(flagChainTimeout)},
			&cli.DurationFlag{Name: flagTxReplaceAfter, Usage: "replace a transaction of the node with a higher fee when it is not mined within this time", Value: node.DefaultTxReplaceAfter, EnvVars: envVar(flagTxReplaceAfter)},
			&cli.Uint64Flag{Name: flagMaxFeeGwei, Usage: "highest fee cap (gwei per gas) a replacement may offer; 0: no ceiling", EnvVars: envVar(flagMaxFeeGwei)},
			&cli.StringFlag{Name: flagTower, Usage: "watchtower multiaddr (ending in /p2p/<id>) to register received proofs with, so it defends the node's channels while it is offline", EnvVars: envVar(flagTower)},
			passwordFileFlag(),
			storeFlag(),
			etcdMaxTxnOpsFlag(),
			announceFlag(),
		}, append(append(append(append(channelPolicyFlags(), routingFlags()...), forwardFlags()...), invoiceFlags()...), checkpointFlags()...)...),
		Action: runNode,
	}
}

// chainFlags reads --rpc and --contract, which the node and the tower both need.
func chainFlags(c *cli.Context) (rpcURL string, contract common.Address, err error) {
	rpcURL = strings.TrimSpace(c.String(flagRPC))
	if rpcURL == "" {
		return "", common.Address{}, usageErrorf("--%s is required: the chain's JSON-RPC URL (for a local chain run 'sluice devnet')", flagRPC)
	}
	s := c.String(flagContract)
	if !common.IsHexAddress(s) {
		return "", common.Address{}, usageErrorf("--%s %q is not a 0x contract address", flagContract, s)
	}
	return rpcURL, common.HexToAddress(s), nil
}

func runNode(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	log, err := newLogger(c)
	if err != nil {
		return err
	}
	rpcURL, contract, err := chainFlags(c)
	if err != nil {
		return err
	}
	period := c.Duration(flagChallengePeriod)
	if period < time.Second {
		return usageErrorf("--%s %s is shorter than the contract minimum of 1s", flagChallengePeriod, period)
	}
	if d := c.Duration(flagChainTimeout); d < 100*time.Millisecond {
		return usageErrorf("--%s %s is shorter than 100ms", flagChainTimeout, d)
	}
	replaceAfter := c.Duration(flagTxReplaceAfter)
	if replaceAfter < time.Second {
		return usageErrorf("--%s %s is shorter than 1s", flagTxReplaceAfter, replaceAfter)
	}
	var maxFee *big.Int
	if g := c.Uint64(flagMaxFeeGwei); g > 0 {
		maxFee = new(big.Int).Mul(new(big.Int).SetUint64(g), big.NewInt(params.GWei))
	}
	policy, err := channelPolicy(c, period)
	if err != nil {
		return err
	}
	routingCfg, err := routingConfig(c)
	if err != nil {
		return err
	}
	forwardingCfg, err := forwardingConfig(c)
	if err != nil {
		return err
	}
	invoiceCfg, err := invoiceConfig(c)
	if err != nil {
		return err
	}
	checkpointCfg, err := checkpointConfig(c)
	if err != nil {
		return err
	}
	margin, err := revealMargin(c)
	if err != nil {
		return err
	}
	dir := dataDir(c)
	key, err := loadKey(c, dir)
	if err != nil {
		return err
	}
	token, err := api.LoadOrCreateToken(dir)
	if err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ctx := c.Context
	st, lost, release, riskStore, err := clusteredStore(ctx, c, key, log)
	if err != nil {
		if ctx.Err() != nil {
			return nil // a standby stopped while it waited: a clean exit
		}
		return err
	}
	defer release()
	n, err := node.New(ctx, node.Config{
		DataDir:                dir,
		Store:                  st,
		CommitMaxBatch:         clusteredMaxBatch(c),
		Key:                    key,
		ListenAddrs:            c.StringSlice(flagListen),
		StaticPeers:            c.StringSlice(flagPeer),
		AnnounceAddrs:          c.StringSlice(flagAnnounce),
		ChainURL:               rpcURL,
		Contract:               contract,
		Confirmations:          confirmationsFlag(c),
		DefaultChallengePeriod: period,
		TxReplaceAfter:         replaceAfter,
		CallTimeout:            c.Duration(flagChainTimeout),
		MaxFeeCap:              maxFee,
		Tower:                  strings.TrimSpace(c.String(flagTower)),
		Open:                   policy,
		Routing:                routingCfg,
		Forwarding:             forwardingCfg,
		Invoices:               invoiceCfg,
		Checkpoints:            checkpointCfg,
		RevealMargin:           margin,
		Logger:                 log,
		Metrics:                reg,
	})
	if err != nil {
		return err
	}
	defer func() {
		if err := n.Close(); err != nil {
			log.Error("node: close", "err", err)
		}
	}()
	if err := n.Start(ctx); err != nil {
		return fmt.Errorf("start node: %w", err)
	}
	riskEngine, stopRisk, err := openNodeRisk(ctx, dir, n, reg, log, riskStore)
	if err != nil {
		return err
	}
	defer func() {
		if err := stopRisk(); err != nil {
			log.Error("risk: stop", "err", err)
		}
	}()
	srv, err := api.NewServer(n, api.Config{
		Addr: c.String(flagAPIAddr), Token: token, Metrics: reg,
		MetricsPublic: c.Bool(flagMetricsPublic), Logger: log, Risk: riskEngine,
	})
	if err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	// Client commands with this --datadir reach this node, whatever --api-addr it took.
	urlFile := filepath.Join(dir, APIURLFile)
	if err := os.WriteFile(urlFile, []byte(srv.URL()+"\n"), 0o600); err != nil {
		log.Warn("api: cannot record the API URL in the datadir", "file", urlFile, "err", err)
	}
	defer os.Remove(urlFile)
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := srv.Stop(stopCtx); err != nil {
			log.Error("api: stop", "err", err)
		}
	}()
	if info, err := n.Info(ctx); err == nil {
		log.Info("node running", "address", info.Address.Hex(), "chainId", info.ChainID, "contract", info.Contract.Hex(),
			"p2p", strings.Join(info.ListenAddrs, ","), "api", srv.URL(), "token", api.TokenPath(dir))
		// What a partner needs to open a channel to us, printed plainly rather than only
		// inside a log line (issue 21, finding 9).
		fmt.Fprintf(c.App.Writer, "sluice node %s on chain %s\n", info.Address.Hex(), info.ChainID)
		for _, a := range info.ListenAddrs {
			fmt.Fprintf(c.App.Writer, "  peer address: %s\n", a)
		}
		fmt.Fprintf(c.App.Writer, "  api:          %s (token %s)\n", srv.URL(), api.TokenPath(dir))
	} else if !errors.Is(err, context.Canceled) {
		log.Warn("node info unavailable", "err", err)
	}

	select {
	case <-ctx.Done():
	case <-lost:
		// The fence already refuses this process's writes; stopping hands the peers to
		// the new active and tells a supervisor to restart this one as a standby.
		return cluster.ErrLeadershipLost
	}
	// A second Ctrl-C during a slow shutdown should kill the process the usual way.
	signal.Reset(os.Interrupt, syscall.SIGTERM)
	log.Info("shutting down", "timeout", shutdownTimeout)
	return nil
}

// confirmationsFlag is --confirmations when given (flag, variable or config file), else
// nil: the node takes the chain's default depth.
func confirmationsFlag(c *cli.Context) *uint64 {
	if !c.IsSet(flagConfirmations) {
		return nil
	}
	v := c.Uint64(flagConfirmations)
	return &v
}
