package demo

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// stream is one direction of one channel: a payer node paying its partner.
type stream struct {
	name  string
	payer *node.Node
	ch    channel.ID
	from  channel.Party // the payer's party in the channel
}

// loadResult is what one run of payments did, per stream: the ledger the checks use.
type loadResult struct {
	paid      []*big.Int // per stream, sum of acknowledged payments
	count     int
	failures  []error
	latencies []time.Duration
	elapsed   time.Duration
}

// runLoad makes total payments spread evenly over streams, workers concurrent payers per
// stream, through each node's Pay (the real payment path: signed, stored, sent, acked
// after the payee stored it). Amounts come from seed, so a run is reproducible.
func runLoad(ctx context.Context, streams []stream, total, workers int, seed uint64, maxAmount uint64) loadResult {
	res := loadResult{paid: make([]*big.Int, len(streams))}
	type workerOut struct {
		stream int
		paid   *big.Int
		lat    []time.Duration
		errs   []error
	}
	outs := make(chan workerOut, len(streams)*workers)
	var wg sync.WaitGroup
	start := time.Now()
	for si, s := range streams {
		res.paid[si] = new(big.Int)
		n := total / len(streams)
		if si < total%len(streams) {
			n++
		}
		for w := range workers {
			share := n / workers
			if w < n%workers {
				share++
			}
			if share == 0 {
				continue
			}
			rng := rand.New(rand.NewPCG(seed, uint64(si)<<32|uint64(w)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				out := workerOut{stream: si, paid: new(big.Int), lat: make([]time.Duration, 0, share)}
				for range share {
					if ctx.Err() != nil {
						out.errs = append(out.errs, fmt.Errorf("%s: %w", s.name, ctx.Err()))
						break
					}
					amount := new(big.Int).SetUint64(rng.Uint64N(maxAmount) + 1)
					t0 := time.Now()
					if _, err := s.payer.Pay(ctx, node.PayRequest{Channel: s.ch, Amount: amount}); err != nil {
						out.errs = append(out.errs, fmt.Errorf("%s: pay %s: %w", s.name, amount, err))
						continue
					}
					out.lat = append(out.lat, time.Since(t0))
					out.paid.Add(out.paid, amount)
				}
				outs <- out
			}()
		}
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	close(outs)
	for o := range outs {
		res.paid[o.stream].Add(res.paid[o.stream], o.paid)
		res.latencies = append(res.latencies, o.lat...)
		res.count += len(o.lat)
		res.failures = append(res.failures, o.errs...)
	}
	return res
}

// percentile of sorted durations, p in [0, 100].
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

// merge adds b's payments to a (a second phase of the same streams).
func (a *loadResult) merge(b loadResult) {
	for i := range a.paid {
		a.paid[i].Add(a.paid[i], b.paid[i])
	}
	a.count += b.count
	a.failures = append(a.failures, b.failures...)
	a.latencies = append(a.latencies, b.latencies...)
	a.elapsed += b.elapsed
}

func (a *loadResult) sortedLatencies() []time.Duration {
	s := slices.Clone(a.latencies)
	slices.Sort(s)
	return s
}
