package gossip

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/sluicepay/sluice/routing"
)

// A hub announced before the wallet existed; gossipsub does not replay, so only graph
// sync can tell the wallet. It connects and quotes a route through the hub within a second.
func TestGraphSyncLetsAFreshWalletRouteThroughTheHubWithinASecond(t *testing.T) {
	w := newWorld(t)
	hub, merchant := startNode(t, w, 1, nil), startNode(t, w, 2, nil)
	connect(t, hub.host, merchant.host)
	waitTopicPeers(t, map[*Service]int{hub.svc: 1, merchant.svc: 1})
	time.Sleep(1500 * time.Millisecond) // the mesh grafts at the first heartbeats
	ctx := context.Background()
	ch01, ch12 := w.ch[[2]int{0, 1}], w.ch[[2]int{1, 2}]
	hubFees := routing.FeePolicy{Flat: big.NewInt(1_000), PPM: 250}
	ann, err := NewAnnouncer(AnnouncerConfig{Domain: w.domain, Signer: signer(t, accountKey(1)), PeerID: hub.host.ID(),
		Addrs: hub.host.Addrs, Channels: staticChannels{{ID: ch01, Capacity: ether(1)}, {ID: ch12, Capacity: ether(1)}},
		Publisher: hub.svc, Fees: hubFees})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := ann.AnnounceOnce(ctx); err != nil || n != 2 {
		t.Fatalf("hub announced %d: %v", n, err)
	}
	eventually(t, "the merchant to hear the hub", func() bool {
		_, ok := merchant.graph.Edge(ch12, accountAddr(1))
		if !ok {
			t.Logf("merchant: %v", merchant.svc.Stats())
		}
		return ok
	})

	wallet := startNode(t, w, 0, nil)
	// The wallet's own side is its own edge, as the node puts it (not gossip).
	if err := wallet.graph.Upsert(routing.Edge{Channel: ch01, From: accountAddr(0), To: accountAddr(1), Capacity: ether(1), Sequence: 1, Updated: time.Now()}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	connect(t, wallet.host, hub.host)
	req := routing.Request{From: accountAddr(0), To: accountAddr(2), Amount: big.NewInt(1e15)}
	var r routing.Route
	for r, err = wallet.graph.Route(req); err != nil; r, err = wallet.graph.Route(req) {
		if time.Since(start) > time.Second {
			t.Fatalf("no route a second after connecting: %v; wallet stats %v", err, wallet.svc.Stats())
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("route after %s", time.Since(start))
	if len(r.Hops) != 2 || r.Fee.Cmp(hubFees.Fee(req.Amount)) != 0 {
		t.Fatalf("route %+v, want 2 hops and the hub's fee %s", r.Hops, hubFees.Fee(req.Amount))
	}
	if st := wallet.svc.Stats(); st[[2]string{"sync", SyncOK}] < 1 || st.Total(ResultRejected) != 0 {
		t.Fatalf("wallet stats %v", st)
	}
	// Reconnecting does not sync again within SyncEvery: the first sync and its
	// follow-up are all.
	wallet.host.Network().ClosePeer(hub.host.ID())
	connect(t, wallet.host, hub.host)
	time.Sleep(syncFollowUp + time.Second)
	if st := wallet.svc.Stats(); st[[2]string{"sync", SyncOK}] != 2 {
		t.Fatalf("syncs after reconnecting: %v", st)
	}
}

// A server answering with forged, malformed or oversized announcements is refused,
// loses its place in the topic, and the graph is left exactly as it was.
func TestGraphSyncRefusesAndPenalizesABadServer(t *testing.T) {
	w := newWorld(t)
	ch01, ch12 := w.ch[[2]int{0, 1}], w.ch[[2]int{1, 2}]
	honest := hostAnnouncement(t, w, 1, ch12, 1, ether(1), 0)
	forged := hostAnnouncement(t, w, 5, ch12, 1, ether(1), 0) // signed by 5 in 1's name
	forged.Announcer, forged.PeerID = honest.Announcer, honest.PeerID
	frames := func(anns ...*Announcement) []byte {
		var list [][]byte
		for _, a := range anns {
			list = append(list, encode(t, a))
		}
		var buf bytes.Buffer
		if err := writeAnswer(&buf, list); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tooMany := make([]*Announcement, SyncMaxAnnouncements+1)
	for i := range tooMany {
		tooMany[i] = honest
	}
	cases := map[string]struct {
		answer  []byte
		reason  error
		penalty bool
	}{
		"forged signature":               {frames(forged), ErrBadSignature, true},
		"honest, then forged":            {frames(hostAnnouncement(t, w, 0, ch01, 1, ether(1), 0), forged), ErrBadSignature, true},
		"frame above an announcement":    {append([]byte{0x81, 0x08}, make([]byte, MaxSize+1)...), ErrSyncMalformed, true},
		"garbage":                        {[]byte{0x03, 0xde, 0xad, 0xbe}, ErrSyncMalformed, true},
		"more announcements than limit":  {frames(tooMany...), ErrSyncTooLarge, true},
		"non-participant (one strike)":   {frames(hostAnnouncement(t, w, 5, ch01, 1, ether(1), 0)), ErrNotParticipant, false},
		"cut inside a frame (no blame)":  {frames(honest)[:40], ErrSyncInterrupted, false},
		"empty answer (honest, nothing)": {nil, nil, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			victim := startNode(t, w, 3, nil)
			attacker := startHost(t, 5)
			attacker.SetStreamHandler(SyncProtocol(w.domain), func(st network.Stream) {
				st.Write(tc.answer)
				st.Close()
			})
			connect(t, victim.host, attacker)
			var err error
			select {
			case err = <-victim.syncs:
			case <-time.After(10 * time.Second):
				t.Fatal("no automatic sync on connecting")
			}
			if tc.reason == nil && err != nil || tc.reason != nil && !errors.Is(err, tc.reason) {
				t.Fatalf("sync: %v; want %v", err, tc.reason)
			}
			if c, _ := victim.graph.Len(); c != 0 || victim.svc.cfg.Validator.archive.len() != 0 {
				t.Fatalf("graph holds %d channels after the answer", c)
			}
			if !tc.penalty {
				if errors.Is(tc.reason, ErrNotParticipant) && victim.svc.Rejects(attacker.ID()) != 1 {
					t.Fatalf("%d strikes for a non-participant's announcement, want 1", victim.svc.Rejects(attacker.ID()))
				}
				select {
				case p := <-victim.penalty:
					t.Fatalf("%s penalized", p)
				default:
				}
				return
			}
			select {
			case p := <-victim.penalty:
				if p != attacker.ID() {
					t.Fatalf("penalized %s", p)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the server was not penalized")
			}
			// Blacklisted: not synced from again.
			if _, err := victim.svc.SyncFrom(context.Background(), attacker.ID()); !errors.Is(err, ErrSyncRefused) {
				t.Fatalf("a second sync with the blacklisted server: %v", err)
			}
		})
	}
}

// A server sends one peer two answers per SyncEvery, then resets.
func TestGraphSyncServerRateLimitsEachPeer(t *testing.T) {
	w := newWorld(t)
	server, client := startNode(t, w, 1, nil), startNode(t, w, 2, nil)
	connect(t, client.host, server.host)
	select { // the automatic sync on connecting takes the first of the two
	case err := <-client.syncs:
		if err != nil {
			t.Fatalf("automatic sync: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no automatic sync")
	}
	ctx := context.Background()
	var results []error
	for range 3 {
		_, err := client.svc.SyncFrom(ctx, server.host.ID())
		results = append(results, err)
	}
	if results[0] != nil || !errors.Is(results[1], ErrSyncInterrupted) || !errors.Is(results[2], ErrSyncInterrupted) {
		t.Fatalf("three syncs: %v", results)
	}
	if client.svc.Rejects(server.host.ID()) != 0 {
		t.Fatal("a busy server was blamed")
	}
}

// A server that opens the answer and never sends it holds one sync worker until the
// deadline, not the service: Close returns at once and the worker stops.
func TestGraphSyncWithAStallingServerStopsOnClose(t *testing.T) {
	w := newWorld(t)
	victim := startNode(t, w, 3, nil)
	staller := startHost(t, 5)
	opened := make(chan struct{}, 1)
	staller.SetStreamHandler(SyncProtocol(w.domain), func(st network.Stream) {
		opened <- struct{}{}
		buf := make([]byte, 1)
		st.Read(buf) // never answers; ends when the client resets
	})
	connect(t, victim.host, staller)
	select {
	case <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the victim never asked")
	}
	start := time.Now()
	victim.svc.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %s with a sync in flight", d)
	}
	select {
	case err := <-victim.syncs:
		if !errors.Is(err, ErrSyncInterrupted) {
			t.Fatalf("the stalled sync ended with %v", err)
		}
	default:
		t.Fatal("the stalled sync did not end with the service")
	}
}
