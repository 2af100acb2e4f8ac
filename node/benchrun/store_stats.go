package benchrun

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sluicepay/sluice/node"
)

// storeStats are a node's durability counters, summed over nodes: its group-commit fsyncs
// and the histogram of its durable queue's group writes. They cross the process boundary
// as JSON.
type storeStats struct {
	Fsyncs uint64     `json:"fsyncs"`
	Commit commitHist `json:"commit"`
}

// commitHist is a node.CommitLatencyMetric histogram: cumulative counts per upper bound
// (seconds), as Prometheus reports them.
type commitHist struct {
	Bounds []float64 `json:"bounds"`
	Counts []uint64  `json:"counts"`
	Total  uint64    `json:"total"`
}

// add sums o into s; every node registers the same buckets.
func (s *storeStats) add(o storeStats) {
	s.Fsyncs += o.Fsyncs
	h := &s.Commit
	if h.Bounds == nil {
		h.Bounds = o.Commit.Bounds
		h.Counts = make([]uint64, len(o.Commit.Counts))
	}
	if len(h.Counts) == len(o.Commit.Counts) {
		for i, c := range o.Commit.Counts {
			h.Counts[i] += c
		}
		h.Total += o.Commit.Total
	}
}

// readStoreStats reads the node's own metrics: the store's fsync counter (Stats.Syncs)
// and the durable queue's commit histogram.
func readStoreStats(reg *prometheus.Registry) storeStats {
	var s storeStats
	mfs, err := reg.Gather()
	if err != nil {
		return s
	}
	for _, mf := range mfs {
		if len(mf.GetMetric()) == 0 {
			continue
		}
		m := mf.GetMetric()[0]
		switch mf.GetName() {
		case "sluice_store_fsyncs_total":
			if m.GetCounter() != nil {
				s.Fsyncs = uint64(m.GetCounter().GetValue())
			} else {
				s.Fsyncs = uint64(m.GetGauge().GetValue())
			}
		case node.CommitLatencyMetric:
			h := m.GetHistogram()
			for _, b := range h.GetBucket() {
				s.Commit.Bounds = append(s.Commit.Bounds, b.GetUpperBound())
				s.Commit.Counts = append(s.Commit.Counts, b.GetCumulativeCount())
			}
			s.Commit.Total = h.GetSampleCount()
		}
	}
	return s
}

// since is the histogram of the samples taken between before and h.
func (h commitHist) since(before commitHist) commitHist {
	d := commitHist{Bounds: h.Bounds, Counts: make([]uint64, len(h.Counts)), Total: h.Total - before.Total}
	for i, c := range h.Counts {
		if i < len(before.Counts) {
			c -= before.Counts[i]
		}
		d.Counts[i] = c
	}
	return d
}

// quantile interpolates linearly inside the bucket that holds the q-th sample, as
// Prometheus's histogram_quantile does; a sample past the last bound reads as that bound.
// It returns 0 without samples.
func (h commitHist) quantile(q float64) float64 {
	if h.Total == 0 {
		return 0
	}
	rank := q * float64(h.Total)
	var lower float64
	var below uint64
	for i, upper := range h.Bounds {
		c := h.Counts[i]
		if float64(c) >= rank {
			if c == below {
				return upper
			}
			return lower + (upper-lower)*(rank-float64(below))/float64(c-below)
		}
		lower, below = upper, c
	}
	return lower
}

// millis summarises h in milliseconds.
func (h commitHist) millis() CommitLatencies {
	return CommitLatencies{P50: 1e3 * h.quantile(0.50), P90: 1e3 * h.quantile(0.90), P99: 1e3 * h.quantile(0.99)}
}
