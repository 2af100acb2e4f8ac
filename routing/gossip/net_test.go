package gossip

import (
	"context"
	"math/big"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
)

type gossipNode struct {
	host    host.Host
	graph   *routing.Graph
	svc     *Service
	penalty chan peer.ID
	syncs   chan error // outcomes of the automatic graph syncs
	reg     *prometheus.Registry
}

func startHost(t *testing.T, i int) host.Host {
	t.Helper()
	h, closeRM, err := p2p.NewHost(accountKey(i), nil, 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close(); closeRM() })
	return h
}

func startNode(t *testing.T, w *world, i int, edit func(*ValidatorConfig)) *gossipNode {
	t.Helper()
	n := &gossipNode{host: startHost(t, i), graph: routing.NewGraph(routing.Config{}), penalty: make(chan peer.ID, 4), syncs: make(chan error, 16), reg: prometheus.NewRegistry()}
	cfg := ValidatorConfig{Domain: w.domain, Chain: w.view, Graph: n.graph}
	if edit != nil {
		edit(&cfg)
	}
	v, err := NewValidator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	n.svc, err = Start(context.Background(), Config{Host: n.host, Validator: v, Registerer: n.reg,
		PenaltyThreshold: 2, OnPenalty: func(p peer.ID, _ error) { n.penalty <- p },
		OnSync: func(_ peer.ID, _ int, err error) {
			select {
			case n.syncs <- err:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.svc.Close() })
	return n
}

func connect(t *testing.T, a, b host.Host) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
}

// waitTopicPeers waits until every node sees its expected neighbours in the topic.
func waitTopicPeers(t *testing.T, want map[*Service]int) {
	t.Helper()
	eventually(t, "topic peers", func() bool {
		for s, n := range want {
			if len(s.TopicPeers()) < n {
				return false
			}
		}
		return true
	})
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func hostAnnouncement(t *testing.T, w *world, i int, id channel.ID, seq uint64, capacity *big.Int, ppm uint32) *Announcement {
	t.Helper()
	pid, _ := p2p.PeerIDFromPublicKey(&accountKey(i).PublicKey)
	a := &Announcement{Channel: id, Capacity: routing.Bucket(capacity), FeeFlat: big.NewInt(1_000), FeePPM: ppm,
		Sequence: seq, Timestamp: uint64(time.Now().Unix()), PeerID: []byte(pid)}
	if err := a.Sign(w.domain, signer(t, accountKey(i))); err != nil {
		t.Fatal(err)
	}
	return a
}

// line starts nodes 0..3 connected 0-1-2-3, so anything node 3 learns from node 0 was
// relayed twice.
func line(t *testing.T, w *world, edit func(*ValidatorConfig)) []*gossipNode {
	nodes := make([]*gossipNode, 4)
	for i := range nodes {
		nodes[i] = startNode(t, w, i, edit)
	}
	for i := 0; i+1 < len(nodes); i++ {
		connect(t, nodes[i].host, nodes[i+1].host)
	}
	waitTopicPeers(t, map[*Service]int{nodes[0].svc: 1, nodes[1].svc: 2, nodes[2].svc: 2, nodes[3].svc: 1})
	// Gossipsub grafts its mesh at the first heartbeats (100ms, then every second); a
	// message relayed before that travels only by the slower IHAVE gossip.
	time.Sleep(1500 * time.Millisecond)
	return nodes
}

type staticChannels []LocalChannel

func (s staticChannels) RoutableChannels(context.Context) ([]LocalChannel, error) { return s, nil }

func TestGossipCarriesAnnouncementsAcrossRelaysAndPayersRouteOnThem(t *testing.T) {
	w := newWorld(t)
	nodes := line(t, w, nil)
	ctx := context.Background()
	// Each opener runs an Announcer over its real channel: 0 over 0-1, 1 over 1-2, 2 over 2-3.
	for i, pair := range [][2]int{{0, 1}, {1, 2}, {2, 3}} {
		ann, err := NewAnnouncer(AnnouncerConfig{Domain: w.domain, Signer: signer(t, accountKey(i)), PeerID: nodes[i].host.ID(),
			Addrs: nodes[i].host.Addrs, Channels: staticChannels{{ID: w.ch[pair], Capacity: ether(1)}}, Publisher: nodes[i].svc,
			Fees: routing.FeePolicy{Flat: big.NewInt(1_000), PPM: uint32(100 * (i + 1))}})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := ann.AnnounceOnce(ctx); err != nil || n != 1 {
			t.Fatalf("announcer %d: %d sent, %v", i, n, err)
		}
	}
	for i, n := range nodes {
		eventually(t, "full graph", func() bool {
			c, _ := n.graph.Len()
			if c != 3 {
				t.Logf("node %d: %d channels, %v", i, c, n.svc.Stats())
			}
			return c == 3
		})
		if rej := n.svc.Stats().Total(ResultRejected); rej != 0 {
			t.Fatalf("node %d rejected %d honest announcements: %v", i, rej, n.svc.Stats())
		}
	}
	e, _ := nodes[3].graph.Edge(w.ch[[2]int{0, 1}], accountAddr(0))
	if len(e.Channel) == 0 || e.To != accountAddr(1) || e.Capacity.Cmp(routing.Bucket(ether(1))) != 0 {
		t.Fatalf("node 3's view of node 0's channel: %+v", e)
	}
	// The payer's quote: hubs 1 and 2 charge, computed backwards from the payee.
	amount := big.NewInt(1e15)
	r, err := nodes[0].graph.Route(routing.Request{From: accountAddr(0), To: accountAddr(3), Amount: amount, MaxFee: big.NewInt(1e12)})
	if err != nil {
		t.Fatal(err)
	}
	fee2 := routing.FeePolicy{Flat: big.NewInt(1_000), PPM: 300}.Fee(amount)
	fee1 := routing.FeePolicy{Flat: big.NewInt(1_000), PPM: 200}.Fee(new(big.Int).Add(amount, fee2))
	if len(r.Hops) != 3 || r.Hops[2].Fee.Cmp(fee2) != 0 || r.Hops[1].Fee.Cmp(fee1) != 0 || r.Fee.Cmp(new(big.Int).Add(fee1, fee2)) != 0 {
		t.Fatalf("route %+v, want fees %s and %s", r.Hops, fee1, fee2)
	}
}

// rawPublisher is a peer with no validator: it floods whatever bytes it is given.
func rawPublisher(t *testing.T, w *world, i int) (host.Host, *pubsub.Topic) {
	t.Helper()
	h := startHost(t, i)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ps, err := pubsub.NewGossipSub(ctx, h, pubsubOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	topic, err := ps.Join(Topic(w.domain))
	if err != nil {
		t.Fatal(err)
	}
	return h, topic
}

func TestForgedAndNonParticipantAnnouncementsAreNotRelayedAndTheSenderIsPenalized(t *testing.T) {
	w := newWorld(t)
	nodes := line(t, w, nil)
	attacker, topic := rawPublisher(t, w, 5)
	connect(t, attacker, nodes[1].host)
	eventually(t, "the attacker to see node 1 in the topic", func() bool { return len(topic.ListPeers()) == 1 })
	ctx := context.Background()

	ch12 := w.ch[[2]int{1, 2}]
	forged := hostAnnouncement(t, w, 5, ch12, 1, ether(1), 0) // signed by 5 ...
	honest := hostAnnouncement(t, w, 1, ch12, 1, ether(1), 0)
	forged.Announcer, forged.PeerID = honest.Announcer, honest.PeerID         // ... in node 1's name
	outsider := hostAnnouncement(t, w, 5, w.ch[[2]int{0, 1}], 1, ether(1), 0) // 5 is not in channel 0-1
	for _, a := range []*Announcement{forged, outsider} {
		if err := topic.Publish(ctx, encode(t, a)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "node 1 to refuse both", func() bool { return nodes[1].svc.Stats().Total(ResultRejected) == 2 })
	st := nodes[1].svc.Stats()
	if st[[2]string{ResultRejected, "bad_signature"}] != 1 || st[[2]string{ResultRejected, "not_participant"}] != 1 {
		t.Fatalf("node 1's reasons: %v", st)
	}
	if got := counterOf(t, nodes[1].reg, "rejected", "bad_signature"); got != 1 {
		t.Fatalf("%s{rejected,bad_signature} = %v", AnnouncementsMetric, got)
	}
	select {
	case p := <-nodes[1].penalty:
		if p != attacker.ID() {
			t.Fatalf("penalized %s, not the attacker", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the attacker was not penalized")
	}
	// A marker sent after the forgeries, along the same path, reaches node 3: anything
	// node 1 had relayed would have reached node 2 and 3 before it.
	marker := hostAnnouncement(t, w, 1, ch12, 2, ether(1), 7)
	if err := nodes[1].svc.Publish(ctx, marker); err != nil {
		t.Fatal(err)
	}
	for i := range nodes { // node 1 sends to 0 and 2 on their own streams: either may be last
		eventually(t, "the marker everywhere", func() bool { _, ok := nodes[i].graph.Sequence(ch12, accountAddr(1)); return ok })
	}
	for i := 0; i < 4; i++ {
		if i != 1 && nodes[i].svc.Stats().Total(ResultRejected) != 0 {
			t.Fatalf("node %d saw a forgery node 1 should have stopped: %v", i, nodes[i].svc.Stats())
		}
		if _, ok := nodes[i].graph.Edge(w.ch[[2]int{0, 1}], accountAddr(5)); ok {
			t.Fatalf("node %d holds the outsider's edge", i)
		}
		if e, _ := nodes[i].graph.Edge(ch12, accountAddr(1)); e.Sequence != 2 || e.Fee.PPM != 7 {
			t.Fatalf("node %d holds %+v for node 1's side, want the marker", i, e)
		}
	}
}

func TestGossipRateLimitsAFloodingAnnouncer(t *testing.T) {
	w := newWorld(t)
	nodes := line(t, w, func(c *ValidatorConfig) { c.SideBurst, c.SideEvery = 3, time.Hour })
	flooder, topic := rawPublisher(t, w, 6)
	connect(t, flooder, nodes[1].host)
	eventually(t, "the attacker to see node 1 in the topic", func() bool { return len(topic.ListPeers()) == 1 })
	ch01 := w.ch[[2]int{0, 1}]
	// Ten valid, ever newer announcements of node 0's side, relayed by the flooder (as a
	// compromised or buggy announcer would send them).
	for seq := uint64(1); seq <= 10; seq++ {
		if err := topic.Publish(context.Background(), encode(t, hostAnnouncement(t, w, 0, ch01, seq, ether(1), uint32(seq)))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond) // pubsub validates in parallel: keep them in order
	}
	// Graph sync shares these counters: node 1's follow-up sync (2 s after connecting)
	// can bring back from node 0 or 2 what node 1 relayed to them, judged "not newer".
	// Only acceptances and rate limits are gossip's verdicts on the ten.
	judged := func(st Stats) int { return st.Total(ResultAccepted) + st[[2]string{ResultIgnored, "rate_limited"}] }
	eventually(t, "node 1 to judge all ten", func() bool { return judged(nodes[1].svc.Stats()) >= 10 })
	st := nodes[1].svc.Stats()
	if st.Total(ResultAccepted) != 3 || st[[2]string{ResultIgnored, "rate_limited"}] != 7 || st.Total(ResultRejected) != 0 {
		t.Fatalf("node 1: %v", st)
	}
	// Node 3 holds what node 1 let through, the third; gossip or graph sync may bring it
	// (sync can bring the third before gossip brings the first two, which are then not
	// newer), but nothing newer: one of the seven relayed would be newer and accepted.
	seq3 := func() uint64 { s, _ := nodes[3].graph.Sequence(ch01, accountAddr(0)); return s }
	eventually(t, "node 3 to get the third", func() bool { return seq3() == 3 })
	time.Sleep(300 * time.Millisecond)
	if st := nodes[3].svc.Stats(); seq3() != 3 || st.Total(ResultAccepted) > 3 || st.Total(ResultRejected) != 0 {
		t.Fatalf("node 3 got more than node 1 let through: sequence %d, %v", seq3(), st)
	}
}

// counterOf reads one labelled series of AnnouncementsMetric from a node's registry.
func counterOf(t *testing.T, reg *prometheus.Registry, result, reason string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != AnnouncementsMetric {
			continue
		}
		for _, m := range f.GetMetric() {
			if label(m, "result") == result && label(m, "reason") == reason {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no %s{%s,%s} series", AnnouncementsMetric, result, reason)
	return 0
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}
