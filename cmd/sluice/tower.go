package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/tower"
)

const (
	flagMetricsAddr  = "metrics-addr"
	flagStartBlock   = "start-block"
	flagPollInterval = "poll-interval"
	flagMaxChannels  = "max-channels"

	defaultTowerListen  = "/ip4/0.0.0.0/tcp/7422"
	defaultTowerMetrics = "127.0.0.1:7424"
)

func towerCommand() *cli.Command {
	return &cli.Command{
		Name:  "tower",
		Usage: "run a watchtower: defend the channels of offline clients with the proofs they registered",
		Description: "Clients (nodes started with --tower <multiaddr>) register the best proof they received per\n" +
			"channel, endorsed by them. The tower verifies each against the chain, keeps the newest per\n" +
			"channel, follows the chain and submits it (updateProofFor) when the partner closes with an\n" +
			"older one. Its key (sluice init --datadir ...) is its libp2p identity and pays the gas of\n" +
			"defenses: fund it. It prints its multiaddr on stdout at start. See docs/tower.md.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagRPC, Usage: "chain JSON-RPC URL (http://, ws://)", EnvVars: envVar(flagRPC)},
			&cli.StringFlag{Name: flagContract, Usage: "SluiceChannels contract address", EnvVars: envVar(flagContract)},
			&cli.StringSliceFlag{Name: flagListen, Usage: "libp2p listen multiaddr (repeatable)", Value: cli.NewStringSlice(defaultTowerListen), EnvVars: commandEnvVar("tower", flagListen)},
			&cli.StringFlag{Name: flagMetricsAddr, Usage: "serve Prometheus /metrics on this host:port (empty: off)", Value: defaultTowerMetrics, EnvVars: commandEnvVar("tower", flagMetricsAddr)},
			&cli.Uint64Flag{Name: flagStartBlock, Usage: "block to start following the chain from on the first run (later runs resume)", EnvVars: commandEnvVar("tower", flagStartBlock)},
			&cli.DurationFlag{Name: flagPollInterval, Usage: "how often to read the chain head", Value: 2 * time.Second, EnvVars: commandEnvVar("tower", flagPollInterval)},
			&cli.IntFlag{Name: flagMaxChannels, Usage: "most channels to guard", Value: 1_000_000, EnvVars: commandEnvVar("tower", flagMaxChannels)},
			passwordFileFlag(),
		},
		Action: runTower,
	}
}

func runTower(c *cli.Context) error {
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
	if c.Duration(flagPollInterval) <= 0 {
		return usageErrorf("--%s must be positive", flagPollInterval)
	}
	dir := dataDir(c)
	key, err := loadKey(c, dir)
	if err != nil {
		return err
	}
	ctx := c.Context
	dialCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	chain, err := contracts.Dial(dialCtx, rpcURL, contract, key, contracts.Options{Logger: log})
	cancel()
	if err != nil {
		return err
	}
	defer chain.Disconnect()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	tw, err := tower.New(tower.Config{
		Key: key, DataDir: dir, Chain: chain, ListenAddrs: c.StringSlice(flagListen),
		StartBlock: c.Uint64(flagStartBlock), PollInterval: c.Duration(flagPollInterval),
		MaxChannels: c.Int(flagMaxChannels), Logger: log, Metrics: reg,
	})
	if err != nil {
		return err
	}
	defer func() {
		if err := tw.Close(); err != nil {
			log.Error("tower: close", "err", err)
		}
	}()
	if err := tw.Start(); err != nil {
		return err
	}
	if addr := c.String(flagMetricsAddr); addr != "" {
		url, stop, err := serveMetrics(addr, reg)
		if err != nil {
			return err
		}
		defer stop()
		log.Info("tower metrics", "url", url)
	}
	// The multiaddrs, one per line and nothing else, for --tower and for scripts.
	for _, a := range tw.Addrs() {
		fmt.Fprintln(c.App.Writer, a)
	}
	log.Info("tower running", "address", chain.Address().Hex(), "contract", contract.Hex(), "guarded", tw.Guarded())
	<-ctx.Done()
	log.Info("tower shutting down")
	return nil
}

// serveMetrics serves reg on addr until stop is called and returns its URL.
func serveMetrics(addr string, reg *prometheus.Registry) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("metrics listener %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // ErrServerClosed after Shutdown
	}()
	return "http://" + ln.Addr().String() + "/metrics", func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}
