package devchain

import (
	"context"
	"math/big"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
)

func newChain(t *testing.T, opts Options) *Chain {
	t.Helper()
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// sendETH signs and sends a 1 wei transfer from account i to account j.
func sendETH(t *testing.T, ctx context.Context, c *ethclient.Client, from Account, to common.Address) *types.Transaction {
	t.Helper()
	nonce, err := c.PendingNonceAt(ctx, from.Address)
	if err != nil {
		t.Fatal(err)
	}
	tx := types.NewTx(&types.DynamicFeeTx{
		ChainID:   big.NewInt(ChainID),
		Nonce:     nonce,
		GasTipCap: big.NewInt(params.GWei),
		GasFeeCap: big.NewInt(10 * params.GWei),
		Gas:       21_000,
		To:        &to,
		Value:     big.NewInt(1),
	})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(big.NewInt(ChainID)), from.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendTransaction(ctx, signed); err != nil {
		t.Fatalf("send: %v", err)
	}
	return signed
}

func waitReceipt(t *testing.T, ctx context.Context, c *ethclient.Client, hash common.Hash) *types.Receipt {
	t.Helper()
	for {
		r, err := c.TransactionReceipt(ctx, hash)
		if err == nil {
			return r
		}
		select {
		case <-ctx.Done():
			t.Fatalf("receipt of %s: %v (last error %v)", hash, ctx.Err(), err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestTestAccountsAreAnvilDefaults(t *testing.T) {
	want := []string{
		"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
		"0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
		"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
		"0x90F79bf6EB2c4f870365E785982E1f101E93b906",
		"0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
		"0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
		"0x976EA74026E726554dB657fA54763abd0C3a0aa9",
		"0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
		"0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
		"0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
	}
	accs := TestAccounts()
	if len(accs) != len(want) {
		t.Fatalf("%d accounts, want %d", len(accs), len(want))
	}
	for i, w := range want {
		if accs[i].Address != common.HexToAddress(w) {
			t.Errorf("account #%d = %s, want %s", i, accs[i].Address, w)
		}
	}
}

func TestNewFundsAccountsOnChain31337(t *testing.T) {
	tests := []struct {
		name    string
		balance *big.Int
		want    *big.Int
	}{
		{"default 10,000 ETH like Anvil", nil, new(big.Int).Mul(big.NewInt(10_000), big.NewInt(params.Ether))},
		{"custom balance", big.NewInt(12345), big.NewInt(12345)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newChain(t, Options{NoContract: true, Balance: tt.balance})
			ctx := testCtx(t)
			id, err := c.Client().ChainID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if id.Uint64() != ChainID || c.ChainID().Uint64() != ChainID {
				t.Fatalf("chain id = %d / %d, want %d", id, c.ChainID(), ChainID)
			}
			if len(c.Accounts()) != NumAccounts {
				t.Fatalf("%d accounts, want %d", len(c.Accounts()), NumAccounts)
			}
			for i, a := range c.Accounts() {
				bal, err := c.Client().BalanceAt(ctx, a.Address, nil)
				if err != nil {
					t.Fatal(err)
				}
				if bal.Cmp(tt.want) != 0 {
					t.Errorf("account #%d balance %s, want %s", i, bal, tt.want)
				}
			}
		})
	}
}

func TestChainRunsOsakaRulesWithoutLaterForks(t *testing.T) {
	cfg := chainConfig()
	if cfg.OsakaTime == nil || *cfg.OsakaTime != 0 {
		t.Fatalf("Osaka not active at genesis: %v", cfg.OsakaTime)
	}
	if cfg.AmsterdamTime != nil || cfg.BogotaTime != nil || cfg.UBTTime != nil {
		t.Fatalf("a post-Osaka fork is scheduled: %s", cfg)
	}
	if params.AllDevChainProtocolChanges.ChainID.Uint64() == ChainID {
		t.Fatal("chainConfig mutated go-ethereum's shared dev config")
	}
}

func TestAutomineMinesEachIncomingTransaction(t *testing.T) {
	c := newChain(t, Options{NoContract: true})
	ctx := testCtx(t)
	accs := c.Accounts()
	for i := range 3 {
		tx := sendETH(t, ctx, c.Client(), accs[1], accs[2].Address)
		r := waitReceipt(t, ctx, c.Client(), tx.Hash())
		if r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transfer %d failed", i)
		}
		if r.BlockNumber.Uint64() != uint64(i+1) {
			t.Errorf("transfer %d mined in block %d, want %d", i, r.BlockNumber, i+1)
		}
	}
}

func TestManualMiningHoldsTransactionsUntilCommit(t *testing.T) {
	c := newChain(t, Options{NoContract: true, ManualMining: true})
	ctx := testCtx(t)
	accs := c.Accounts()
	tx := sendETH(t, ctx, c.Client(), accs[1], accs[2].Address)
	time.Sleep(200 * time.Millisecond)
	if _, err := c.Client().TransactionReceipt(ctx, tx.Hash()); err == nil {
		t.Fatal("transaction mined without Commit")
	}
	if n := c.Pending(); n != 1 {
		t.Fatalf("Pending() = %d, want 1", n)
	}
	c.Commit()
	waitReceipt(t, ctx, c.Client(), tx.Hash())
}

func TestAdjustTimeMovesBlockTimeForward(t *testing.T) {
	c := newChain(t, Options{NoContract: true, ManualMining: true})
	ctx := testCtx(t)
	before, err := c.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A pending transaction must not block time travel: it is mined first.
	tx := sendETH(t, ctx, c.Client(), c.Accounts()[3], c.Accounts()[4].Address)
	if err := c.AdjustTime(time.Hour); err != nil {
		t.Fatalf("AdjustTime: %v", err)
	}
	waitReceipt(t, ctx, c.Client(), tx.Hash())
	after, err := c.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after.Time < before.Time+3600 {
		t.Fatalf("head time %d, want >= %d", after.Time, before.Time+3600)
	}
	c.Commit()
	next, err := c.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if next.Time <= after.Time {
		t.Fatalf("block after time travel went back: %d <= %d", next.Time, after.Time)
	}
}

func TestAdjustTimeRejectsLessThanASecond(t *testing.T) {
	c := newChain(t, Options{NoContract: true})
	for _, d := range []time.Duration{0, -time.Hour, 500 * time.Millisecond} {
		if err := c.AdjustTime(d); err == nil {
			t.Errorf("AdjustTime(%s) succeeded, want error", d)
		}
	}
}

func TestServeRejectsNonLoopbackAddress(t *testing.T) {
	c := newChain(t, Options{NoContract: true})
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "nonsense"} {
		if _, _, err := c.Serve(testCtx(t), addr); err == nil {
			t.Errorf("Serve(%q) succeeded, want refusal", addr)
		}
	}
}

func TestCloseStopsAllGoroutines(t *testing.T) {
	// go-ethereum starts process-wide workers (the tx sender cacher) on first use and
	// never stops them; a first chain starts them before the baseline is taken.
	warm, err := New(Options{NoContract: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := warm.Close(); err != nil {
		t.Fatal(err)
	}
	baseline := settledGoroutines(t, 1<<30)
	// Every goroutine the chain can start: automine, interval mining, a server.
	c, err := New(Options{NoContract: true, BlockTime: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	httpURL, wsURL, err := c.Serve(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := ethclient.DialContext(ctx, wsURL)
	if err != nil {
		t.Fatal(err)
	}
	heads := make(chan *types.Header, 4)
	if _, err := ws.SubscribeNewHead(ctx, heads); err != nil {
		t.Fatal(err)
	}
	tx := sendETH(t, ctx, c.Client(), c.Accounts()[1], c.Accounts()[2].Address)
	waitReceipt(t, ctx, c.Client(), tx.Hash())
	// Close with the WebSocket subscription still live: the chain must drop it.
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ws.Close()
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if n := settledGoroutines(t, baseline); n > baseline {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines after Close, %d before New:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
	}
	if _, err := ethclient.DialContext(ctx, httpURL); err == nil {
		if cl, _ := ethclient.DialContext(ctx, httpURL); cl != nil {
			if _, err := cl.ChainID(ctx); err == nil {
				t.Fatal("RPC endpoint still answers after Close")
			}
		}
	}
	if _, _, err := c.Serve(ctx, "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Serve after Close = %v, want chain closed", err)
	}
	if err := c.AdjustTime(time.Hour); err == nil {
		t.Fatal("AdjustTime after Close succeeded")
	}
	if h := c.Commit(); h != (common.Hash{}) {
		t.Fatalf("Commit after Close mined %s", h)
	}
}

// settledGoroutines waits up to a few seconds for the goroutine count to reach target
// and returns the last count seen; go-ethereum's services wind down asynchronously.
func settledGoroutines(t *testing.T, target int) int {
	t.Helper()
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m <= target && m == n {
			return m
		}
		n = m
	}
	return n
}

func TestBlockTimeMinesIdleChainSoTimeMoves(t *testing.T) {
	c := newChain(t, Options{NoContract: true, BlockTime: 100 * time.Millisecond})
	ctx := testCtx(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		h, err := c.Client().HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if h.Number.Uint64() >= 3 {
			first, err := c.Client().HeaderByNumber(ctx, big.NewInt(1))
			if err != nil {
				t.Fatal(err)
			}
			if h.Time <= first.Time {
				t.Fatalf("block %d time %d not after block 1's %d", h.Number, h.Time, first.Time)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("head %d after 10 s with a 100 ms block time", h.Number)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
