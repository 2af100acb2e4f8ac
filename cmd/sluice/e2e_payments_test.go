package main

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/api"
)

// e2ePayer pays from one node, part through the CLI (one process per payment) and the
// bulk through the API, concurrently, and records what was acknowledged.
type e2ePayer struct {
	mu   sync.Mutex
	paid map[api.PaymentID]api.Payment
	sum  *big.Int
	errs []error
}

func newE2EPayer() *e2ePayer {
	return &e2ePayer{paid: map[api.PaymentID]api.Payment{}, sum: new(big.Int)}
}

func (p *e2ePayer) record(pay api.Payment, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.errs = append(p.errs, err)
		return
	}
	if _, dup := p.paid[pay.PaymentID]; dup {
		p.errs = append(p.errs, fmt.Errorf("payment id %s acknowledged twice", pay.PaymentID))
		return
	}
	p.paid[pay.PaymentID] = pay
	p.sum.Add(p.sum, pay.Amount.Big())
}

// payConcurrently makes n payments over the API with the given amounts from workers
// goroutines.
func (p *e2ePayer) payConcurrently(cl *api.Client, id api.ChannelID, n, workers int, amount func(i int) int64) *sync.WaitGroup {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				pay, err := cl.Pay(ctx, api.PayArgs{Channel: &id, Amount: api.NewAmount(big.NewInt(amount(i))), Memo: fmt.Sprintf("api %d", i)})
				cancel()
				p.record(pay, err)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range n {
			next <- i
		}
		close(next)
	}()
	return &wg
}

// payCLIConcurrently makes n payments with `sluice pay --json`, workers processes at a time.
func (p *e2ePayer) payCLIConcurrently(node *e2eNode, id api.ChannelID, n, workers int, amount func(i int) int64) *sync.WaitGroup {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res, err := node.cli("--json", "pay", "--memo", fmt.Sprintf("cli %d", i), id.String(), fmt.Sprint(amount(i)))
				if err == nil && res.code != 0 {
					err = fmt.Errorf("sluice pay: exit %d: %s", res.code, res.stderr)
				}
				var pay api.Payment
				if err == nil {
					err = decodeJSON(res.stdout, &pay)
				}
				p.record(pay, err)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range n {
			next <- i
		}
		close(next)
	}()
	return &wg
}

func (p *e2ePayer) check(t *testing.T, who string, want int) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, err := range p.errs {
		if i < 5 {
			t.Errorf("%s: payment failed: %v", who, err)
		}
	}
	if len(p.errs) > 0 || len(p.paid) != want {
		t.Fatalf("%s: %d payments acknowledged, %d failed; want %d acknowledged", who, len(p.paid), len(p.errs), want)
	}
}

