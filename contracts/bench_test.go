package contracts

import (
	"math/big"
	"testing"

	"github.com/sluicepay/sluice/contracts/devchain"
)

// BenchmarkDepositRoundTrip measures one transaction from estimate to receipt on the
// automining dev chain: the latency floor the node sees for any chain write.
func BenchmarkDepositRoundTrip(b *testing.B) {
	w := newWorld(b, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 60)
	c := w.clients[1]
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Deposit(w.ctx, id, c.Address(), big.NewInt(1)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConcurrentDeposits measures throughput of one key sending from many
// goroutines through the nonce manager; automine batches them into shared blocks.
func BenchmarkConcurrentDeposits(b *testing.B) {
	w := newWorld(b, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 60)
	c := w.clients[1]
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Deposit(w.ctx, id, c.Address(), big.NewInt(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkEventsScan measures decoding a contract's history: 200 deposits, scanned
// from genesis in 2,000-block pages.
func BenchmarkEventsScan(b *testing.B) {
	w := newWorld(b, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 60)
	for range 200 {
		if _, err := w.clients[2].Deposit(w.ctx, id, w.addr(2), big.NewInt(1)); err != nil {
			b.Fatal(err)
		}
	}
	c := w.clients[3]
	b.ResetTimer()
	for b.Loop() {
		page, err := c.Events(w.ctx, 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Events) != 201 {
			b.Fatalf("%d events", len(page.Events))
		}
	}
}
