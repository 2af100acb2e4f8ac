package main

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/node/api"
)

// paymentStream pays continuously from several goroutines until stopped, recording every
// acknowledged payment and every failure.
type paymentStream struct {
	*e2ePayer
	acked   atomic.Int64
	stopped atomic.Bool
	wg      sync.WaitGroup
}

func startPaymentStream(cl *api.Client, id api.ChannelID, workers int) *paymentStream {
	s := &paymentStream{e2ePayer: newE2EPayer()}
	var seq atomic.Int64
	for range workers {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for !s.stopped.Load() {
				i := seq.Add(1)
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				pay, err := cl.Pay(ctx, api.PayArgs{Channel: &id, Amount: api.NewAmount(big.NewInt(1_000_000_000 + i)), Memo: fmt.Sprint("stream ", i)})
				cancel()
				s.record(pay, err)
				if err == nil {
					s.acked.Add(1)
				}
			}
		}()
	}
	return s
}

func (s *paymentStream) stop() {
	s.stopped.Store(true)
	s.wg.Wait()
}

func (s *paymentStream) waitAcked(t *testing.T, n int64, what string) {
	t.Helper()
	waitUntil(t, 60*time.Second, fmt.Sprintf("%d acknowledged payments (%s)", n, what), func() bool { return s.acked.Load() >= n })
}

