package node

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// outageCallTimeout is the chain-call deadline of the outage tests' nodes.
const outageCallTimeout = time.Second

func (an *anvilNet) startLogged(i int, logs *logBuffer) *Node {
	an.t.Helper()
	cfg := an.config(i, an.t.TempDir(), "")
	cfg.CallTimeout = outageCallTimeout
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	return an.startWith(cfg)
}

func chainHealthOf(t *testing.T, n *Node) ChainHealth {
	t.Helper()
	info, err := n.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.Chain
}

// Anvil frozen (SIGSTOP): the node must say so within seconds (a WARN, rpcOK false in
// nodeInfo, the metric), name the challenge period running meanwhile with its time
// left (an ERROR), and go on making payments off-chain. The old watcher had no deadline:
// it logged nothing and info showed a stale head as if all were well.
func TestFrozenChainRPCIsReportedWithinTheDeadlineAndPaymentsContinue(t *testing.T) {
	an := newAnvilNet(t)
	var logsA, logsB logBuffer
	a := an.startLogged(1, &logsA)
	b := an.startLogged(2, &logsB)
	id := openChannel(t, a, b, eth(1), nil, 2*time.Hour)
	closing := openChannel(t, a, b, eth(1), nil, 2*time.Hour)
	if _, err := an.client(1).Close(context.Background(), closing, nil); err != nil {
		t.Fatalf("close: %v", err)
	}
	waitFor(t, "b sees the close", func() bool {
		v, err := b.Channel(context.Background(), closing)
		return err == nil && v.Status == channel.StatusClosing
	})
	mustPay(t, a, id, 1_000)
	if h := chainHealthOf(t, b); !h.RPCOK {
		t.Fatalf("health before the freeze %+v", h)
	}

	if err := an.proc.Freeze(); err != nil {
		t.Fatal(err)
	}
	frozen := time.Now()
	defer an.proc.Thaw()
	waitFor(t, "b reports the chain down", func() bool { return !chainHealthOf(t, b).RPCOK })
	if d := time.Since(frozen); d > 3*outageCallTimeout {
		t.Fatalf("outage reported after %s; the call deadline is %s", d, outageCallTimeout)
	}
	h := chainHealthOf(t, b)
	if h.LastError == "" || h.Since.Before(frozen) {
		t.Fatalf("health during the freeze %+v: want the error and since >= the freeze", h)
	}
	if v := metricValue(t, b.metrics.rpcUp); v != 0 {
		t.Fatalf("sluice_chain_rpc_up %v during the freeze, want 0", v)
	}
	waitFor(t, "the WARN and the ERROR in b's log", func() bool {
		l := logsB.String()
		return strings.Contains(l, "chain RPC not answering") && strings.Contains(l, "chain unreachable during a challenge period")
	})
	if l := logsB.String(); !strings.Contains(l, "seconds_left=") || !strings.Contains(l, "level=ERROR") {
		t.Fatalf("b's log lacks the ERROR with the time left:\n%s", l)
	}
	for range 20 {
		mustPay(t, a, id, 1_000)
	}
	if got := metricValue(t, b.metrics.payRecv); got != 21 {
		t.Fatalf("b received %v payments, want 21", got)
	}
}

// The RPC comes back: the node resumes by itself. An on-chain operation in flight when
// the chain froze is listed as waiting, and completes after the thaw.
func TestChainRPCThatComesBackResumesWithoutAManualStep(t *testing.T) {
	an := newAnvilNet(t)
	var logsA, logsB logBuffer
	a := an.startLogged(1, &logsA)
	b := an.startLogged(2, &logsB)
	id := openChannel(t, a, b, eth(1), nil, 2*time.Hour)

	an.call("evm_setAutomine", false)
	deposited := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		_, err := a.Deposit(ctx, id, eth(2))
		deposited <- err
	}()
	waitFor(t, "the deposit in the pool", func() bool { return an.pending() > 0 })
	if err := an.proc.Freeze(); err != nil {
		t.Fatal(err)
	}
	defer an.proc.Thaw()
	waitFor(t, "a reports the chain down", func() bool { return !chainHealthOf(t, a).RPCOK })
	if w := chainHealthOf(t, a).Waiting; len(w) != 1 || !strings.HasPrefix(w[0], "deposit ") {
		t.Fatalf("waiting operations %q, want the deposit", w)
	}
	waitFor(t, "the WARN naming the waiting deposit", func() bool {
		return strings.Contains(logsA.String(), "chain RPC not answering") && strings.Contains(logsA.String(), "[deposit ")
	})

	if err := an.proc.Thaw(); err != nil {
		t.Fatal(err)
	}
	an.call("evm_setAutomine", true)
	an.call("evm_mine")
	select {
	case err := <-deposited:
		if err != nil {
			t.Fatalf("deposit after the thaw: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("deposit not done 20s after the thaw")
	}
	for _, n := range []*Node{a, b} {
		waitFor(t, "health back to ok", func() bool { return chainHealthOf(t, n).RPCOK })
		waitFor(t, "the deposit counted", func() bool {
			v, err := n.Channel(context.Background(), id)
			return err == nil && v.Deposit[channel.PartyA].Cmp(eth(3)) == 0
		})
	}
	if !strings.Contains(logsA.String(), "chain RPC answers again") {
		t.Fatalf("a's log lacks the recovery line:\n%s", logsA.String())
	}
	if v := metricValue(t, a.metrics.rpcUp); v != 1 {
		t.Fatalf("sluice_chain_rpc_up %v after the thaw, want 1", v)
	}
}
