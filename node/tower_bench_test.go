package node

import (
	"testing"

	"github.com/sluicepay/sluice/channel"
)

// BenchmarkPayEndToEndWithTower is BenchmarkPayEndToEnd with the payee registering its
// received proofs with a watchtower at the default flush interval: the payment path only
// marks the channel dirty, so the rate should match the run without a tower.
func BenchmarkPayEndToEndWithTower(b *testing.B) {
	tn := newTestNet(b)
	tw := startTower(b, tn, b.TempDir())
	a := tn.startNode(1, nodeOpts{})
	p := startNodeWithTower(b, tn, 2, tw, DefaultTowerFlush)
	benchPayments(b, a, p, false)
	b.StopTimer()
	var sent float64
	if p.tower != nil {
		for _, code := range []string{"accepted", "stale"} {
			sent += counterValue(p.tower.sent.WithLabelValues(code))
		}
	}
	b.ReportMetric(sent, "tower-registrations")
}

// BenchmarkTowerMarkDirty is what a tower adds to each incoming payment: the channel is
// already waiting for the next flush, so the mark is a map load and a failed swap.
func BenchmarkTowerMarkDirty(b *testing.B) {
	tl := &towerLink{}
	lc := &liveChannel{id: channel.ID{1}}
	tl.markDirty(lc)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tl.markDirty(lc)
		}
	})
}
