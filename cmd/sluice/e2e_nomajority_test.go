package main

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/api"
	"github.com/sluicepay/sluice/store/kv/etcdkv/etcdlocal"
)

// TestE2EClusteredPayWithoutMajority: the active hub pays bob while two of three etcd
// members are down. The pay must answer -32032 store_unavailable (or, once the active's
// lease has run out, the process is gone) and acknowledge nothing; with the majority
// back, the same paymentId is paid exactly once.
func TestE2EClusteredPayWithoutMajority(t *testing.T) {
	t.Parallel()
	etcd, err := etcdlocal.Start(t.TempDir(), 3, etcdlocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(etcd.Close)
	store := "etcd://" + strings.Join(trimScheme(etcd.Endpoints()), ",")
	chain := startE2EChain(t)
	bob := newE2ENode(t, chain, "bob", 6)
	bob.start(t)
	hub := newE2ENode(t, chain, "hub", 5)
	apiPort := freeTCPPort(t)
	p := hub.startClustered(t, store, apiPort, nil, bob.p2pAddr(t))
	hub.awaitAPI(t, p, 60*time.Second)
	id := openChannelCLI(t, hub, bob, ether(1), time.Hour)
	cl := hub.client(t)

	etcd.StopMember(0)
	etcd.StopMember(1)
	var pid api.PaymentID
	_, _ = rand.Read(pid[:])
	amount := big.NewInt(12345)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	_, err = cl.Pay(ctx, api.PayArgs{Channel: &id, Amount: api.NewAmount(amount), PaymentID: &pid})
	cancel()
	var rpcErr *api.Error
	if err == nil {
		t.Fatal("a pay was acknowledged without an etcd majority")
	}
	if !errors.As(err, &rpcErr) || rpcErr.Code != api.CodeStoreUnavailable || rpcErr.Kind != "store_unavailable" {
		t.Fatalf("pay without majority: %v; want %d store_unavailable", err, api.CodeStoreUnavailable)
	}
	t.Logf("pay without majority: %d %s: %s", rpcErr.Code, rpcErr.Kind, rpcErr.Message)

	for _, i := range []int{0, 1} {
		if err := etcd.StartMember(i); err != nil {
			t.Fatal(err)
		}
	}
	// The active's 3 s lease ran out meanwhile: it exits (leadership lost) and its
	// supervisor starts it again, as a candidate that wins the free election.
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("the active did not stop after losing its lease")
	}
	p2 := hub.startClustered(t, store, apiPort, nil, bob.p2pAddr(t))
	hub.awaitAPI(t, p2, 60*time.Second)
	cl2 := hub.client(t)
	for range 2 { // the second call is a repeat: paid once
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_, err = cl2.Pay(ctx, api.PayArgs{Channel: &id, Amount: api.NewAmount(amount), PaymentID: &pid})
		cancel()
		if err != nil {
			t.Fatalf("the same paymentId after the majority returned: %v", err)
		}
	}
	for _, n := range []*e2eNode{hub, bob} {
		count, sum := 0, new(big.Int)
		for _, p := range n.payments(t, id) {
			sum.Add(sum, p.Amount.Big())
			if p.PaymentID == pid {
				count++
			}
		}
		if count != 1 || sum.Cmp(amount) != 0 {
			t.Fatalf("%s's ledger holds the payment %d times, %s in all; want once, %s", n.name, count, sum, amount)
		}
	}
}
