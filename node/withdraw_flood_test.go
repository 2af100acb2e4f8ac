package node

import (
	"context"
	"math/big"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// gatedHead is a chain whose Head blocks while the gate is closed: a slow chain RPC.
type gatedHead struct {
	Chain
	gate atomic.Pointer[chan struct{}]
}

func (g *gatedHead) Head(ctx context.Context) (uint64, uint64, error) {
	select {
	case <-*g.gate.Load():
	case <-ctx.Done():
		return 0, 0, ctx.Err()
	}
	return g.Chain.Head(ctx)
}

// Every WithdrawRequest started a goroutine that read the chain head before anything was
// checked, so a partner flooding requests while the chain RPC was slow held one goroutine
// per request. One request per channel is answered at a time; the others are refused.
func TestWithdrawRequestFloodHoldsOneGoroutine(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	var gated *gatedHead
	open := make(chan struct{})
	close(open)
	b := tn.startNode(2, nodeOpts{wrapChain: func(c Chain) Chain {
		gated = &gatedHead{Chain: c}
		gated.gate.Store(&open)
		return gated
	}})
	id := openChannel(t, a, b, big.NewInt(10_000), nil, time.Hour)
	mustPay(t, a, id, 1_000)

	stall := make(chan struct{}) // the chain RPC stalls
	gated.gate.Store(&stall)
	defer close(stall)
	time.Sleep(300 * time.Millisecond) // let b's own head readers park first
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const flood = 200
	w := channel.Withdrawal{Channel: id, Participant: a.signer.Address(), TotalWithdrawn: big.NewInt(1), Expiry: uint64(time.Now().Add(time.Hour).Unix())}
	for range flood {
		if err := a.transport.Send(ctx, b.signer.Address(), &p2p.WithdrawRequest{Withdrawal: w}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(500 * time.Millisecond)
	if grew := runtime.NumGoroutine() - before; grew > flood/10 {
		t.Fatalf("%d withdrawal requests left %d more goroutines waiting on the chain, want a handful", flood, grew)
	}
}
