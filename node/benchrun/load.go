package benchrun

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sluicepay/sluice/node"
)

// job is one payment to make; due is when an open-loop (--rate) schedule offered it.
type job struct {
	i   int
	due time.Time
}

// runLoad makes o.Payments payments from the hub, payment i on channel i mod Channels,
// and returns each payment's latency. Closed loop (Rate 0): Concurrency payers each call
// Pay as soon as their previous payment completed, and latency is Pay's duration. Open
// loop: payments are offered on a fixed schedule and latency counts from the scheduled
// time, so a payer that falls behind shows as latency instead of hiding (no coordinated
// omission).
func runLoad(ctx context.Context, c *cluster, o Options, gate *riskGate) ([]time.Duration, time.Duration, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lat := make([]time.Duration, o.Payments)
	jobs := make(chan job, o.Payments)
	var done atomic.Int64
	start := time.Now()
	runID := uint64(start.UnixNano())
	go offer(ctx, jobs, o, start)

	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					return
				}
				begin := j.due
				if o.Rate == 0 {
					begin = time.Now()
				}
				ch := c.channels[j.i%len(c.channels)]
				req := node.PayRequest{Channel: ch, Amount: o.Amount}
				var settle func(paid bool)
				if gate != nil {
					// As the API's risk decorator does: a step-up binds the payment id, so it
					// is chosen before the decision (and the node then checks it is new).
					binary.BigEndian.PutUint64(req.PaymentID[:8], runID)
					binary.BigEndian.PutUint64(req.PaymentID[8:], uint64(j.i)+1)
					var err error
					if settle, err = gate.approve(ctx, ch, o.Amount, req.PaymentID); err != nil {
						cancel(fmt.Errorf("bench: payment %d on channel %s: %w", j.i, ch, err))
						return
					}
				}
				if _, err := c.hub.node.Pay(ctx, req); err != nil {
					if settle != nil {
						settle(false)
					}
					cancel(fmt.Errorf("bench: payment %d on channel %s: %w", j.i, ch, err))
					return
				}
				if settle != nil {
					settle(true)
				}
				lat[j.i] = time.Since(begin)
				done.Add(1)
			}
		}()
	}
	stopProgress := progress(o, &done, start)
	wg.Wait()
	elapsed := time.Since(start)
	stopProgress()
	if err := context.Cause(ctx); err != nil {
		return nil, 0, err
	}
	return lat, elapsed, nil
}

// offer feeds the payers: everything at once in a closed loop, or o.Rate per second.
func offer(ctx context.Context, jobs chan<- job, o Options, start time.Time) {
	defer close(jobs)
	if o.Rate == 0 {
		for i := range o.Payments {
			jobs <- job{i: i}
		}
		return
	}
	interval := time.Duration(float64(time.Second) / o.Rate)
	for i := 0; i < o.Payments; {
		// Offer everything due by now, then sleep a little: a timer per payment would
		// add the timer's own lateness to every latency.
		due := int(time.Since(start)/interval) + 1
		for ; i < due && i < o.Payments; i++ {
			jobs <- job{i: i, due: start.Add(time.Duration(i) * interval)}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(interval, 200*time.Microsecond)):
		}
	}
}

func progress(o Options, done *atomic.Int64, start time.Time) (stop func()) {
	if o.Progress == nil {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-quit:
				o.Progress(Phase{Name: "paying", Done: int(done.Load()), Total: o.Payments, Elapsed: time.Since(start)})
				return
			case <-t.C:
				o.Progress(Phase{Name: "paying", Done: int(done.Load()), Total: o.Payments, Elapsed: time.Since(start)})
			}
		}
	}()
	return func() { close(quit); <-finished }
}
