package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// BenchmarkDurablePayments measures payments made durable through group commit. Each
// payment is one Commit of the node's per-payment write: the proof record plus the payment
// log entry (and its index). Run with -benchtime=5000x or more for stable figures.
func BenchmarkDurablePayments(b *testing.B) {
	for _, writers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s, err := Open(b.TempDir(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var next atomic.Uint64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for w := range writers {
				wg.Go(func() {
					ch := testChannelID(uint64(w))
					batch := NewBatch()
					rec := testPayment(ch, 0)
					proof := testProof(ch, 0)
					for {
						n := next.Add(1)
						if n > uint64(b.N) {
							return
						}
						batch.Reset()
						proof.Nonce = n
						rec.ID = testPaymentID(n)
						rec.Nonce = n
						if err := batch.PutProof(channel.PartyA, &proof); err != nil {
							b.Error(err)
							return
						}
						if err := batch.PutPayment(&rec); err != nil {
							b.Error(err)
							return
						}
						if err := s.Commit(context.Background(), batch); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			st := s.Stats()
			b.ReportMetric(float64(st.Commits)/elapsed.Seconds(), "commits/s")
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "payments/s")
			b.ReportMetric(float64(st.Syncs)/float64(b.N), "fsyncs/payment")
		})
	}
}

// BenchmarkFillPaymentBatch is the encoding cost of the per-payment write.
func BenchmarkFillPaymentBatch(b *testing.B) {
	ch := testChannelID(1)
	batch := NewBatch()
	rec := testPayment(ch, 1)
	proof := testProof(ch, 1)
	b.ReportAllocs()
	for b.Loop() {
		batch.Reset()
		if err := batch.PutProof(channel.PartyA, &proof); err != nil {
			b.Fatal(err)
		}
		if err := batch.PutPayment(&rec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetPaymentMiss is the idempotency check before a new payment.
func BenchmarkGetPaymentMiss(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	batch := NewBatch()
	for i := uint64(1); i <= 10000; i++ {
		rec := testPayment(testChannelID(1), i)
		if err := batch.PutPayment(&rec); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Commit(context.Background(), batch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var n uint64 = 1 << 40
	for b.Loop() {
		n++
		if _, ok, err := s.GetPayment(testPaymentID(n)); ok || err != nil {
			b.Fatalf("found=%v err=%v", ok, err)
		}
	}
}

// BenchmarkPipelinedPaymentsOneWriter is one channel owner keeping up to 64 payments in
// flight with Submit, as a pipelining payer does: one goroutine, shared fsyncs.
func BenchmarkPipelinedPaymentsOneWriter(b *testing.B) {
	const window = 64
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ch := testChannelID(1)
	rec := testPayment(ch, 0)
	proof := testProof(ch, 0)
	var batches [window]Batch
	var pending [window]<-chan error
	b.ResetTimer()
	start := time.Now()
	for n := uint64(1); n <= uint64(b.N); n++ {
		slot := n % window
		if pending[slot] != nil {
			if err := <-pending[slot]; err != nil {
				b.Fatal(err)
			}
		}
		batch := &batches[slot]
		batch.Reset()
		proof.Nonce, rec.ID, rec.Nonce = n, testPaymentID(n), n
		if err := batch.PutProof(channel.PartyA, &proof); err != nil {
			b.Fatal(err)
		}
		if err := batch.PutPayment(&rec); err != nil {
			b.Fatal(err)
		}
		pending[slot] = s.Submit(batch)
	}
	for _, done := range pending {
		if done != nil {
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	st := s.Stats()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "payments/s")
	b.ReportMetric(float64(st.Syncs)/float64(b.N), "fsyncs/payment")
}
