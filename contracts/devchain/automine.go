package devchain

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/core"
)

// startAutomine mines a block whenever transactions enter the pool, like Anvil's
// automine. Transactions that arrive while a block is being sealed are picked up by the
// next sweep, so a burst shares a few blocks instead of one block each.
//
// Two goroutines, because sealing waits for the pool to settle (TxPool.Sync) and the
// pool may at that moment be announcing transactions: the listener must keep draining
// the subscription while the miner seals, or the two would wait on each other.
func (c *Chain) startAutomine(ctx context.Context) {
	txs := make(chan core.NewTxsEvent, 16)
	sub := c.eth.TxPool().SubscribeTransactions(txs, true)
	kick := make(chan struct{}, 1)

	c.wg.Add(2)
	go func() {
		defer c.wg.Done()
		defer sub.Unsubscribe()
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.Err():
				return
			case <-txs:
				select {
				case kick <- struct{}{}:
				default: // a sweep is already due; it will see these too
				}
			}
		}
	}()
	go func() {
		defer c.wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-kick:
				c.sealMu.Lock()
				c.minePendingLocked()
				c.sealMu.Unlock()
			}
		}
	}()
}

// startIntervalMining mines a block every interval, transactions or not, so chain time
// follows the wall clock on an idle chain.
func (c *Chain) startIntervalMining(ctx context.Context, interval time.Duration) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				c.sealMu.Lock()
				c.beacon.Commit()
				c.sealMu.Unlock()
			}
		}
	}()
}
