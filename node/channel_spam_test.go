package node

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"golang.org/x/sync/errgroup"

	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/anviltest"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// spamOpens opens count zero-deposit channels to target on the chain at url, spread over
// the given test accounts. The transactions are signed here with a fixed gas limit and
// sent in bursts: one RPC per channel, as an attacker would.
func spamOpens(t *testing.T, url string, contract, target common.Address, accounts []int, count int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	ec, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	chainID, err := ec.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	feeCap, err := ec.SuggestGasPrice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	feeCap.Mul(feeCap, big.NewInt(4))
	data := bindings.NewSluiceChannels().PackOpen(target, common.Address{}, new(big.Int), 3600)
	signer := types.LatestSignerForChainID(chainID)
	var g errgroup.Group
	per := (count + len(accounts) - 1) / len(accounts)
	for k, acct := range accounts {
		n := min(per, count-k*per)
		key := devchain.TestAccounts()[acct].Key
		g.Go(func() error {
			nonce, err := ec.PendingNonceAt(ctx, crypto.PubkeyToAddress(key.PublicKey))
			if err != nil {
				return err
			}
			const burst = 64
			for done := 0; done < n; {
				var last *types.Transaction
				for i := 0; i < burst && done < n; i, done = i+1, done+1 {
					tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{
						ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: feeCap, Gas: 300_000, To: &contract, Data: data,
					})
					if err != nil {
						return err
					}
					if err := ec.SendTransaction(ctx, tx); err != nil {
						return err
					}
					nonce++
					last = tx
				}
				rcpt, err := bind.WaitMined(ctx, ec, last.Hash())
				if err != nil {
					return err
				}
				if rcpt.Status != types.ReceiptStatusSuccessful {
					return fmt.Errorf("open %s failed", last.Hash())
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatalf("spam opens: %v", err)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// pollWalk times the part of a watcher poll that walks the tracked channels, averaged.
func pollWalk(n *Node) time.Duration {
	const rounds = 200
	ctx := context.Background()
	start := time.Now()
	for range rounds {
		n.expireWithdrawals(ctx, 0)
		n.settleDue(ctx, 0)
	}
	return time.Since(start) / rounds
}

func trackedChannels(n *Node) int {
	count := 0
	n.chans.Range(func(_, _ any) bool { count++; return true })
	return count
}

// Issue 15: zero-deposit channels opened to a node on chain (SLUICE_SPAM_CHANNELS of them,
// default 500; the figures in docs/adr/0015 are for 10,000) leave its tracked channels,
// memory and poll walk flat, and its real channel keeps taking payments throughout.
func TestZeroDepositChannelSpamLeavesTheNodeFlat(t *testing.T) {
	count := 500
	if s := os.Getenv("SLUICE_SPAM_CHANNELS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			t.Fatalf("SLUICE_SPAM_CHANNELS=%q", s)
		}
		count = v
	}
	// Anvil in its own process, so the heap measured here is the nodes' (and the spam
	// clients'), not the chain's.
	url := anviltest.Start(t)
	ctx0, cancel0 := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel0()
	accs := devchain.TestAccounts()
	deployer, _, err := contracts.Deploy(ctx0, mustBackend(t, url), accs[0].Key, contracts.Options{})
	if err != nil {
		t.Fatalf("deploy: %v", err)
	}
	start := func(i int) *Node {
		n, err := New(ctx0, Config{
			DataDir: t.TempDir(), Key: accs[i].Key, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"},
			ChainURL: url, Contract: deployer.Contract(), PollInterval: 50 * time.Millisecond,
		})
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		if err := n.Start(ctx0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	a, b := start(1), start(2)
	id := openChannel(t, a, b, big.NewInt(1_000_000), nil, time.Hour)
	mustPay(t, a, id, 1)

	heapBefore, walkBefore := heapInUse(), pollWalk(b)
	ctx, cancel := context.WithCancel(context.Background())
	paid := make(chan int, 1)
	go func() {
		// The real channel is used all through the spam.
		k := 0
		defer func() { paid <- k }()
		for ctx.Err() == nil {
			pctx, pcancel := context.WithTimeout(ctx, 10*time.Second)
			_, err := a.Pay(pctx, PayRequest{Channel: id, Amount: big.NewInt(1)})
			pcancel()
			if err != nil {
				if ctx.Err() == nil {
					t.Errorf("payment %d on the real channel during the spam: %v", k, err)
				}
				return
			}
			k++
			time.Sleep(20 * time.Millisecond)
		}
	}()
	began := time.Now()
	spamOpens(t, url, deployer.Contract(), accs[2].Address, []int{3, 4, 5, 6, 7, 8, 9}, count)
	spamTime := time.Since(began)
	head, _, err := b.chain.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the payee processed every spam block", func() bool { return b.synced.Load() >= head })
	caughtUp := time.Since(began)
	cancel()
	payments := <-paid

	heapAfter, walkAfter := heapInUse(), pollWalk(b)
	tracked := trackedChannels(b)
	t.Logf("%d zero-deposit channels opened in %s, payee caught up after %s; payee tracks %d channel(s), remembers %d untracked; heap in use %.1f -> %.1f MiB (both nodes and the spam clients); poll walk %s -> %s; %d payments on the real channel meanwhile",
		count, spamTime.Round(time.Millisecond), caughtUp.Round(time.Millisecond), tracked, b.dormant.len(),
		float64(heapBefore)/(1<<20), float64(heapAfter)/(1<<20), walkBefore, walkAfter, payments)
	if tracked != 1 {
		t.Fatalf("payee tracks %d channels after %d zero-deposit opens, want only the real one", tracked, count)
	}
	if b.dormant.len() > dormantCapacity {
		t.Fatalf("untracked set grew to %d, above its bound %d", b.dormant.len(), dormantCapacity)
	}
	if payments == 0 {
		t.Fatal("no payment on the real channel during the spam")
	}
	// After the spam, too.
	mustPay(t, a, id, 1)
}
