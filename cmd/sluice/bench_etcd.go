package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/sluicepay/sluice/cluster"
	"github.com/sluicepay/sluice/node/benchrun"
	"github.com/sluicepay/sluice/store"
	"github.com/sluicepay/sluice/store/kv/etcdkv/etcdlocal"
)

const flagBenchStore = "store"

// etcdBench is `sluice bench --store etcd`: the same run on leveldb, then on a local
// 3-member etcd cluster (every node a fenced active of its own namespace), and the ratio.
type etcdBench struct {
	LevelDB benchrun.Result `json:"leveldb"`
	Etcd    benchrun.Result `json:"etcd"`
	// Ratio is etcd's payments/s over leveldb's in the same run.
	Ratio float64 `json:"ratio"`
	// RaftCommitsPerPayment is etcd's transactions (each one Raft proposal, fsynced by
	// a majority) per payment, over payer and payees.
	RaftCommitsPerPayment float64 `json:"raft_commits_per_payment"`
	Members               int     `json:"etcd_members"`
	MaxTxnOps             int     `json:"etcd_max_txn_ops"`
}

// benchMaxTxnOps is the local cluster's --max-txn-ops: room for a node's default group of
// 1024 payments (about two writes each) in one transaction.
const benchMaxTxnOps = 3072

func runEtcdBench(ctx context.Context, opts benchrun.Options) (etcdBench, error) {
	out := etcdBench{Members: 3, MaxTxnOps: benchMaxTxnOps}
	var err error
	if out.LevelDB, err = benchrun.Run(ctx, opts); err != nil {
		return out, fmt.Errorf("leveldb run: %w", err)
	}
	dir, err := os.MkdirTemp(opts.BaseDir, "sluice-bench-etcd-")
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(dir)
	etcd, err := etcdlocal.Start(dir, out.Members, etcdlocal.Options{MaxTxnOps: benchMaxTxnOps})
	if err != nil {
		return out, err
	}
	defer etcd.Close()
	var mu sync.Mutex
	var leads []*cluster.Leadership
	defer func() {
		for _, l := range leads {
			_ = l.Close()
		}
	}()
	run := time.Now().UnixNano()
	opts.OpenStore = func(ctx context.Context, name string) (*store.Store, error) {
		l, err := cluster.Campaign(ctx, cluster.Config{
			Endpoints: etcd.Endpoints(),
			Namespace: fmt.Sprintf("sluice/bench-%d/%s/", run, name),
			Candidate: name,
			MaxTxnOps: benchMaxTxnOps,
			Logger:    opts.Logger,
			Store:     store.Options{Logger: opts.Logger},
		})
		if err != nil {
			return nil, err
		}
		mu.Lock()
		leads = append(leads, l)
		mu.Unlock()
		return l.Store, nil
	}
	opts.CommitMaxBatch = benchMaxTxnOps/3 - 1
	if out.Etcd, err = benchrun.Run(ctx, opts); err != nil {
		return out, fmt.Errorf("etcd run: %w", err)
	}
	if out.LevelDB.PaymentsPerSecond > 0 {
		out.Ratio = out.Etcd.PaymentsPerSecond / out.LevelDB.PaymentsPerSecond
	}
	out.RaftCommitsPerPayment = out.Etcd.FsyncsPerPayment
	return out, nil
}

func printEtcdBench(w io.Writer, r etcdBench) error {
	fmt.Fprintln(w, "== leveldb (default store)")
	if err := printBench(w, r.LevelDB); err != nil {
		return err
	}
	fmt.Fprintf(w, "== etcd (local %d-member cluster, --max-txn-ops %d; 'fsyncs' are Raft commits, each fsynced by a majority)\n", r.Members, r.MaxTxnOps)
	if err := printBench(w, r.Etcd); err != nil {
		return err
	}
	return keyValues(w, [][2]string{
		{"etcd/leveldb", fmt.Sprintf("%.0f%% of leveldb's payments/s in the same run (%.0f vs %.0f); %.4f Raft commits per payment",
			100*r.Ratio, r.Etcd.PaymentsPerSecond, r.LevelDB.PaymentsPerSecond, r.RaftCommitsPerPayment)},
	})
}
