package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/cluster"
	"github.com/sluicepay/sluice/store"
)

const flagStore = "store"

func storeFlag() cli.Flag {
	return &cli.StringFlag{Name: flagStore, EnvVars: envVar(flagStore),
		Usage: "where the node keeps its state: empty for leveldb under --datadir, or etcd://host:port,host:port for the clustered mode (nodes with the same key elect one active; the others wait as standbys)"}
}

// clusteredStore campaigns for the hub's leadership when --store names an etcd cluster and
// returns the fenced store once this process is the active one; nil without --store. lost
// is closed when the leadership ends; release resigns after the node has closed the store.
func clusteredStore(ctx context.Context, c *cli.Context, key *ecdsa.PrivateKey, log *slog.Logger) (st *store.Store, lost <-chan struct{}, release func(), err error) {
	spec := strings.TrimSpace(c.String(flagStore))
	if spec == "" {
		return nil, nil, func() {}, nil
	}
	endpoints, err := cluster.ParseStoreURL(spec)
	if err != nil {
		return nil, nil, nil, usageErrorf("--%s: %v", flagStore, err)
	}
	host, _ := os.Hostname()
	addr := crypto.PubkeyToAddress(key.PublicKey)
	fmt.Fprintf(c.App.Writer, "sluice node %s: standby, waiting to become the active node on etcd %s\n", addr.Hex(), strings.Join(endpoints, ","))
	l, err := cluster.Campaign(ctx, cluster.Config{
		Endpoints: endpoints,
		Namespace: "sluice/" + strings.ToLower(addr.Hex()) + "/",
		Candidate: fmt.Sprintf("%s/%d", host, os.Getpid()),
		Logger:    log,
		Store:     store.Options{Logger: log},
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return l.Store, l.Lost(), func() {
		if err := l.Close(); err != nil {
			log.Warn("cluster: close", "err", err)
		}
	}, nil
}
