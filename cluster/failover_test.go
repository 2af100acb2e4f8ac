package cluster

import (
	"context"
	"testing"
	"time"
)

// TestStandbyTakesOverFromCrashedActive: the active stops dead mid-stream (its etcd client
// is torn down without resigning, as when the process is killed: its lease simply stops
// being renewed). The standby must be active within 10 s, aiming at the lease TTL, and hold
// every payment the crashed active acknowledged.
func TestStandbyTakesOverFromCrashedActive(t *testing.T) {
	const ttl = 2 * time.Second
	etcd := startEtcd(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{Endpoints: etcd.Endpoints(), Namespace: "sluice/crash/", LeaseTTL: ttl}
	cfgA := cfg
	cfgA.Candidate = "a"
	a, err := Campaign(ctx, cfgA)
	if err != nil {
		t.Fatal(err)
	}
	type won struct {
		l   *Leadership
		at  time.Time
		err error
	}
	bWon := make(chan won, 1)
	go func() {
		cfgB := cfg
		cfgB.Candidate = "b"
		l, err := Campaign(ctx, cfgB)
		bWon <- won{l, time.Now(), err}
	}()
	stop := make(chan struct{})
	done := make(chan []ack, 1)
	go func() {
		acks, _ := writeUntil(a.Store, 1, stop)
		done <- acks
	}()
	time.Sleep(time.Second)
	crashAt := time.Now()
	a.cli.Close() // no Resign, no lease revoke: what kill -9 leaves behind
	close(stop)
	acks := <-done
	var b won
	select {
	case b = <-bWon:
	case <-time.After(10 * time.Second):
		t.Fatal("no standby active within 10 s of the crash")
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
	defer b.l.Close()
	takeover := b.at.Sub(crashAt)
	t.Logf("standby active %s after the crash (lease TTL %s); %d payments acknowledged before it", takeover.Round(time.Millisecond), ttl, len(acks))
	if len(acks) == 0 {
		t.Fatal("the active acknowledged nothing before the crash")
	}
	for _, x := range acks {
		if _, ok, err := b.l.Store.GetPayment(paymentID(x.n)); !ok || err != nil {
			t.Fatalf("payment %d acknowledged before the crash is missing after failover (%v)", x.n, err)
		}
	}
}
