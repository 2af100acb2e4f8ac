package etcdkv

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/sluicepay/sluice/store/kv"
	"github.com/sluicepay/sluice/store/kv/kvtest"
)

func TestConformance(t *testing.T) {
	cli := newClient(t, shared.Endpoints())
	kvtest.Run(t, func(t *testing.T) kv.Backend { return newBackend(t, cli, Config{}) })
}

func TestNamespacesDoNotSeeEachOther(t *testing.T) {
	cli := newClient(t, shared.Endpoints())
	a := newBackend(t, cli, Config{Prefix: "ns/a/"})
	bb := newBackend(t, cli, Config{Prefix: "ns/a/b/"}) // a prefix of a's own keys
	var batch kv.Batch
	batch.Put([]byte("x"), []byte("1"))
	if _, err := bb.Write([]*kv.Batch{&batch}); err != nil {
		t.Fatal(err)
	}
	// a sees the key "b/x" (that is what the namespace means) but b sees only its own.
	n := 0
	if err := bb.Scan(kv.Range{}, func(_, _ []byte) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("b scanned %d keys, err %v", n, err)
	}
	if _, ok, _ := a.Get([]byte("x")); ok {
		t.Fatal("a sees b's key as its own")
	}
}

func payments(n, opsEach int) []*kv.Batch {
	var group []*kv.Batch
	for i := range n {
		b := new(kv.Batch)
		for j := range opsEach {
			b.Put(fmt.Appendf(nil, "p%04d/%d", i, j), []byte("v"))
		}
		group = append(group, b)
	}
	return group
}

func TestGroupSplitsIntoTransactionsOfWholeBatches(t *testing.T) {
	cli := newClient(t, shared.Endpoints())
	b := newBackend(t, cli, Config{MaxTxnOps: 10})
	// 8 batches of 3 writes: 3 batches fit under 10 operations, so 3+3+2 batches.
	commits, err := b.Write(payments(8, 3))
	if err != nil {
		t.Fatal(err)
	}
	if commits != 3 {
		t.Fatalf("%d transactions, want 3", commits)
	}
	n := 0
	if err := b.Scan(kv.Range{}, func(_, _ []byte) error { n++; return nil }); err != nil || n != 24 {
		t.Fatalf("%d keys written, err %v, want 24", n, err)
	}
}

func TestGroupLargerThanServerLimitIsChunked(t *testing.T) {
	cli := newClient(t, shared.Endpoints())
	b := newBackend(t, cli, Config{}) // the server runs with etcd's default 128 operations
	commits, err := b.Write(payments(200, 3))
	if err != nil {
		t.Fatalf("a group of 600 writes: %v", err)
	}
	if commits < 5 || commits > 6 {
		t.Fatalf("%d transactions for 600 writes at 126 per transaction", commits)
	}
}

func TestBatchTooLargeForOneTransactionIsRefusedUnwritten(t *testing.T) {
	cli := newClient(t, shared.Endpoints())
	b := newBackend(t, cli, Config{MaxTxnOps: 10})
	group := append(payments(1, 2), payments(1, 11)[0])
	group[1] = new(kv.Batch)
	for j := range 11 {
		group[1].Put(fmt.Appendf(nil, "big/%d", j), nil)
	}
	if _, err := b.Write(group); !errors.Is(err, ErrBatchTooLarge) {
		t.Fatalf("err %v, want ErrBatchTooLarge", err)
	}
	if _, ok, _ := b.Get([]byte("big/0")); ok {
		t.Fatal("part of a too-large batch was written")
	}
}

func TestDuplicateKeysAcrossBatchesOfOneTransaction(t *testing.T) {
	cli := newClient(t, shared.Endpoints())
	b := newBackend(t, cli, Config{})
	var b1, b2, b3 kv.Batch
	b1.Put([]byte("proof"), []byte("n1"))
	b2.Put([]byte("proof"), []byte("n2"))
	b3.Delete([]byte("gone"))
	b3.Put([]byte("gone"), []byte("back"))
	if _, err := b.Write([]*kv.Batch{&b1, &b2, &b3}); err != nil {
		t.Fatalf("etcd refuses a txn that puts a key twice; the backend must merge: %v", err)
	}
	for k, want := range map[string]string{"proof": "n2", "gone": "back"} {
		if v, _, _ := b.Get([]byte(k)); string(v) != want {
			t.Fatalf("%s = %q, want %q", k, v, want)
		}
	}
}

// TestDeposedLeaderNeverCommits is the fence: a leader whose lease is gone and whose key
// another candidate now holds cannot write, not even once, and stays refused.
func TestDeposedLeaderNeverCommits(t *testing.T) {
	ctx := context.Background()
	cliA := newClient(t, shared.Endpoints())
	cliB := newClient(t, shared.Endpoints())
	prefix := "fence/" + t.Name() + "/"
	elect := prefix + "leader"

	sA, err := concurrency.NewSession(cliA, concurrency.WithTTL(2))
	if err != nil {
		t.Fatal(err)
	}
	eA := concurrency.NewElection(sA, elect)
	if err := eA.Campaign(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	a := newBackend(t, cliA, Config{Prefix: prefix + "data/"})
	a.SetFence(Fence{Key: eA.Key(), Revision: eA.Rev()})
	var w kv.Batch
	w.Put([]byte("k"), []byte("from a"))
	if _, err := a.Write([]*kv.Batch{&w}); err != nil {
		t.Fatalf("leader write: %v", err)
	}

	// A's lease ends (as when it is partitioned longer than the TTL) and B wins.
	if _, err := cliA.Revoke(ctx, sA.Lease()); err != nil {
		t.Fatal(err)
	}
	sB, err := concurrency.NewSession(cliB, concurrency.WithTTL(2))
	if err != nil {
		t.Fatal(err)
	}
	defer sB.Close()
	eB := concurrency.NewElection(sB, elect)
	if err := eB.Campaign(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	b := newBackend(t, cliB, Config{Prefix: prefix + "data/"})
	b.SetFence(Fence{Key: eB.Key(), Revision: eB.Rev()})

	w.Reset()
	w.Put([]byte("k"), []byte("from deposed a"))
	if _, err := a.Write([]*kv.Batch{&w}); !errors.Is(err, ErrFenced) || !a.Sticky(err) {
		t.Fatalf("deposed leader's write: %v, want sticky ErrFenced", err)
	}
	w.Reset()
	w.Put([]byte("k"), []byte("from b"))
	if _, err := b.Write([]*kv.Batch{&w}); err != nil {
		t.Fatalf("new leader's write: %v", err)
	}
	// Even if A campaigned again and happened to get a key, its old fence stays invalid.
	if _, err := a.Write([]*kv.Batch{&w}); !errors.Is(err, ErrFenced) {
		t.Fatalf("second write of the deposed leader: %v", err)
	}
	resp, err := cliB.Get(ctx, prefix+"data/k")
	if err != nil || len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != "from b" {
		t.Fatalf("k = %v (err %v), want only the new leader's write", resp.Kvs, err)
	}
}
