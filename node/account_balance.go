package node

import (
	"context"
	"math/big"
	"sync/atomic"
	"time"
)

// balanceEvery is how often the watcher reads the node account's native balance: what
// pays the gas of every defense, close and settle (NodeInfo.Balance, the dashboard's
// low-gas alert, sluice_account_balance_wei).
const balanceEvery = 15 * time.Second

// accountBalance is the last balance read and when; the zero value has none yet.
type accountBalance struct {
	v  atomic.Pointer[big.Int]
	at atomic.Int64 // unix nanoseconds of the last read
}

// refreshBalance reads the balance when the last read is older than balanceEvery. A
// chain adapter that cannot say (a test double) leaves it unknown; a failed read keeps
// the previous value (the chain health already reports the RPC).
func (n *Node) refreshBalance(ctx context.Context) {
	br, ok := n.chain.(nativeBalanceReader)
	if !ok || time.Since(time.Unix(0, n.balance.at.Load())) < balanceEvery {
		return
	}
	n.balance.at.Store(time.Now().UnixNano())
	bal, err := br.nativeBalance(ctx)
	if err != nil || bal == nil {
		return
	}
	n.balance.v.Store(bal)
	f, _ := new(big.Float).SetInt(bal).Float64()
	n.metrics.accountBalance.Set(f)
}

// accountBalanceNow is the last balance read, nil when none was read yet.
func (n *Node) accountBalanceNow() *big.Int {
	if v := n.balance.v.Load(); v != nil {
		return new(big.Int).Set(v)
	}
	return nil
}

// nativeBalanceReader is the chain adapter's read of the node account's native balance.
type nativeBalanceReader interface {
	nativeBalance(ctx context.Context) (*big.Int, error)
}

func (cc *contractChain) nativeBalance(ctx context.Context) (*big.Int, error) {
	ctx, cancel := cc.bound(ctx)
	defer cancel()
	return cc.backend.BalanceAt(ctx, cc.from, nil)
}
