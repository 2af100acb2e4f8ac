package node

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

// logBuffer collects a node's log lines for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startLoggedNode is startNode with the node's log captured.
func (tn *testNet) startLoggedNode(i int, dir string, logs *logBuffer) *Node {
	tn.t.Helper()
	if dir == "" {
		dir = tn.t.TempDir()
	}
	cfg := tn.config(tn.chain.Accounts()[i].Key, dir, nil)
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	n, err := New(context.Background(), cfg)
	if err != nil {
		tn.t.Fatalf("node %d: %v", i, err)
	}
	if err := n.Start(context.Background()); err != nil {
		tn.t.Fatalf("start node %d: %v", i, err)
	}
	tn.t.Cleanup(func() { n.Close() })
	return n
}

// TestSettleLostToThePartnerIsDoneAndRevertsCarryTheirName: both nodes settle once the
// period is over; the one that loses must not warn, and a settle the contract refuses
// names the custom error (node/api maps it by name).
func TestSettleLostToThePartnerIsDoneAndRevertsCarryTheirName(t *testing.T) {
	tn := newTestNet(t)
	var logsA, logsB logBuffer
	lagA, lagB := &laggingChain{}, &laggingChain{}
	a := tn.startNode(1, nodeOpts{logs: &logsA, wrapChain: lagA.wrap})
	b := tn.startNode(2, nodeOpts{logs: &logsB, wrapChain: lagB.wrap})
	id := openChannel(t, a, b, big.NewInt(5_000), nil, testChallenge)
	other := openChannel(t, a, b, big.NewInt(1_000), nil, testChallenge)
	mustPay(t, a, id, 1_200)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	_, err := a.Settle(ctx, other)
	if !errors.Is(err, contracts.ErrChannelNotClosing) || !strings.Contains(err.Error(), "ChannelNotClosing()") {
		t.Fatalf("settle of an open channel: %v, want the contract's ChannelNotClosing by name", err)
	}
	if a.settledByPartner(ctx, other, err) {
		t.Fatal("an open channel's refused settle counted as settled")
	}
	if ops, err := a.store.PendingOps(); err != nil || len(ops) != 0 {
		t.Fatalf("a refused settle left %d pending operations (%v)", len(ops), err)
	}

	if _, err := a.CloseChannel(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b sees the close", func() bool { v, _ := b.Channel(ctx, id); return v.Status == channel.StatusClosing })
	// Neither node reads blocks past the current head (though chain time moves on), so
	// neither learns of the other's settle before trying its own: the race both ends run
	// on a real chain, made certain.
	head, _, err := a.chain.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lagA.cap.Store(head)
	lagB.cap.Store(head)
	if err := tn.chain.AdjustTime(testChallenge + 2*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("a:\n%s\nb:\n%s", logsA.String(), logsB.String())
		}
	})
	// The loser fails at estimation ("already settled by the partner"), or is mined,
	// reverts, and is judged done by reading the chain (docs/adr/0015).
	waitFor(t, "one settle loses", func() bool {
		logs := logsA.String() + logsB.String()
		return strings.Contains(logs, "already settled by the partner") || strings.Contains(logs, "the chain already shows its effect")
	})
	lagA.cap.Store(0)
	lagB.cap.Store(0)
	for _, n := range []*Node{a, b} {
		waitFor(t, "both see the channel settled", func() bool { v, _ := n.Channel(ctx, id); return v.Status == channel.StatusSettled })
	}
	// Whichever side lost (or saw the event first) gets the same answer on a new attempt.
	_, err = b.ops.submit(ctx, ChainCall{Kind: CallSettle, Channel: id}, opIdentity{salted: true})
	if !errors.Is(err, contracts.ErrChannelNotClosing) {
		t.Fatalf("settle after settlement: %v, want ChannelNotClosing", err)
	}
	if !b.settledByPartner(ctx, id, err) {
		t.Fatalf("settle after settlement not recognised as done: %v", err)
	}
	for name, logs := range map[string]*logBuffer{"a": &logsA, "b": &logsB} {
		if s := logs.String(); strings.Contains(s, "settle failed") {
			t.Fatalf("node %s warned about a settle the partner won:\n%s", name, s)
		}
	}
}

// laggingChain shows the node a head no newer than cap (when set), with the real head's
// time: the node's follower reads no block past cap while chain time moves on.
type laggingChain struct {
	Chain
	cap atomic.Uint64
}

func (l *laggingChain) wrap(c Chain) Chain { l.Chain = c; return l }

func (l *laggingChain) Latest(ctx context.Context) (follow.Header, error) {
	h, err := l.Chain.Latest(ctx)
	c := l.cap.Load()
	if err != nil || c == 0 || h.Number <= c {
		return h, err
	}
	capped, err := l.Chain.Header(ctx, c)
	capped.Time = h.Time
	return capped, err
}
