package cluster

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sluicepay/sluice/store"
	"github.com/sluicepay/sluice/store/kv/etcdkv"
)

// TestSecondStoreFollowsTheLeadership: the risk engine's store on the cluster
// (Leadership.OpenStore). What the active wrote there is what a standby that takes over
// reads (the spending windows survive a failover, where a local store started empty); a
// deposed active can no longer write to it (fenced like the node's store); a flush
// larger than one transaction is written in parts (SplitCommits) where one batch is
// refused.
func TestSecondStoreFollowsTheLeadership(t *testing.T) {
	etcd := startEtcd(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{Endpoints: etcd.Endpoints(), Namespace: "sluice/risk/", LeaseTTL: 2 * time.Second, MaxTxnOps: 64}
	cfgA := cfg
	cfgA.Candidate = "a"
	a, err := Campaign(ctx, cfgA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.OpenStore("data", store.Options{}); err == nil {
		t.Fatal("a second store over the node's data keys was opened")
	}
	ra, err := a.OpenStore("risk", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	big := store.NewBatch()
	for i := range 200 {
		if err := big.PutMeta("risk.state", fmt.Sprint("client/", i), []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ra.Commit(ctx, big); !errors.Is(err, etcdkv.ErrBatchTooLarge) {
		t.Fatalf("a 200-write batch on a 64-op cluster: %v, want ErrBatchTooLarge", err)
	}
	split := SplitCommits{Store: ra, MaxOps: cfg.MaxTxnOps}
	if err := split.Commit(ctx, big); err != nil {
		t.Fatalf("the same batch in parts: %v", err)
	}
	if _, ok, err := a.Store.GetMeta("risk.state", "client/7"); err != nil || ok {
		t.Fatalf("the risk record is among the node's data (found %v, %v)", ok, err)
	}

	bWon := make(chan *Leadership, 1)
	go func() {
		cfgB := cfg
		cfgB.Candidate = "b"
		l, err := Campaign(ctx, cfgB)
		if err != nil {
			t.Error(err)
		}
		bWon <- l
	}()
	a.cli.Close() // the active dies without resigning
	var b *Leadership
	select {
	case b = <-bWon:
	case <-time.After(15 * time.Second):
		t.Fatal("no standby active within 15 s")
	}
	if b == nil {
		t.FailNow()
	}
	defer b.Close()
	rb, err := b.OpenStore("risk", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	for _, i := range []int{0, 63, 64, 199} {
		v, ok, err := rb.GetMeta("risk.state", fmt.Sprint("client/", i))
		if err != nil || !ok || len(v) != 1 || v[0] != byte(i) {
			t.Fatalf("client %d after the failover: %v %v %v", i, v, ok, err)
		}
	}
	late := store.NewBatch()
	if err := late.PutMeta("risk.state", "client/0", []byte{99}); err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if err := ra.Commit(wctx, late); err == nil {
		t.Fatal("the deposed active wrote to the risk store")
	}
	if v, _, _ := rb.GetMeta("risk.state", "client/0"); len(v) != 1 || v[0] != 0 {
		t.Fatalf("client 0 is %v after the deposed active's write", v)
	}
}
