package benchrun

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// routePaymentTimeout bounds one routed payment: a lock the hub could not forward stays
// until it expires, and the bench reports that instead of waiting for chain time.
const routePaymentTimeout = time.Minute

// payRouted makes one routed payment the way a wallet does: the merchant's invoice,
// then the wallet locks amount+fee to the hub naming the merchant. It is the one place
// the bench pays, so the invoice-over-the-wire path (Node.PayTo without a hash) can
// replace both steps here.
func payRouted(ctx context.Context, wallet *node.Node, hub common.Address, merchant *routeMember, amount, total *big.Int, id [16]byte) error {
	inv, err := merchant.node.NewInvoice(ctx, amount)
	if err != nil {
		return fmt.Errorf("invoice: %w", err)
	}
	_, err = wallet.PayRouted(ctx, node.RoutedPayRequest{
		Hops: []common.Address{hub, merchant.address}, Amount: amount, Total: total,
		SecretHash: inv.SecretHash, PaymentID: id,
	})
	return err
}

// runRouteLoad makes o.Payments routed payments, payment i from wallet i mod Wallets to
// merchant i mod Merchants, Concurrency at a time (closed loop), and returns each one's
// latency: invoice to the payer's unlock acknowledged by the hub.
func runRouteLoad(ctx context.Context, c *routeCluster, o RouteOptions) ([]time.Duration, time.Duration, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	walletSlots := make([]chan struct{}, len(c.wallets))
	for i := range walletSlots {
		walletSlots[i] = make(chan struct{}, channel.MaxLocks)
	}
	merchantSlots := make([]chan struct{}, len(c.merchants))
	for j := range merchantSlots {
		merchantSlots[j] = make(chan struct{}, merchantInFlight)
	}
	total := o.total()
	lat := make([]time.Duration, o.Payments)
	jobs := make(chan int, o.Payments)
	for i := range o.Payments {
		jobs <- i
	}
	close(jobs)
	var done atomic.Int64
	start := time.Now()
	runID := uint64(start.UnixNano())
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if ctx.Err() != nil {
					return
				}
				w, m := i%len(c.wallets), i%len(c.merchants)
				// Always the wallet's slot first, then the merchant's: no cycle.
				walletSlots[w] <- struct{}{}
				merchantSlots[m] <- struct{}{}
				var id [16]byte
				binary.BigEndian.PutUint64(id[:8], runID)
				binary.BigEndian.PutUint64(id[8:], uint64(i)+1)
				begin := time.Now()
				pctx, pcancel := context.WithTimeout(ctx, routePaymentTimeout)
				err := payRouted(pctx, c.wallets[w].node, c.hub.address, c.merchants[m], o.Amount, total, id)
				pcancel()
				<-merchantSlots[m]
				<-walletSlots[w]
				if err != nil {
					cancel(fmt.Errorf("bench: routed payment %d (wallet %d -> merchant %d): %w", i, w, m, err))
					return
				}
				lat[i] = time.Since(begin)
				done.Add(1)
			}
		}()
	}
	stop := progress(Options{Payments: o.Payments, Progress: o.Progress}, &done, start)
	wg.Wait()
	elapsed := time.Since(start)
	stop()
	if err := context.Cause(ctx); err != nil {
		return nil, 0, err
	}
	return lat, elapsed, nil
}

// settled waits until no channel of the run holds a pending lock on either end.
func (c *routeCluster) settled(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pending := func() bool {
		for _, m := range c.all() {
			for _, id := range append(append([]channel.ID(nil), c.walletCh...), c.merchCh...) {
				v, err := m.node.Channel(ctx, id)
				if err != nil {
					continue // not this node's channel
				}
				if len(v.Locks[0])+len(v.Locks[1]) > 0 {
					return true
				}
			}
		}
		return false
	}
	if err := waitFor(ctx, func() bool { return !pending() }); err != nil {
		return fmt.Errorf("bench: locks still pending after the payments: %w", err)
	}
	return nil
}

// routeBalances are the off-chain balances the run moves, each seen by its own node.
type routeBalances struct {
	wallets, hub, merchants *big.Int
}

func (c *routeCluster) balances(ctx context.Context) (routeBalances, error) {
	b := routeBalances{wallets: new(big.Int), hub: new(big.Int), merchants: new(big.Int)}
	own := func(m *routeMember, id channel.ID, sum *big.Int) error {
		v, err := m.node.Channel(ctx, id)
		if err != nil {
			return fmt.Errorf("bench: balance of channel %s: %w", id, err)
		}
		sum.Add(sum, v.Balance[v.Us])
		return nil
	}
	for i, id := range c.walletCh {
		if err := own(c.wallets[i], id, b.wallets); err != nil {
			return b, err
		}
		if err := own(c.hub, id, b.hub); err != nil {
			return b, err
		}
	}
	for j, id := range c.merchCh {
		if err := own(c.merchants[j], id, b.merchants); err != nil {
			return b, err
		}
		if err := own(c.hub, id, b.hub); err != nil {
			return b, err
		}
	}
	return b, nil
}
