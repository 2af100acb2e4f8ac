//go:build eventcost

package contracts_test

import (
	"context"
	"encoding/json"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// countingBackend counts what eth_getLogs costs: calls, logs returned and the bytes
// those logs take as JSON-RPC results.
type countingBackend struct {
	contracts.Backend
	calls, logs, bytes atomic.Int64
}

func (c *countingBackend) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	logs, err := c.Backend.FilterLogs(ctx, q)
	c.calls.Add(1)
	c.logs.Add(int64(len(logs)))
	if b, jerr := json.Marshal(logs); jerr == nil {
		c.bytes.Add(int64(len(b)))
	}
	return logs, err
}

func (c *countingBackend) reset() { c.calls.Store(0); c.logs.Store(0); c.bytes.Store(0) }

// TestEventCostWith10000ForeignChannels measures what one node pays to read the
// contract's events when 10,000 channels it is not part of live on the same contract:
// the old read (every event of the contract, filtered by address and signature) against
// EventsOf (the indexed participant and channel-id topics). Run it with
//
//	go test -tags eventcost -run EventCost -v ./contracts/
func TestEventCostWith10000ForeignChannels(t *testing.T) {
	const foreign = 10_000
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	chain, err := devchain.New(devchain.Options{ManualMining: true})
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()
	accs := chain.Accounts()
	abi := bindings.NewSluiceChannels()
	nonces := map[int]uint64{}
	for i, a := range accs {
		if nonces[i], err = chain.Client().PendingNonceAt(ctx, a.Address); err != nil {
			t.Fatal(err)
		}
	}
	queued := make([][]*types.Transaction, len(accs))
	queue := func(from int, data []byte, value *big.Int) {
		to := chain.Contract()
		tx, err := types.SignNewTx(accs[from].Key, types.LatestSignerForChainID(chain.ChainID()), &types.DynamicFeeTx{
			ChainID: chain.ChainID(), Nonce: nonces[from], GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(100 * params.GWei),
			Gas: 250_000, To: &to, Data: data, Value: value,
		})
		if err != nil {
			t.Fatal(err)
		}
		nonces[from]++
		queued[from] = append(queued[from], tx)
	}
	mineAll := func() {
		for {
			progressed := false
			for a := range queued {
				k := min(16, len(queued[a]))
				for _, tx := range queued[a][:k] {
					if err := chain.Client().SendTransaction(ctx, tx); err != nil {
						t.Fatalf("send: %v", err)
					}
				}
				queued[a] = queued[a][k:]
				progressed = progressed || k > 0
			}
			if !progressed {
				return
			}
			chain.Commit()
		}
	}
	// Our node is account 0, with one channel to account 1; accounts 1..9 open the
	// foreign channels among themselves.
	queue(0, abi.PackOpen(accs[1].Address, common.Address{}, big.NewInt(1000), 3600), big.NewInt(1000))
	built := time.Now()
	for i := range foreign {
		a, b := 1+i%(len(accs)-1), 1+(i+1)%(len(accs)-1)
		queue(a, abi.PackOpen(accs[b].Address, common.Address{}, big.NewInt(1000), 3600), big.NewInt(1000))
	}
	mineAll()
	chain.Commit()
	head, err := chain.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built %d foreign channels in %d blocks in %s", foreign, head, time.Since(built).Round(time.Second))

	cb := &countingBackend{Backend: chain.Client()}
	c, err := contracts.New(ctx, cb, chain.Contract(), accs[0].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	measure := func(name string, read func() ([]contracts.Event, error)) []contracts.Event {
		cb.reset()
		start := time.Now()
		evs, err := read()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-34s %3d eth_getLogs, %6d logs, %9d bytes, %8s, %d events kept", name, cb.calls.Load(), cb.logs.Load(), cb.bytes.Load(), time.Since(start).Round(time.Microsecond), len(evs))
		return evs
	}
	before := measure("before: every event (catch-up)", func() ([]contracts.Event, error) { return c.EventsInRange(ctx, 0, head) })
	after := measure("after: EventsOf (catch-up)", func() ([]contracts.Event, error) {
		return c.EventsOf(ctx, 0, head, accs[0].Address, nil)
	})
	if len(before) != foreign+1 || len(after) != 1 {
		t.Fatalf("read %d events before and %d after, want %d and 1", len(before), len(after), foreign+1)
	}
	own := after[0].(contracts.ChannelOpened).ID

	// A steady-state poll: new blocks holding 144 foreign deposits and none of ours.
	index := map[common.Address]int{}
	for i, a := range accs {
		index[a.Address] = i
	}
	deposits := 0
	for _, e := range before {
		if o, ok := e.(contracts.ChannelOpened); ok && o.ID != own && deposits < 144 {
			queue(index[o.A], abi.PackDeposit(o.ID, o.A, big.NewInt(1)), big.NewInt(1))
			deposits++
		}
	}
	mineAll()
	newHead, _ := chain.Client().BlockNumber(ctx)
	measure("before: every event (one poll)", func() ([]contracts.Event, error) { return c.EventsInRange(ctx, head+1, newHead) })
	measure("after: EventsOf (one poll)", func() ([]contracts.Event, error) {
		return c.EventsOf(ctx, head+1, newHead, accs[0].Address, []channel.ID{own})
	})
}
