package node

import (
	"context"
	"log/slog"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
)

// closeStaleAndPay opens a channel from a to b on Anvil, has a pay b 5 times, and
// returns its id once b holds a's proof of nonce 5.
func payeeHoldsProofs(t *testing.T, a, b *Node) channel.ID {
	t.Helper()
	id := openChannel(t, a, b, eth(1), eth(1), 2*time.Hour)
	for range 5 {
		mustPay(t, a, id, 1_000)
	}
	waitFor(t, "b holds a's newest proof", func() bool { v, _ := b.Channel(context.Background(), id); return v.Sent[0].Nonce == 5 })
	return id
}

// TestDefenseLandsAfterTheNodesKeyWasUsedOutsideTheNode is issue 14's reproduction: the
// payee's key sends one transaction outside the node, then the payer force-closes
// without the payee's proof. The node's next nonce is taken; its defense must still land.
func TestDefenseLandsAfterTheNodesKeyWasUsedOutsideTheNode(t *testing.T) {
	an := newAnvilNet(t)
	a := an.start(1, t.TempDir())
	b := an.start(2, t.TempDir())
	id := payeeHoldsProofs(t, a, b)

	an.waitMined(an.useKeyOutside(2, nil))
	attacker := an.client(1)
	if _, err := attacker.Close(context.Background(), id, nil); err != nil {
		t.Fatalf("attacker's close: %v", err)
	}
	waitOnChainNonce(t, attacker, id, channel.PartyA, 5)
	waitFor(t, "the undefended-close gauge clears", func() bool { return series(b.metrics.undefended) == 0 })
	if n := metricValue(t, b.metrics.defenseAttempts); n < 2 {
		t.Fatalf("defense attempts %v, want >= 2 (the first nonce was taken)", n)
	}
}

// TestDefenseNotMinedIsReplacedWithAHigherFee: the chain's base fee jumps above the
// defense's fee cap, so as first signed it can never be mined; the node must replace it.
func TestDefenseNotMinedIsReplacedWithAHigherFee(t *testing.T) {
	an := newAnvilNet(t)
	a := an.start(1, t.TempDir())
	b := an.start(2, t.TempDir())
	id := payeeHoldsProofs(t, a, b)

	an.call("evm_setAutomine", false)
	attacker := an.client(1)
	closed := make(chan error, 1)
	go func() { _, err := attacker.Close(context.Background(), id, nil); closed <- err }()
	// Mine the attacker's close at the normal fee, then only blocks whose base fee is far
	// above what the node's first defense offers.
	waitFor(t, "the attacker's close in the pool", func() bool { return an.pending() > 0 })
	an.call("evm_mine")
	if err := <-closed; err != nil {
		t.Fatalf("attacker's close: %v", err)
	}
	waitFor(t, "the node's defense in the pool", func() bool { return an.pending() > 0 })
	highFee := big.NewInt(500e9) // 500 gwei; Anvil's base fee is about 1 gwei
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := attacker.Channel(context.Background(), id)
		if err == nil && v.NonceA == 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("defense not mined: on-chain nonce of a's proofs %d, want 5 (replaced %v times)", v.NonceA, metricValue(t, b.metrics.txReplaced))
		}
		an.call("anvil_setNextBlockBaseFeePerGas", hexBig(highFee))
		an.call("evm_mine")
		time.Sleep(100 * time.Millisecond)
	}
	if n := metricValue(t, b.metrics.txReplaced); n < 1 {
		t.Fatalf("replacements %v, want >= 1", n)
	}
	an.call("evm_setAutomine", true)
}

