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
	"github.com/sluicepay/sluice/store/kv/etcdkv"
)

const (
	flagStore        = "store"
	flagEtcdMaxTxnOp = "etcd-max-txn-ops"
	flagAnnounce     = "announce"
)

// writesPerPayment is what one payment adds to a merged node batch at most: its record,
// its index entry and its channel side's proof.
const writesPerPayment = 3

func etcdMaxTxnOpsFlag() cli.Flag {
	return &cli.IntFlag{Name: flagEtcdMaxTxnOp, EnvVars: envVar(flagEtcdMaxTxnOp), Value: etcdkv.DefaultMaxTxnOps,
		Usage: "the etcd cluster's --max-txn-ops; the node keeps each group of writes within it (raise both, e.g. to 3072, for throughput)"}
}

func announceFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: flagAnnounce, EnvVars: envVar(flagAnnounce),
		Usage: "multiaddr (without /p2p/) to tell peers besides --listen (repeatable); in the clustered mode give every member's listen address, so a wallet that dialled the active redials the new one after a failover"}
}

func storeFlag() cli.Flag {
	return &cli.StringFlag{Name: flagStore, EnvVars: envVar(flagStore),
		Usage: "where the node keeps its state: empty for leveldb under --datadir, or etcd://host:port,host:port for the clustered mode (nodes with the same key elect one active; the others wait as standbys)"}
}

// clusteredMaxBatch is the node's CommitMaxBatch in the clustered mode: a merged group of
// payments must fit one etcd transaction to stay atomic.
func clusteredMaxBatch(c *cli.Context) int {
	if strings.TrimSpace(c.String(flagStore)) == "" {
		return 0
	}
	return max(1, c.Int(flagEtcdMaxTxnOp)/writesPerPayment-1)
}

// clusteredStore campaigns for the hub's leadership when --store names an etcd cluster and
// returns the fenced store once this process is the active one; nil without --store. lost
// is closed when the leadership ends; release resigns after the node has closed the store.
// riskStore opens the risk engine's store on the cluster too (fenced the same way), so a
// standby that takes over keeps the spending windows; nil without --store.
func clusteredStore(ctx context.Context, c *cli.Context, key *ecdsa.PrivateKey, log *slog.Logger) (st *store.Store, lost <-chan struct{}, release func(), riskStore func() (riskStateStore, error), err error) {
	spec := strings.TrimSpace(c.String(flagStore))
	if spec == "" {
		return nil, nil, func() {}, nil, nil
	}
	endpoints, err := cluster.ParseStoreURL(spec)
	if err != nil {
		return nil, nil, nil, nil, usageErrorf("--%s: %v", flagStore, err)
	}
	host, _ := os.Hostname()
	addr := crypto.PubkeyToAddress(key.PublicKey)
	fmt.Fprintf(c.App.Writer, "sluice node %s: standby, waiting to become the active node on etcd %s\n", addr.Hex(), strings.Join(endpoints, ","))
	l, err := cluster.Campaign(ctx, cluster.Config{
		Endpoints: endpoints,
		Namespace: "sluice/" + strings.ToLower(addr.Hex()) + "/",
		Candidate: fmt.Sprintf("%s/%d", host, os.Getpid()),
		MaxTxnOps: c.Int(flagEtcdMaxTxnOp),
		Logger:    log,
		Store:     store.Options{Logger: log},
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return l.Store, l.Lost(), func() {
			if err := l.Close(); err != nil {
				log.Warn("cluster: close", "err", err)
			}
		}, func() (riskStateStore, error) {
			st, err := l.OpenStore(riskStoreDir, store.Options{Logger: log})
			if err != nil {
				return nil, err
			}
			return cluster.SplitCommits{Store: st, MaxOps: c.Int(flagEtcdMaxTxnOp)}, nil
		}, nil
}
