package node

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
)

// payMany pays amount(i) for i in [1, count] from n over id, from workers goroutines.
func payMany(t *testing.T, n *Node, id channel.ID, count, workers int, amount func(i int) int64) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, count)
	next := make(chan int, count)
	for i := 1; i <= count; i++ {
		next <- i
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				_, err := n.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(amount(i))})
				cancel()
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("pay: %v", err)
	}
}

func TestTwoNodesPayThousandsBothWaysAndCloseCooperativelyWithExactBalances(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, eth(10), eth(5), time.Hour)

	const count = 1000
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); payMany(t, a, id, count, 8, func(i int) int64 { return int64(i) }) }()
	go func() { defer wg.Done(); payMany(t, b, id, count, 8, func(i int) int64 { return 2 * int64(i) }) }()
	wg.Wait()

	paidByA := big.NewInt(count * (count + 1) / 2)
	paidByB := big.NewInt(count * (count + 1))
	wantA := new(big.Int).Add(new(big.Int).Sub(eth(10), paidByA), paidByB)
	wantB := new(big.Int).Add(new(big.Int).Sub(eth(5), paidByB), paidByA)
	for name, n := range map[string]*Node{"A": a, "B": b} {
		v, err := n.Channel(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Balance[0].Cmp(wantA) != 0 || v.Balance[1].Cmp(wantB) != 0 {
			t.Fatalf("node %s sees balances A=%s B=%s, want A=%s B=%s", name, v.Balance[0], v.Balance[1], wantA, wantB)
		}
		if v.Sent[0].Nonce != count || v.Sent[1].Nonce != count {
			t.Fatalf("node %s sees nonces %d/%d, want %d each", name, v.Sent[0].Nonce, v.Sent[1].Nonce, count)
		}
		if v.Payments != 2*count {
			t.Fatalf("node %s recorded %d payments, want %d", name, v.Payments, 2*count)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	before, err := tn.chain.Client().BalanceAt(ctx, tn.chain.Accounts()[2].Address, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.CloseChannel(ctx, id, false)
	if err != nil {
		t.Fatalf("cooperative close: %v", err)
	}
	if !res.Cooperative || res.Balances[0].Cmp(wantA) != 0 || res.Balances[1].Cmp(wantB) != 0 {
		t.Fatalf("close result %+v, want cooperative A=%s B=%s", res, wantA, wantB)
	}
	// B sent no transaction to close, so its account grew by exactly its balance.
	after, err := tn.chain.Client().BalanceAt(ctx, tn.chain.Accounts()[2].Address, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(after, before); got.Cmp(wantB) != 0 {
		t.Fatalf("B's account grew by %s, want %s", got, wantB)
	}
	waitFor(t, "both see the channel settled", func() bool {
		va, _ := a.Channel(ctx, id)
		vb, _ := b.Channel(ctx, id)
		return va.Status == channel.StatusSettled && vb.Status == channel.StatusSettled
	})
	if _, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(1)}); !errors.Is(err, channel.ErrChannelNotOpen) {
		t.Fatalf("pay on a settled channel: %v, want ErrChannelNotOpen", err)
	}
}

func TestPayWithARepeatedPaymentIDPaysOnce(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, eth(1), nil, time.Hour)
	ctx := context.Background()
	pid := [16]byte{1, 2, 3}

	first, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(7), PaymentID: pid, Memo: "coffee"})
	if err != nil {
		t.Fatal(err)
	}
	// Concurrent and sequential retries all get the original payment.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			again, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(7), PaymentID: pid, Memo: "coffee"})
			if err != nil {
				t.Errorf("retry: %v", err)
				return
			}
			if again.Proof.Nonce != first.Proof.Nonce || again.PaymentID != pid {
				t.Errorf("retry returned nonce %d, want the original %d", again.Proof.Nonce, first.Proof.Nonce)
			}
		}()
	}
	wg.Wait()
	if _, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(8), PaymentID: pid}); !errors.Is(err, ErrPaymentIDReused) {
		t.Fatalf("same id, other amount: %v, want ErrPaymentIDReused", err)
	}
	waitFor(t, "payee has the payment", func() bool { v, _ := b.Channel(ctx, id); return v.Sent[0].Nonce == 1 })
	for name, n := range map[string]*Node{"payer": a, "payee": b} {
		v, _ := n.Channel(ctx, id)
		if v.Sent[0].Nonce != 1 || v.Sent[0].Transferred.Int64() != 7 {
			t.Fatalf("%s sees nonce %d transferred %s, want exactly one payment of 7", name, v.Sent[0].Nonce, v.Sent[0].Transferred)
		}
	}
	page, err := b.Payments(ctx, PaymentQuery{Channel: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Payments) != 1 || page.Payments[0].PaymentID != pid || page.Payments[0].Memo != "coffee" {
		t.Fatalf("payee's log %+v, want the one payment with its id and memo", page.Payments)
	}
}

