package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sluicepay/sluice/node/api"
)

// TestE2ERetryWithAFrozenPayeeReportsSuccessOnlyAfterItsAck is issue 14's reproduction:
// with the payee's process stopped (SIGSTOP), a retry of a payment id whose proof was
// sent but not acknowledged reported success in 1 ms. Now the retry fails at its
// deadline like the first attempt, a retry of an acknowledged payment still answers at
// once, and once the payee runs again (SIGCONT) the CLI's retry says "already paid".
func TestE2ERetryWithAFrozenPayeeReportsSuccessOnlyAfterItsAck(t *testing.T) {
	t.Parallel()
	chain := startE2EChain(t)
	alice, bob := newE2ENode(t, chain, "alice", 5), newE2ENode(t, chain, "bob", 6)
	bob.start(t)
	alice.start(t)
	id := openChannelCLI(t, alice, bob, ether(1), time.Hour)
	cl := alice.client(t)
	payWithin := func(pid api.PaymentID, amount int64, d time.Duration) (api.Payment, error) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		return cl.Pay(ctx, api.PayArgs{Channel: &id, Amount: api.NewAmount(big.NewInt(amount)), PaymentID: &pid})
	}

	acked := api.PaymentID{0xa1}
	if p, err := payWithin(acked, 1000, 30*time.Second); err != nil || p.Repeat {
		t.Fatalf("first payment: %+v %v", p, err)
	}

	bob.mu.Lock()
	frozen := bob.proc.pid()
	bob.mu.Unlock()
	if err := syscall.Kill(frozen, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	thawed := false
	thaw := func() {
		if !thawed {
			thawed = true
			_ = syscall.Kill(frozen, syscall.SIGCONT)
		}
	}
	t.Cleanup(thaw)
	waitUntil(t, 10*time.Second, "bob's process to stop", func() bool {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", frozen))
		// The state follows the command name in parentheses: "T" is stopped.
		_, rest, ok := strings.Cut(string(stat), ") ")
		return err == nil && ok && strings.HasPrefix(rest, "T")
	})

	pid := api.PaymentID{0xb2}
	if p, err := payWithin(pid, 2000, 2*time.Second); err == nil {
		t.Fatalf("first attempt succeeded with the payee stopped: %+v", p)
	}
	start := time.Now()
	p, err := payWithin(pid, 2000, 2*time.Second)
	if err == nil {
		t.Fatalf("retry reported success after %s with the payee stopped: nonce %d", time.Since(start), p.Proof.Nonce)
	}
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "retry with payment id") {
		t.Fatalf("retry with the payee stopped: %v, want its deadline", err)
	}
	if p, err := payWithin(acked, 1000, 10*time.Second); err != nil || !p.Repeat || p.Proof.Nonce != 1 {
		t.Fatalf("retry of the acknowledged payment with the payee stopped: %+v %v", p, err)
	}

	thaw()
	res := alice.mustCLI(t, "pay", "--payment-id", pid.String(), id.String(), "2000")
	if !strings.Contains(res.stdout, "already paid 2000") || !strings.Contains(res.stdout, "nonce 2") {
		t.Fatalf("CLI retry once the payee runs again:\n%s%s", res.stdout, res.stderr)
	}
	waitUntil(t, 30*time.Second, "bob records the payment", func() bool {
		for _, p := range bob.payments(t, id) {
			if p.PaymentID == pid {
				return true
			}
		}
		return false
	})
	if ch := bob.channel(t, id); ch.LatestProofs[0] == nil || ch.LatestProofs[0].Nonce != 2 || ch.LatestProofs[0].Transferred.String() != "3000" {
		t.Fatalf("bob holds %+v, want nonce 2 transferring 3000: each id paid once", ch.LatestProofs[0])
	}
}
