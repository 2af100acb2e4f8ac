package gossip

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Metric names, registered on the node's registry (never a global one).
const (
	AnnouncementsMetric = "sluice_routing_announcements_total"
	PenaltiesMetric     = "sluice_routing_peer_penalties_total"
	GraphChannelsMetric = "sluice_routing_graph_channels"
	SyncsMetric         = "sluice_routing_syncs_total"
)

// Result labels of SyncsMetric.
const (
	SyncOK      = "ok"
	SyncFailed  = "failed"  // interrupted by the transport; retried
	SyncRefused = "refused" // the answer was refused and its server penalized
)

// Result labels of AnnouncementsMetric.
const (
	ResultAccepted = "accepted"
	ResultRejected = "rejected" // not relayed, sender penalized
	ResultIgnored  = "ignored"  // not relayed, no penalty
)

type metrics struct {
	announcements *prometheus.CounterVec // by result, reason
	penalties     prometheus.Counter
	syncs         *prometheus.CounterVec // by result

	mu     sync.Mutex
	counts map[[2]string]int // the same counts, readable without a registry (tests, Stats)
}

func newMetrics(reg prometheus.Registerer, graphChannels func() float64) (*metrics, error) {
	m := &metrics{
		announcements: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: AnnouncementsMetric, Help: "Channel announcements validated, by result and reason.",
		}, []string{"result", "reason"}),
		penalties: prometheus.NewCounter(prometheus.CounterOpts{
			Name: PenaltiesMetric, Help: "Peers blacklisted from routing gossip for sending invalid announcements.",
		}),
		syncs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: SyncsMetric, Help: "Graph syncs with newly connected peers, by result.",
		}, []string{"result"}),
		counts: make(map[[2]string]int),
	}
	if reg == nil {
		return m, nil
	}
	graph := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: GraphChannelsMetric, Help: "Channels held in the routing graph.",
	}, graphChannels)
	for _, c := range []prometheus.Collector{m.announcements, m.penalties, m.syncs, graph} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) count(result, reason string) {
	m.announcements.WithLabelValues(result, reason).Inc()
	m.mu.Lock()
	m.counts[[2]string{result, reason}]++
	m.mu.Unlock()
}

func (m *metrics) countSync(result string) {
	m.syncs.WithLabelValues(result).Inc()
	m.mu.Lock()
	m.counts[[2]string{"sync", result}]++
	m.mu.Unlock()
}

// Stats are the announcement counts by result and reason ("accepted" has reason ""), and
// the graph syncs under result "sync" by their result.
type Stats map[[2]string]int

// Total sums the counts of one result.
func (s Stats) Total(result string) int {
	n := 0
	for k, v := range s {
		if k[0] == result {
			n += v
		}
	}
	return n
}

func (m *metrics) stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(Stats, len(m.counts))
	for k, v := range m.counts {
		out[k] = v
	}
	return out
}
