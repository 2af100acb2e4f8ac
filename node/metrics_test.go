package node

import (
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// gathered returns the value of one metric series from the node's registry.
func gathered(t *testing.T, n *Node, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := n.cfg.Metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if want, ok := labels[lp.GetName()]; ok && want != lp.GetValue() {
					continue series
				}
			}
			return value(m)
		}
	}
	return -1
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return -1
}

func TestMetricsCountPaymentsChannelsPeersAndFsyncs(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, eth(1), nil, time.Hour)
	payMany(t, a, id, 25, 2, func(i int) int64 { return int64(i) })
	waitFor(t, "payee counted", func() bool {
		return gathered(t, b, "sluice_payments_total", map[string]string{"direction": "received"}) == 25
	})

	tests := []struct {
		node   *Node
		name   string
		labels map[string]string
		want   func(float64) bool
	}{
		{a, "sluice_payments_total", map[string]string{"direction": "sent"}, func(v float64) bool { return v == 25 }},
		{a, "sluice_payment_amount_total", map[string]string{"direction": "sent"}, func(v float64) bool { return v == 325 }},
		{b, "sluice_payment_amount_total", map[string]string{"direction": "received"}, func(v float64) bool { return v == 325 }},
		{a, "sluice_payment_latency_seconds", nil, func(v float64) bool { return v == 25 }},
		{a, "sluice_channels", map[string]string{"status": "open"}, func(v float64) bool { return v == 1 }},
		{b, "sluice_peers", nil, func(v float64) bool { return v == 1 }},
		{a, "sluice_store_fsyncs_total", nil, func(v float64) bool { return v >= 1 }},
		// Every payment waits for one durable-queue group on each side; a group is one fsync.
		{a, CommitLatencyMetric, nil, func(v float64) bool { return v >= 1 && v <= gathered(t, a, "sluice_store_fsyncs_total", nil) }},
		{b, CommitLatencyMetric, nil, func(v float64) bool { return v >= 1 && v <= gathered(t, b, "sluice_store_fsyncs_total", nil) }},
		{b, "sluice_chain_lag_blocks", nil, func(v float64) bool { return v >= 0 }},
	}
	for _, tc := range tests {
		if got := gathered(t, tc.node, tc.name, tc.labels); !tc.want(got) {
			t.Errorf("%s%v = %v", tc.name, tc.labels, got)
		}
	}
}
