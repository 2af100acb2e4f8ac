package store

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store/kv/etcdkv"
	"github.com/sluicepay/sluice/store/kv/etcdkv/etcdlocal"
)

// startEtcd starts a real 3-member etcd cluster for one test.
func startEtcd(t *testing.T) *etcdlocal.Cluster {
	t.Helper()
	c, err := etcdlocal.Start(t.TempDir(), 3, etcdlocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func openEtcdStore(t *testing.T, c *etcdlocal.Cluster, timeout time.Duration) *Store {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints(), DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	b, err := etcdkv.New(etcdkv.Config{Client: cli, Prefix: "sluice/test/", Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenBackend(b, "etcd", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// commitConcurrently commits payments first..last from 16 writers and returns the ids
// whose Commit returned nil (acknowledged).
func commitConcurrently(s *Store, ch channel.ID, first, last uint64) (acked []uint64, errs []error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := first
	for range 16 {
		wg.Go(func() {
			for {
				mu.Lock()
				n := next
				next++
				mu.Unlock()
				if n > last {
					return
				}
				err := commitPayment(s, ch, n)
				mu.Lock()
				if err == nil {
					acked = append(acked, n)
				} else {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return acked, errs
}

func TestStoreOnEtcdKeepsEveryRecordAndListing(t *testing.T) {
	c := startEtcd(t)
	s := openEtcdStore(t, c, 0)
	ch := testChannelID(7)
	rec := testChannel(7)
	commit(t, s, func(b *Batch) error { return b.PutChannel(&rec) })
	acked, errs := commitConcurrently(s, ch, 1, 300)
	if len(errs) > 0 || len(acked) != 300 {
		t.Fatalf("%d acked, errors %v", len(acked), errs)
	}
	if st := s.Stats(); st.Syncs >= st.Commits {
		t.Fatalf("%d etcd transactions for %d commits: group commit shares none", st.Syncs, st.Commits)
	}
	if n, err := s.CountPayments(ch); err != nil || n != 300 {
		t.Fatalf("count %d, err %v", n, err)
	}
	page, err := s.ListPayments(ch, PaymentQuery{Limit: 1000, NewestFirst: true})
	if err != nil || len(page.Payments) != 300 || page.Payments[0].Nonce != 300 {
		t.Fatalf("list: %d payments, err %v", len(page.Payments), err)
	}
	got, ok, err := s.GetChannel(ch)
	if err != nil || !ok || got.Params.ID != ch {
		t.Fatalf("channel: %v %v", ok, err)
	}
	rep, err := s.Check()
	if err != nil || rep.BadCount != 0 || rep.Payments != 300 || rep.Channels != 1 {
		t.Fatalf("check %+v, err %v", rep, err)
	}
	// A second process opening the same namespace sees the same state.
	s2 := openEtcdStore(t, c, 0)
	if _, ok, err := s2.GetPayment(testPaymentID(300)); !ok || err != nil {
		t.Fatalf("payment 300 from a second client: %v %v", ok, err)
	}
}

func TestEtcdStoreRidesOutOneMemberAndPausesWithoutMajority(t *testing.T) {
	c := startEtcd(t)
	s := openEtcdStore(t, c, 2*time.Second)
	ch := testChannelID(1)
	var all []uint64
	acked, errs := commitConcurrently(s, ch, 1, 100)
	if len(errs) > 0 {
		t.Fatalf("healthy cluster: %v", errs[0])
	}
	all = append(all, acked...)

	c.StopMember(0)
	acked, errs = commitConcurrently(s, ch, 101, 200)
	if len(errs) > 0 {
		t.Fatalf("one member down must change nothing visible: %d errors, first %v", len(errs), errs[0])
	}
	all = append(all, acked...)

	c.StopMember(1)
	start := time.Now()
	err := commitPayment(s, ch, 1000)
	if err == nil {
		t.Fatal("a commit was acknowledged without an etcd majority")
	}
	if !errors.Is(err, etcdkv.ErrUnavailable) || !strings.Contains(err.Error(), "not acknowledged") || errors.Is(err, ErrFailed) {
		t.Fatalf("no-majority error %q: want a clear, non-sticky 'not acknowledged'", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("commit without majority took %s to fail", d)
	}
	t.Logf("without majority: %v after %s", err, time.Since(start).Round(time.Millisecond))

	var wg sync.WaitGroup
	for _, i := range []int{0, 1} {
		wg.Go(func() {
			if err := c.StartMember(i); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	deadline := time.Now().Add(15 * time.Second)
	for commitPayment(s, ch, 201) != nil {
		if time.Now().After(deadline) {
			t.Fatal("commits did not resume after the majority returned")
		}
		time.Sleep(100 * time.Millisecond)
	}
	all = append(all, 201)
	for _, n := range all {
		if _, ok, err := s.GetPayment(testPaymentID(n)); !ok || err != nil {
			t.Fatalf("acknowledged payment %d lost: %v %v", n, ok, err)
		}
	}
	if _, err := s.Check(); err != nil {
		t.Fatal(err)
	}
}
