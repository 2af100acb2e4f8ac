package devchain

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

func TestServeAnswersOverHTTPAndWebSocket(t *testing.T) {
	c := newChain(t, Options{NoContract: true})
	ctx := testCtx(t)
	httpURL, wsURL, err := c.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("Serve: %v", err)
	}
	for _, url := range []string{httpURL, wsURL} {
		cl, err := ethclient.DialContext(ctx, url)
		if err != nil {
			t.Fatalf("dial %s: %v", url, err)
		}
		id, err := cl.ChainID(ctx)
		cl.Close()
		if err != nil || id.Uint64() != ChainID {
			t.Fatalf("%s eth_chainId = %v, %v; want %d", url, id, err, ChainID)
		}
	}

	ws, err := ethclient.DialContext(ctx, wsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	heads := make(chan *types.Header, 8)
	sub, err := ws.SubscribeNewHead(ctx, heads)
	if err != nil {
		t.Fatalf("eth_subscribe newHeads over %s: %v", wsURL, err)
	}
	defer sub.Unsubscribe()
	remote, err := ethclient.DialContext(ctx, httpURL)
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	tx := sendETH(t, ctx, remote, c.Accounts()[5], c.Accounts()[6].Address)
	r := waitReceipt(t, ctx, remote, tx.Hash())
	select {
	case h := <-heads:
		if h.Number.Cmp(r.BlockNumber) != 0 {
			t.Fatalf("head %d, want block %d of the transaction", h.Number, r.BlockNumber)
		}
	case err := <-sub.Err():
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("no new head over WebSocket after a mined transaction")
	}
}

func TestServeStopsWhenContextEnds(t *testing.T) {
	c := newChain(t, Options{NoContract: true})
	ctx := testCtx(t)
	serveCtx, stop := context.WithCancel(ctx)
	httpURL, _, err := c.Serve(serveCtx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop()
	deadline := time.Now().Add(5 * time.Second)
	for {
		cl, err := ethclient.DialContext(ctx, httpURL)
		if err == nil {
			_, err = cl.ChainID(ctx)
			cl.Close()
		}
		if err != nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("endpoint still answers after its context ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestEvmTimeTravelOverRPC(t *testing.T) {
	c := newChain(t, Options{NoContract: true})
	ctx := testCtx(t)
	httpURL, _, err := c.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl, err := ethclient.DialContext(ctx, httpURL)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	before, err := cl.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		arg   any
		total int64
	}{
		{"json number", 100, 100},
		{"hex string", "0x64", 200},
	}
	for _, tt := range tests {
		var total int64
		if err := cl.Client().CallContext(ctx, &total, "evm_increaseTime", tt.arg); err != nil {
			t.Fatalf("%s: evm_increaseTime: %v", tt.name, err)
		}
		if total != tt.total {
			t.Errorf("%s: total shift %d, want %d", tt.name, total, tt.total)
		}
	}
	var res string
	if err := cl.Client().CallContext(ctx, &res, "evm_mine"); err != nil {
		t.Fatalf("evm_mine: %v", err)
	}
	after, err := cl.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after.Number.Uint64() != before.Number.Uint64()+3 {
		t.Errorf("head %d after two time jumps and evm_mine, want %d", after.Number, before.Number.Uint64()+3)
	}
	if after.Time < before.Time+200 {
		t.Errorf("head time %d, want >= %d", after.Time, before.Time+200)
	}
	if err := cl.Client().CallContext(ctx, nil, "evm_increaseTime", "-5"); err == nil {
		t.Error("evm_increaseTime(-5) succeeded, want error")
	}
	if err := cl.Client().CallContext(ctx, nil, "evm_increaseTime", "soon"); err == nil {
		t.Error("evm_increaseTime(\"soon\") succeeded, want error")
	}
}

func TestServeHidesAdministrativeNamespaces(t *testing.T) {
	c := newChain(t, Options{NoContract: true})
	ctx := testCtx(t)
	httpURL, _, err := c.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl, err := rpc.DialContext(ctx, httpURL)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	tests := []struct {
		method string
		args   []any
		served bool
	}{
		{"web3_clientVersion", nil, true},
		{"net_version", nil, true},
		{"eth_blockNumber", nil, true},
		{"txpool_status", nil, true},
		{"admin_nodeInfo", nil, false},
		{"admin_startHTTP", []any{"0.0.0.0", 8545}, false},
		{"miner_setGasLimit", []any{"0x1"}, false},
	}
	for _, tt := range tests {
		var out any
		err := cl.CallContext(ctx, &out, tt.method, tt.args...)
		if tt.served && err != nil {
			t.Errorf("%s: %v, want served", tt.method, err)
		}
		if !tt.served && err == nil {
			t.Errorf("%s answered %v, want method not found", tt.method, out)
		}
	}
}
