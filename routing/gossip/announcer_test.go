package gossip

import (
	"context"
	"errors"
	"math/big"
	"runtime"
	"testing"
	"time"

	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
)

type recordingPublisher struct {
	sent []*Announcement
	fail bool
}

func (r *recordingPublisher) Publish(_ context.Context, a *Announcement) error {
	if r.fail {
		return errors.New("no peers")
	}
	r.sent = append(r.sent, a)
	return nil
}

type mutableChannels struct{ list []LocalChannel }

func (m *mutableChannels) RoutableChannels(context.Context) ([]LocalChannel, error) {
	return m.list, nil
}

func TestAnnouncerAnnouncesOnBucketChangeFeeChangeAndRefreshOnly(t *testing.T) {
	now := testNow
	pub := &recordingPublisher{}
	chans := &mutableChannels{list: []LocalChannel{{ID: chID(1), Capacity: big.NewInt(1_000_000)}}}
	pid, _ := p2p.PeerIDFromPublicKey(&accountKey(0).PublicKey)
	a, err := NewAnnouncer(AnnouncerConfig{Domain: testDomain, Signer: signer(t, accountKey(0)), PeerID: pid, Channels: chans,
		Publisher: pub, Fees: routing.FeePolicy{Flat: big.NewInt(5), PPM: 10}, MinGap: time.Minute, Refresh: time.Hour,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	pass := func(want int) {
		t.Helper()
		n, err := a.AnnounceOnce(context.Background())
		if err != nil || n != want {
			t.Fatalf("at %s: sent %d (%v), want %d", now.Sub(testNow), n, err, want)
		}
	}
	pass(1)
	if got := pub.sent[0]; got.Capacity.Cmp(routing.Bucket(big.NewInt(1_000_000))) != 0 || got.VerifySignature(testDomain) != nil {
		t.Fatalf("first announcement %+v", got)
	}
	now = now.Add(2 * time.Minute)
	chans.list[0].Capacity = big.NewInt(990_000) // same bucket (983,040): private, quiet
	pass(0)
	chans.list[0].Capacity = big.NewInt(900_000) // next bucket down
	pass(1)
	chans.list[0].Capacity = big.NewInt(500_000)
	pass(0) // within MinGap of the last
	now = now.Add(2 * time.Minute)
	pass(1)
	if err := a.SetFees(routing.FeePolicy{PPM: routing.MaxFeePPM + 1}); err == nil {
		t.Fatal("SetFees took a fee above 100%")
	}
	_ = a.SetFees(routing.FeePolicy{Flat: big.NewInt(9)})
	now = now.Add(2 * time.Minute)
	pass(1)
	if last := pub.sent[len(pub.sent)-1]; last.FeeFlat.Int64() != 9 || last.FeePPM != 0 {
		t.Fatalf("new fees not announced: %+v", last)
	}
	now = now.Add(30 * time.Minute)
	pass(0)
	now = now.Add(31 * time.Minute)
	pass(1)                       // refresh before validators would call it stale
	now = testNow.Add(-time.Hour) // the clock steps back: still announced, sequence still rises
	chans.list[0].Capacity = big.NewInt(100)
	pass(1)
	for i := 1; i < len(pub.sent); i++ {
		if pub.sent[i].Sequence <= pub.sent[i-1].Sequence {
			t.Fatalf("sequence fell: %d after %d", pub.sent[i].Sequence, pub.sent[i-1].Sequence)
		}
	}
	pub.fail = true
	chans.list = append(chans.list, LocalChannel{ID: chID(2), Capacity: big.NewInt(64)})
	if _, err := a.AnnounceOnce(context.Background()); err == nil {
		t.Fatal("publish failure not reported")
	}
	pub.fail = false
	pass(1) // channel 2 again, since it never went out
}

func TestAnnouncerRunStops(t *testing.T) {
	pid, _ := p2p.PeerIDFromPublicKey(&accountKey(0).PublicKey)
	a, err := NewAnnouncer(AnnouncerConfig{Domain: testDomain, Signer: signer(t, accountKey(0)), PeerID: pid,
		Channels: &mutableChannels{}, Publisher: &recordingPublisher{}, Interval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx) }()
	a.Trigger()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestServiceCloseStopsItsGoroutines(t *testing.T) {
	h := startHost(t, 0)
	time.Sleep(100 * time.Millisecond)
	before := runtime.NumGoroutine()
	v, _ := newValidator(t, newFakeChain(), nil)
	s, err := Start(context.Background(), Config{Host: h, Validator: v})
	if err != nil {
		t.Fatal(err)
	}
	if runtime.NumGoroutine() <= before {
		t.Fatal("Start started nothing?")
	}
	s.Close()
	s.Close() // idempotent
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Publish(context.Background(), signed(t, accountKey(0), chID(1), 1, nil)); err == nil {
		t.Fatal("Publish after Close succeeded")
	}
}
