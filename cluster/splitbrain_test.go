package cluster

import (
	"context"
	"errors"
	"math/big"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
	"github.com/sluicepay/sluice/store/kv/etcdkv"
	"github.com/sluicepay/sluice/store/kv/etcdkv/etcdlocal"
)

func startEtcd(t *testing.T) *etcdlocal.Cluster {
	t.Helper()
	c, err := etcdlocal.Start(t.TempDir(), 3, etcdlocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func payment(n uint64) *store.Batch {
	var id store.PaymentID
	id[0], id[8] = byte(n>>8), byte(n)
	id[15] = 0x5a
	var ch channel.ID
	ch[0] = 0xc1
	b := store.NewBatch()
	_ = b.PutPayment(&store.PaymentRecord{
		ID: id, Channel: ch, Direction: store.Incoming, Nonce: n, Amount: big.NewInt(1),
		Transferred: new(big.Int).SetUint64(n), Time: time.Unix(1_800_000_000, int64(n)),
	})
	return b
}

func paymentID(n uint64) store.PaymentID {
	var id store.PaymentID
	id[0], id[8] = byte(n>>8), byte(n)
	id[15] = 0x5a
	return id
}

type ack struct {
	n  uint64
	at time.Time
}

// writeUntil commits payments first, first+1, ... from 4 writers until stop closes and
// returns the acknowledged ones with the moment each Commit returned.
func writeUntil(s *store.Store, first uint64, stop <-chan struct{}) (acks []ack, lastErr error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := first
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				mu.Lock()
				n := next
				next++
				mu.Unlock()
				err := s.Commit(context.Background(), payment(n))
				now := time.Now()
				mu.Lock()
				if err == nil {
					acks = append(acks, ack{n, now})
				} else {
					lastErr = err
				}
				mu.Unlock()
				if err != nil {
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	return acks, lastErr
}

// TestPartitionedActiveStopsAndStandbyTakesOver cuts the active off from every etcd
// member while it commits: it must stop acknowledging within its lease, the standby must
// take over, no acknowledgement of the old active may come after the new one won, every
// payment the old active acknowledged must be in the new active's store, and once the
// partition heals the old active must still be refused (fenced), not resume.
func TestPartitionedActiveStopsAndStandbyTakesOver(t *testing.T) {
	const ttl = 2 * time.Second
	etcd := startEtcd(t)
	var proxies []*proxy
	var viaProxy []string
	for _, ep := range etcd.Endpoints() {
		u, _ := url.Parse(ep)
		p := newProxy(t, u.Host)
		proxies = append(proxies, p)
		viaProxy = append(viaProxy, p.URL())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{Namespace: "sluice/hub/", LeaseTTL: ttl}

	cfgA := cfg
	cfgA.Endpoints, cfgA.Candidate = viaProxy, "a"
	a, err := Campaign(ctx, cfgA)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	type won struct {
		l   *Leadership
		at  time.Time
		err error
	}
	bWon := make(chan won, 1)
	go func() {
		cfgB := cfg
		cfgB.Endpoints, cfgB.Candidate = etcd.Endpoints(), "b"
		l, err := Campaign(ctx, cfgB)
		bWon <- won{l, time.Now(), err}
	}()

	stopA := make(chan struct{})
	aDone := make(chan []ack, 1)
	var aErr error
	go func() {
		acks, err := writeUntil(a.Store, 1, stopA)
		aErr = err
		aDone <- acks
	}()
	time.Sleep(time.Second)
	select {
	case w := <-bWon:
		t.Fatalf("standby won while the active is healthy: %+v", w)
	default:
	}

	cutAt := time.Now()
	for _, p := range proxies {
		p.Cut()
	}
	select {
	case <-a.Lost():
		t.Logf("partitioned active saw its lease lost %s after the cut", time.Since(cutAt).Round(time.Millisecond))
	case <-time.After(ttl + 3*time.Second):
		t.Fatal("partitioned active did not notice it lost its lease")
	}
	var b won
	select {
	case b = <-bWon:
	case <-time.After(10 * time.Second):
		t.Fatal("standby did not take over within 10 s of the partition")
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
	defer b.l.Close()
	t.Logf("standby active %s after the cut", b.at.Sub(cutAt).Round(time.Millisecond))

	stopB := make(chan struct{})
	bDone := make(chan []ack, 1)
	go func() {
		acks, _ := writeUntil(b.l.Store, 1<<15, stopB)
		bDone <- acks
	}()
	time.Sleep(time.Second)
	for _, p := range proxies {
		p.Heal() // the old active reaches etcd again while it is still writing
	}
	time.Sleep(2 * time.Second)
	close(stopA)
	close(stopB)
	aAcks, bAcks := <-aDone, <-bDone

	if len(aAcks) == 0 || len(bAcks) == 0 {
		t.Fatalf("acks: old active %d, new active %d; both must have acknowledged some", len(aAcks), len(bAcks))
	}
	var lastA time.Time
	for _, x := range aAcks {
		if x.at.After(lastA) {
			lastA = x.at
		}
	}
	firstB := bAcks[0].at
	for _, x := range bAcks {
		if x.at.Before(firstB) {
			firstB = x.at
		}
	}
	if !lastA.Before(b.at) || !lastA.Before(firstB) {
		t.Fatalf("two actives acknowledged at once: old active's last ack %s, new active won %s, first ack %s", lastA, b.at, firstB)
	}
	if d := lastA.Sub(cutAt); d > ttl {
		t.Fatalf("the partitioned active acknowledged %s after the cut, longer than its lease %s", d, ttl)
	}
	if !errors.Is(aErr, etcdkv.ErrFenced) || !errors.Is(aErr, store.ErrFailed) {
		t.Fatalf("old active after the partition healed: %v, want it fenced for good", aErr)
	}
	for _, x := range aAcks {
		if _, ok, err := b.l.Store.GetPayment(paymentID(x.n)); !ok || err != nil {
			t.Fatalf("payment %d acknowledged by the old active is missing on the new one (%v)", x.n, err)
		}
	}
	t.Logf("old active acknowledged %d payments, new active %d; old active's last ack %s after the cut", len(aAcks), len(bAcks), lastA.Sub(cutAt).Round(time.Millisecond))
}
