package node

import (
	"context"
	"encoding/binary"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// BenchmarkPayEndToEnd measures durable payments per second on one channel between two
// nodes over loopback libp2p: each payment is signed, fsynced (group commit) by the
// payer, verified and fsynced by the payee, and acknowledged before Pay returns.
func BenchmarkPayEndToEnd(b *testing.B) { benchmarkPayEndToEnd(b, false) }

// BenchmarkPayWithIDsEndToEnd is the same with a caller-chosen id per payment, as
// wallets and `sluice bench` send them: the idempotency look-ups are on the path.
func BenchmarkPayWithIDsEndToEnd(b *testing.B) { benchmarkPayEndToEnd(b, true) }

func benchmarkPayEndToEnd(b *testing.B, withIDs bool) {
	tn := newTestNet(b)
	a := tn.startNode(1, nodeOpts{})
	p := tn.startNode(2, nodeOpts{})
	benchPayments(b, a, p, withIDs)
}

// benchPayments is BenchmarkPayEndToEnd's measurement, shared with the variant whose payee
// registers its proofs with a watchtower (tower_bench_test.go).
func benchPayments(b *testing.B, a, p *Node, withIDs bool) {
	id := openChannel(b, a, p, eth(100), nil, time.Hour)
	payers := DefaultPipelineWindow
	var next atomic.Int64
	var failed atomic.Value
	one := big.NewInt(1)

	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range payers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				req := PayRequest{Channel: id, Amount: one}
				if withIDs {
					binary.BigEndian.PutUint64(req.PaymentID[8:], uint64(i))
					req.PaymentID[0] = 0x5c
				}
				if _, err := a.Pay(context.Background(), req); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatalf("pay: %v", err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "payments/s")
	for name, n := range map[string]*Node{"payer": a, "payee": p} {
		if g := n.durable.groups.Load(); g > 0 {
			b.ReportMetric(float64(n.durable.writes.Load())/float64(g), name+"-writes/fsync")
		}
		// The mean group write, from the node's own commit-latency histogram.
		var m dto.Metric
		if err := n.metrics.commitLatency.Write(&m); err == nil && m.GetHistogram().GetSampleCount() > 0 {
			h := m.GetHistogram()
			b.ReportMetric(1e3*h.GetSampleSum()/float64(h.GetSampleCount()), name+"-ms/fsync")
		}
		// What each payment costs the store (including the channel's setup, negligible at
		// large b.N): key writes and journal bytes, which the memtable and compactions carry.
		st := n.store.Stats()
		b.ReportMetric(float64(st.Entries)/float64(b.N), name+"-keys/payment")
		b.ReportMetric(float64(st.Bytes)/float64(b.N), name+"-bytes/payment")
	}
}
