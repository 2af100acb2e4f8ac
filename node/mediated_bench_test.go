package node

import (
	"context"
	"encoding/binary"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/routing"
)

// BenchmarkRoutedPayment is `sluice bench --route` as a Go benchmark: payer -> hub ->
// payee, three real nodes (embedded chain, libp2p on loopback, leveldb), the hub charging
// 1 wei + 1000 ppm. Each payment is the payee's invoice and the payer's PayRouted;
// routedPayers run at once, below the channel's channel.MaxLocks pending locks.
func BenchmarkRoutedPayment(b *testing.B) {
	const routedPayers = channel.MaxLocks - 16
	tn := newTestNet(b)
	fees := routing.FeePolicy{Flat: big.NewInt(1), PPM: 1000}
	a := tn.startNode(1, nodeOpts{})
	h := tn.startNode(2, nodeOpts{routing: RoutingConfig{Fees: fees}})
	c := tn.startNode(3, nodeOpts{})
	openChannel(b, a, h, eth(10), nil, time.Hour)
	hc := openChannel(b, h, c, eth(10), nil, time.Hour)
	waitFor(b, "the payee knows its channel", func() bool { return c.channel(hc) != nil })
	amount := big.NewInt(1000)
	total := new(big.Int).Add(amount, fees.Fee(amount))
	hops := []common.Address{h.signer.Address(), c.signer.Address()}
	var next atomic.Int64
	var failed atomic.Value

	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range routedPayers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				inv, err := c.NewInvoice(ctx, amount)
				if err == nil {
					var id [16]byte
					binary.BigEndian.PutUint64(id[8:], uint64(i))
					_, err = a.PayRouted(ctx, RoutedPayRequest{Hops: hops, Amount: amount, Total: total, SecretHash: inv.SecretHash, PaymentID: id})
				}
				if err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "payments/s")
}