// TestE2EPayeeKilledMidStreamLosesNoAcknowledgedPayment is acceptance 3: bob's node is
// killed with SIGKILL while alice's node streams payments to it from 8 concurrent API
// callers, and restarted on the same datadir and libp2p port. Every payment alice saw
// acknowledged is in bob's `sluice payments --json` (under its own id, or inside the
// cumulative proof that Sync delivered after the restart), the two ledgers agree proof by
// proof, the channel keeps working (`sluice pay` afterwards), and the cooperative close
// pays out exactly.
func TestE2EPayeeKilledMidStreamLosesNoAcknowledgedPayment(t *testing.T) {
	t.Parallel()
	start := time.Now()
	chain := startE2EChain(t)
	alice, bob := newE2ENode(t, chain, "alice", 5), newE2ENode(t, chain, "bob", 6)
	bob.start(t)
	alice.start(t)
	block0 := chain.head(t)
	before := map[common.Address]*big.Int{
		alice.acc.addr: chain.balance(t, alice.acc.addr),
		bob.acc.addr:   chain.balance(t, bob.acc.addr),
		chain.contract: chain.balance(t, chain.contract),
	}
	id := openChannelCLI(t, alice, bob, ether(1), time.Hour)

	stream := startPaymentStream(alice.client(t), id, 8)
	t.Cleanup(stream.stop)
	stream.waitAcked(t, 200, "before the crash")
	bob.kill9(t)
	killed, atKill := time.Now(), stream.acked.Load()
	time.Sleep(300 * time.Millisecond) // alice keeps signing and queueing while bob is gone
	bob.start(t)
	restarted := time.Since(killed)
	stream.waitAcked(t, atKill+300, "after the restart")
	stream.stop()
	t.Logf("%d payments acknowledged before the kill, %d in all, %d failed; bob was down for %s",
		atKill, stream.acked.Load(), len(stream.errs), restarted.Round(time.Millisecond))
	// Pending payments stay pending across the peer's crash and Sync completes them: a
	// restart of the payee is no reason to fail a payment.
	stream.check(t, "alice", int(stream.acked.Load()))

	// The channel continues: more payments, through the CLI.
	after := newE2EPayer()
	after.payCLIConcurrently(alice, id, 10, 2, func(i int) int64 { return 5_000_000_000_000 + int64(i) }).Wait()
	after.check(t, "alice after the restart", 10)
	for _, p := range after.paid {
		stream.record(p, nil)
	}

	aliceLedger, bobLedger := alice.payments(t, id), bob.payments(t, id)
	sent, _ := checkLedger(t, "alice", aliceLedger)
	_, received := checkLedger(t, "bob", bobLedger)
	if sent.Cmp(stream.sum) != 0 || received.Cmp(stream.sum) != 0 {
		t.Fatalf("alice's ledger sent %s, bob's received %s; alice was acknowledged %s", sent, received, stream.sum)
	}
	// Bob's records are alice's proofs: same nonce, same cumulative amount.
	aliceAt := map[uint64]api.Payment{}
	for _, p := range aliceLedger {
		aliceAt[p.Proof.Nonce] = p
	}
	bobNonces := make([]uint64, 0, len(bobLedger))
	bobAt := map[uint64]api.Payment{}
	for _, p := range bobLedger {
		a, ok := aliceAt[p.Proof.Nonce]
		if !ok || a.Proof.Transferred.Big().Cmp(p.Proof.Transferred.Big()) != 0 {
			t.Fatalf("bob holds proof nonce %d transferring %s; alice signed %+v", p.Proof.Nonce, p.Proof.Transferred, a.Proof)
		}
		bobNonces = append(bobNonces, p.Proof.Nonce)
		bobAt[p.Proof.Nonce] = p
	}
	sort.Slice(bobNonces, func(i, j int) bool { return bobNonces[i] < bobNonces[j] })
	// Every acknowledged payment is at bob: under its own id, or (when Sync delivered only
	// the latest proof after the restart) covered by the first record at or above its nonce.
	byID, covered := 0, 0
	for pid, p := range stream.paid {
		i := sort.Search(len(bobNonces), func(i int) bool { return bobNonces[i] >= p.Proof.Nonce })
		if i == len(bobNonces) {
			t.Fatalf("acknowledged payment %s (nonce %d) is beyond bob's latest proof %d", pid, p.Proof.Nonce, bobNonces[len(bobNonces)-1])
		}
		rec := bobAt[bobNonces[i]]
		switch {
		case rec.Proof.Nonce == p.Proof.Nonce && rec.PaymentID == pid:
			if rec.Amount.Big().Cmp(p.Amount.Big()) != 0 || rec.Memo != p.Memo {
				t.Fatalf("bob's record of payment %s: amount %s memo %q; alice paid %s memo %q", pid, rec.Amount, rec.Memo, p.Amount, p.Memo)
			}
			byID++
		case rec.Memo == "" && rec.PaymentID != aliceAt[rec.Proof.Nonce].PaymentID:
			covered++ // a proof learnt through Sync: one record for the payments it covers
		default:
			t.Fatalf("acknowledged payment %s (nonce %d) is missing at bob: his next record is %s at nonce %d", pid, p.Proof.Nonce, rec.PaymentID, rec.Proof.Nonce)
		}
	}
	t.Logf("bob holds %d acknowledged payments under their own id and %d inside proofs delivered by Sync", byID, covered)

	total := stream.sum
	var closed api.CloseResult
	alice.cliJSON(t, &closed, "channel", "close", id.String())
	wantA, wantB := new(big.Int).Sub(ether(1), total), total
	if !closed.Cooperative || closed.Balances[0].Big().Cmp(wantA) != 0 || closed.Balances[1].Big().Cmp(wantB) != 0 {
		t.Fatalf("close result %+v; want cooperative A=%s B=%s", closed, wantA, wantB)
	}
	waitUntil(t, 30*time.Second, "bob to see the channel settled", func() bool { return bob.channel(t, id).Status == "settled" })
	fees, _ := chain.feesPaid(t, block0, chain.head(t))
	want := map[common.Address]*big.Int{
		alice.acc.addr: new(big.Int).Neg(total),
		bob.acc.addr:   total,
		chain.contract: new(big.Int),
	}
	for addr, b0 := range before {
		got := new(big.Int).Sub(chain.balance(t, addr), b0)
		if f := fees[addr]; f != nil {
			got.Add(got, f)
		}
		if got.Cmp(want[addr]) != 0 {
			t.Errorf("%s: on-chain balance changed by %s (gas added back), want %s", addr, got, want[addr])
		}
	}
	t.Logf("settled %s to bob; total %s", total, time.Since(start).Round(time.Millisecond))
}
