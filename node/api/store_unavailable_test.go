package api

import (
	"context"
	"fmt"
	"math/big"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/sluicepay/sluice/store"
	"github.com/sluicepay/sluice/store/kv/etcdkv"
	"github.com/sluicepay/sluice/store/kv/etcdkv/etcdlocal"
)

// A pay whose store write finds no etcd majority answers store_unavailable (-32032), not
// internal: the error comes from a real 3-member cluster with two members stopped, and
// the same commit succeeds once they are back.
func TestPayWithoutEtcdMajorityIsStoreUnavailable(t *testing.T) {
	c, err := etcdlocal.Start(t.TempDir(), 3, etcdlocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cli, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints(), DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	b, err := etcdkv.New(etcdkv.Config{Client: cli, Prefix: "sluice/apitest/", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenBackend(b, "etcd", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	commit := func() error {
		batch := store.NewBatch()
		var id store.PaymentID
		id[0] = 0x5a
		if err := batch.PutPayment(&store.PaymentRecord{ID: id, Channel: testChannel, Direction: store.Outgoing, Nonce: 1,
			Amount: big.NewInt(1), Transferred: big.NewInt(1), Time: time.Unix(1_800_000_000, 0)}); err != nil {
			return err
		}
		return st.Commit(context.Background(), batch)
	}

	c.StopMember(0)
	c.StopMember(1)
	werr := commit()
	if werr == nil {
		t.Fatal("a commit was acknowledged without an etcd majority")
	}
	srv := startServer(t, nil)
	srv.backend.mu.Lock()
	srv.backend.err = fmt.Errorf("pay 1 on channel %s: %w", testChannel, werr)
	srv.backend.mu.Unlock()
	_, reply := rawCall(t, srv.URL(), "Bearer "+testToken, "sluice_pay",
		`[{"channel":"`+testChannel.String()+`","amount":"1","paymentId":"0x5a000000000000000000000000000000"}]`)
	if reply.Error == nil || reply.Error.Code != CodeStoreUnavailable || reply.Error.Data["kind"] != "store_unavailable" {
		t.Fatalf("pay without majority answered %+v; want %d store_unavailable", reply.Error, CodeStoreUnavailable)
	}
	t.Logf("answer: %d %s", reply.Error.Code, reply.Error.Message)

	for _, i := range []int{0, 1} {
		if err := c.StartMember(i); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for commit() != nil {
		if time.Now().After(deadline) {
			t.Fatal("the same commit did not succeed after the majority returned")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
