package node

import (
	"context"
	"testing"
	"time"

	"github.com/sluicepay/sluice/routing/gossip"
)

// After publishing its announcement of one channel, a node puts back the exact capacity
// of that channel's edge only (the local validation bucketed it). It used to refresh
// every channel after each announcement: a hub announcing its 1,000 channels locked
// each of them 1,000 times per pass (8.7% of the 1,000-wallet bench's CPU). Here another
// channel's lock is held throughout: the refresh must neither wait for it nor need it.
func TestOwnAnnouncementRefreshesOnlyItsChannel(t *testing.T) {
	tn := newTestNet(t)
	hub := tn.startNode(1, nodeOpts{})
	a := tn.startNode(2, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	b := tn.startNode(3, nodeOpts{routing: RoutingConfig{NoAnnounce: true}})
	chA := openChannel(t, hub, a, eth(2), nil, time.Hour)
	chB := openChannel(t, hub, b, eth(3), nil, time.Hour)
	hub.routing.mu.Lock()
	svc := hub.routing.svc
	hub.routing.mu.Unlock()
	if svc == nil {
		t.Fatal("the hub runs no gossip service")
	}
	g := hub.RoutingGraph()
	self := hub.signer.Address()
	// What the local validation of a bucketed announcement leaves: a wrong capacity.
	e, ok := g.Edge(chA, self)
	if !ok {
		t.Fatal("the hub's graph lacks its own edge")
	}
	e.Capacity = eth(1)
	e.Sequence++
	if err := g.Upsert(e); err != nil {
		t.Fatal(err)
	}

	other := hub.channel(chB)
	other.mu.Lock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = ownPublisher{hub, svc}.Publish(context.Background(), &gossip.Announcement{Channel: chA})
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		other.mu.Unlock()
		<-done
		t.Fatal("publishing one channel's announcement waited for another channel's lock")
	}
	other.mu.Unlock()
	if e, _ := g.Edge(chA, self); e.Capacity.Cmp(eth(2)) != 0 {
		t.Fatalf("the announced channel's edge has capacity %s after the refresh, want its exact %s", e.Capacity, eth(2))
	}
}