// TestUndefendedCloseIsLoggedAndMeasuredUntilDefended: while the defense cannot be mined
// (mining stopped) the node logs an ERROR on each poll and the gauge shows the seconds
// left; both stop once the proof is on chain.
func TestUndefendedCloseIsLoggedAndMeasuredUntilDefended(t *testing.T) {
	an := newAnvilNet(t)
	a := an.start(1, t.TempDir())
	var logs logBuffer
	cfg := an.config(2, t.TempDir(), "")
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b := an.startWith(cfg)
	id := payeeHoldsProofs(t, a, b)

	an.call("evm_setAutomine", false)
	attacker := an.client(1)
	closed := make(chan error, 1)
	go func() { _, err := attacker.Close(context.Background(), id, nil); closed <- err }()
	time.Sleep(200 * time.Millisecond)
	an.call("evm_mine")
	if err := <-closed; err != nil {
		t.Fatalf("attacker's close: %v", err)
	}
	waitFor(t, "the gauge shows the seconds left", func() bool {
		v := metricValue(t, b.metrics.undefended.WithLabelValues(id.String()))
		return v > 3600 && v <= 7200
	})
	waitFor(t, "an ERROR about the undefended close", func() bool {
		return strings.Contains(logs.String(), "close not defended yet")
	})
	an.call("evm_setAutomine", true)
	an.call("evm_mine")
	waitOnChainNonce(t, attacker, id, channel.PartyA, 5)
	waitFor(t, "the gauge clears", func() bool { return series(b.metrics.undefended) == 0 })
}

// TestPendingDefenseWhoseNonceIsTakenIsSignedAgain: the defense is in the pool when a
// transaction sent with the node's key outside the node replaces it (same nonce, higher
// fee) and is mined. The defense can never be mined now; the node must sign it again.
func TestPendingDefenseWhoseNonceIsTakenIsSignedAgain(t *testing.T) {
	an := newAnvilNet(t)
	a := an.start(1, t.TempDir())
	b := an.start(2, t.TempDir())
	id := payeeHoldsProofs(t, a, b)

	an.call("evm_setAutomine", false)
	attacker := an.client(1)
	closed := make(chan error, 1)
	go func() { _, err := attacker.Close(context.Background(), id, nil); closed <- err }()
	waitFor(t, "the attacker's close in the pool", func() bool { return an.pending() > 0 })
	an.call("evm_mine")
	if err := <-closed; err != nil {
		t.Fatalf("attacker's close: %v", err)
	}
	var defense types.Transaction
	waitFor(t, "the node's defense signed", func() bool {
		ops, err := b.store.PendingOps()
		if err != nil || len(ops) != 1 || ops[0].Kind != string(CallUpdateProof) {
			return false
		}
		return defense.UnmarshalBinary(ops[0].RawTx) == nil
	})
	waitFor(t, "the node's defense in the pool", func() bool { return an.pending() > 0 })
	nonce := defense.Nonce()
	an.useKeyOutside(2, &nonce)
	an.call("evm_mine")
	an.call("evm_setAutomine", true)
	if r, err := an.eth.TransactionReceipt(context.Background(), defense.Hash()); err == nil && r != nil {
		t.Fatalf("the first defense %s was mined; the test needs it replaced", defense.Hash())
	}
	waitOnChainNonce(t, attacker, id, channel.PartyA, 5)
	if n := metricValue(t, b.metrics.txResigned); n < 1 {
		t.Fatalf("re-signed transactions %v, want >= 1", n)
	}
}

// TestDefenseRefusedOnceIsRetriedOnTheNextPoll: the first defense fails before it is
// broadcast (the chain refuses to estimate it); the watcher must try again on a later
// poll, not only when the next close event arrives (there is none).
func TestDefenseRefusedOnceIsRetriedOnTheNextPoll(t *testing.T) {
	an := newAnvilNet(t)
	proxy := newChainProxy(t, an.url)
	a := an.start(1, t.TempDir())
	b := an.startWith(an.config(2, t.TempDir(), proxy.url))
	id := payeeHoldsProofs(t, a, b)

	proxy.refuseEstimates.Store(true)
	attacker := an.client(1)
	if _, err := attacker.Close(context.Background(), id, nil); err != nil {
		t.Fatalf("attacker's close: %v", err)
	}
	waitFor(t, "b sees the close", func() bool { v, _ := b.Channel(context.Background(), id); return v.Status == channel.StatusClosing })
	time.Sleep(300 * time.Millisecond) // several polls with every defense refused
	if v, err := attacker.Channel(context.Background(), id); err != nil || v.NonceA != 0 {
		t.Fatalf("on-chain nonce %d (%v) while estimates are refused, want 0", v.NonceA, err)
	}
	proxy.refuseEstimates.Store(false)
	waitOnChainNonce(t, attacker, id, channel.PartyA, 5)
}