func TestPayRefusalsLeaveBothSidesUnchanged(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	mustPay(t, a, id, 100)
	ctx := context.Background()

	tests := []struct {
		name    string
		req     PayRequest
		wantErr error
	}{
		{"overdraft", PayRequest{Channel: id, Amount: big.NewInt(901)}, channel.ErrOverdraft},
		{"unknown channel", PayRequest{Channel: channel.ID{0xde, 0xad}, Amount: big.NewInt(1)}, channel.ErrUnknownChannel},
		{"zero amount", PayRequest{Channel: id, Amount: big.NewInt(0)}, channel.ErrInvalidAmount},
		{"payee has nothing to spend", PayRequest{Channel: id, Amount: big.NewInt(101)}, channel.ErrOverdraft},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			payer := a
			if tc.name == "payee has nothing to spend" {
				payer = b
			}
			beforeA, beforeB := balances(t, a, id), balances(t, b, id)
			if _, err := payer.Pay(ctx, tc.req); !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
			if got := balances(t, a, id); got != beforeA {
				t.Fatalf("payer's view changed: %s -> %s", beforeA, got)
			}
			if got := balances(t, b, id); got != beforeB {
				t.Fatalf("payee's view changed: %s -> %s", beforeB, got)
			}
		})
	}
}

func TestPayeeRejectsInvalidProofsWithTheirCodeAndNoStateChange(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	good := mustPay(t, a, id, 100).Proof

	// Proofs b receives "from a": crafted by a test that holds a's transport.
	forged := good
	forged.Nonce, forged.Transferred = 2, big.NewInt(150) // signature is over nonce 1
	gap := good
	gap.Nonce = 3
	tests := []struct {
		name  string
		proof channel.SignedProof
		code  uint16
	}{
		{"forged signature", forged, channel.CodeWrongSigner},
		{"stale nonce", func() channel.SignedProof { p := good; p.Transferred = big.NewInt(99); return p }(), channel.CodeStaleNonce},
		{"nonce gap", gap, channel.CodeNonceGap},
		{"unknown channel", func() channel.SignedProof { p := good; p.Channel = channel.ID{9}; return p }(), channel.CodeUnknownChannel},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			counter := b.metrics.rejects.WithLabelValues(rejectLabel(tc.code))
			before := counterValue(counter)
			stateBefore := balances(t, b, id)
			if err := a.transport.Send(context.Background(), b.signer.Address(), &p2p.Pay{Proof: tc.proof}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "reject counted", func() bool { return counterValue(counter) == before+1 })
			if got := balances(t, b, id); got != stateBefore {
				t.Fatalf("payee state changed: %s -> %s", stateBefore, got)
			}
		})
	}
	// The honest path still works afterwards.
	mustPay(t, a, id, 1)
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

func TestPeerRejectFailsThePaymentWithItsCodeAndSyncConvergesLater(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// b stops following the chain for a moment, so it misses a's top-up.
	b.confirmations.Store(1 << 40)
	if _, err := a.Deposit(ctx, id, big.NewInt(500)); err != nil {
		t.Fatal(err)
	}
	_, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(1200)})
	var rej *RejectError
	if !errors.Is(err, channel.ErrOverdraft) || !errors.As(err, &rej) || rej.Code != channel.CodeOverdraft {
		t.Fatalf("pay beyond what the payee has seen: %v, want a RejectError for ErrOverdraft", err)
	}
	if v, _ := b.Channel(ctx, id); v.Sent[0].Nonce != 0 {
		t.Fatalf("payee applied a rejected proof: nonce %d", v.Sent[0].Nonce)
	}
	// The signed proof cannot be recalled; once b sees the deposit it accepts it via Sync.
	b.confirmations.Store(0)
	waitFor(t, "payee sees the deposit and takes the proof", func() bool {
		v, _ := b.Channel(ctx, id)
		return v.Deposit[0].Int64() == 1500 && v.Sent[0].Nonce == 1
	})
	waitFor(t, "payer pays again", func() bool {
		_, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(100)})
		return err == nil
	})
	if v, _ := b.Channel(ctx, id); v.Sent[0].Transferred.Int64() != 1300 {
		t.Fatalf("payee holds %s, want 1300", v.Sent[0].Transferred)
	}
}