// TestE2EThousandPaymentsThenCooperativeCloseSettleExactlyOnAnvil is acceptance 1: two
// `sluice node` processes on Anvil, a channel opened and topped up through the CLI, 1,000
// payments both ways (some as `sluice pay` processes, the bulk over the API), a cooperative
// close through the CLI; every payment is in both ledgers, and the ETH each account holds
// on chain afterwards is its balance before, minus its gas, minus what it paid, plus what
// it was paid.
func TestE2EThousandPaymentsThenCooperativeCloseSettleExactlyOnAnvil(t *testing.T) {
	t.Parallel()
	start := time.Now()
	chain := startE2EChain(t)
	alice, bob := newE2ENode(t, chain, "alice", 1), newE2ENode(t, chain, "bob", 2)
	bob.start(t)
	alice.start(t)

	block0 := chain.head(t)
	before := map[common.Address]*big.Int{
		alice.acc.addr: chain.balance(t, alice.acc.addr),
		bob.acc.addr:   chain.balance(t, bob.acc.addr),
		chain.contract: chain.balance(t, chain.contract),
	}
	id := openChannelCLI(t, alice, bob, ether(2), time.Hour)
	depositCLI(t, bob, alice, id, ether(1))
	t.Logf("nodes up, channel open and topped up after %s", time.Since(start).Round(time.Millisecond))

	// 1,000 payments: alice -> bob 830 (15 through the CLI), bob -> alice 170 (5 through
	// the CLI), all at once in both directions. Amounts differ per payment so a lost or
	// doubled one changes the sums.
	const aliceAPI, aliceCLI, bobAPI, bobCLI = 815, 15, 165, 5
	paidByAlice, paidByBob := newE2EPayer(), newE2EPayer()
	payStart := time.Now()
	waits := []*sync.WaitGroup{
		paidByAlice.payConcurrently(alice.client(t), id, aliceAPI, 16, func(i int) int64 { return 1_000_000_000_000 + int64(i) }),
		paidByBob.payConcurrently(bob.client(t), id, bobAPI, 8, func(i int) int64 { return 700_000_000_000 + 7*int64(i) }),
		paidByAlice.payCLIConcurrently(alice, id, aliceCLI, 3, func(i int) int64 { return 3_000_000_000_000 + int64(i) }),
		paidByBob.payCLIConcurrently(bob, id, bobCLI, 2, func(i int) int64 { return 5_000_000_000_000 + int64(i) }),
	}
	for _, wg := range waits {
		wg.Wait()
	}
	t.Logf("1,000 payments acknowledged in %s", time.Since(payStart).Round(time.Millisecond))
	paidByAlice.check(t, "alice", aliceAPI+aliceCLI)
	paidByBob.check(t, "bob", bobAPI+bobCLI)

	// Both ledgers, read through `sluice payments --json`, hold every payment once, in
	// both directions, with the same ids and amounts.
	for _, n := range []*e2eNode{alice, bob} {
		ps := n.payments(t, id)
		if len(ps) != 1000 {
			t.Fatalf("%s lists %d payments, want 1000", n.name, len(ps))
		}
		sent, received := checkLedger(t, n.name, ps)
		mine, theirs := paidByAlice, paidByBob
		if n == bob {
			mine, theirs = paidByBob, paidByAlice
		}
		if sent.Cmp(mine.sum) != 0 || received.Cmp(theirs.sum) != 0 {
			t.Fatalf("%s ledger: sent %s received %s; acknowledged sent %s received %s", n.name, sent, received, mine.sum, theirs.sum)
		}
		for _, p := range ps {
			want, ok := mine.paid[p.PaymentID]
			if p.Direction == "received" {
				want, ok = theirs.paid[p.PaymentID]
			}
			if !ok || want.Amount.Big().Cmp(p.Amount.Big()) != 0 || want.Proof.Nonce != p.Proof.Nonce || want.Memo != p.Memo {
				t.Fatalf("%s lists %s payment %s (amount %s, nonce %d, memo %q) that no payer acknowledged as such (%+v)",
					n.name, p.Direction, p.PaymentID, p.Amount, p.Proof.Nonce, p.Memo, want)
			}
		}
	}
	wantBalance := [2]*big.Int{
		new(big.Int).Sub(bigSum(ether(2), paidByBob.sum), paidByAlice.sum),
		new(big.Int).Sub(bigSum(ether(1), paidByAlice.sum), paidByBob.sum),
	}
	for _, n := range []*e2eNode{alice, bob} {
		ch := n.channel(t, id)
		if ch.Payments != 1000 || ch.Balance[0].Big().Cmp(wantBalance[0]) != 0 || ch.Balance[1].Big().Cmp(wantBalance[1]) != 0 {
			t.Fatalf("%s: channel shows %d payments, balance A=%s B=%s; want 1000, A=%s B=%s",
				n.name, ch.Payments, ch.Balance[0], ch.Balance[1], wantBalance[0], wantBalance[1])
		}
	}

	// Bob (not the opener) closes cooperatively through the CLI.
	var closed api.CloseResult
	bob.cliJSON(t, &closed, "channel", "close", id.String())
	if !closed.Cooperative || closed.Balances[0].Big().Cmp(wantBalance[0]) != 0 || closed.Balances[1].Big().Cmp(wantBalance[1]) != 0 {
		t.Fatalf("close result %+v; want cooperative A=%s B=%s", closed, wantBalance[0], wantBalance[1])
	}
	for _, n := range []*e2eNode{alice, bob} {
		waitUntil(t, 30*time.Second, n.name+" to see the channel settled", func() bool { return n.channel(t, id).Status == "settled" })
	}
	if v := chain.view(t, channel.ID(id)); v.Status != channel.StatusSettled {
		t.Fatalf("on chain the channel is %v, want settled", v.Status)
	}

	// Independent check on chain: ETH moved exactly by the payments, plus gas.
	fees, txs := chain.feesPaid(t, block0, chain.head(t))
	if txs[alice.acc.addr] != 1 || txs[bob.acc.addr] != 2 {
		t.Fatalf("transactions sent: alice %d (want open), bob %d (want deposit and close)", txs[alice.acc.addr], txs[bob.acc.addr])
	}
	net := map[common.Address]*big.Int{
		alice.acc.addr: new(big.Int).Sub(paidByBob.sum, paidByAlice.sum),
		bob.acc.addr:   new(big.Int).Sub(paidByAlice.sum, paidByBob.sum),
		chain.contract: new(big.Int),
	}
	for addr, b0 := range before {
		got := new(big.Int).Sub(chain.balance(t, addr), b0)
		if f := fees[addr]; f != nil {
			got.Add(got, f)
		}
		if got.Cmp(net[addr]) != 0 {
			t.Errorf("%s: on-chain balance changed by %s (gas added back), want %s", addr, got, net[addr])
		}
	}
	t.Logf("alice paid %s, bob paid %s; total %s", paidByAlice.sum, paidByBob.sum, time.Since(start).Round(time.Millisecond))
}
