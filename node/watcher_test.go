package node

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

const testChallenge = time.Minute

// settledOnChain waits for the ChannelSettled event of id and returns its balances.
func settledOnChain(t *testing.T, cl *contracts.Client, id channel.ID) (balA, balB *big.Int) {
	t.Helper()
	var found *contracts.ChannelSettled
	waitFor(t, "ChannelSettled on chain", func() bool {
		head, err := cl.Head(context.Background())
		if err != nil {
			return false
		}
		evs, err := cl.EventsInRange(context.Background(), 0, head.Number)
		if err != nil {
			return false
		}
		for _, e := range evs {
			if s, ok := e.(contracts.ChannelSettled); ok && s.ID == id {
				found = &s
				return true
			}
		}
		return false
	})
	if found.Cooperative {
		t.Fatalf("channel %s settled cooperatively, want after a challenge", id)
	}
	return found.BalanceA, found.BalanceB
}

func clientFor(t *testing.T, tn *testNet, account int) *contracts.Client {
	t.Helper()
	cl, err := contracts.New(context.Background(), tn.chain.Client(), tn.chain.Contract(), tn.chain.Accounts()[account].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func waitOnChainNonce(t *testing.T, cl *contracts.Client, id channel.ID, signer channel.Party, want uint64) {
	t.Helper()
	waitFor(t, "the partner's newest proof on chain", func() bool {
		v, err := cl.Channel(context.Background(), id)
		if err != nil {
			return false
		}
		got := v.NonceA
		if signer == channel.PartyB {
			got = v.NonceB
		}
		return got == want
	})
}

// payScript makes a pay a 5 x 100 and b pay a 10 x 1,000, returning b's third proof.
func payScript(t *testing.T, a, b *Node, id channel.ID) channel.SignedProof {
	t.Helper()
	for range 5 {
		mustPay(t, a, id, 100)
	}
	var third channel.SignedProof
	for i := range 10 {
		v := mustPay(t, b, id, 1000)
		if i == 2 {
			third = v.Proof
		}
	}
	waitFor(t, "a holds b's newest proof", func() bool { v, _ := a.Channel(context.Background(), id); return v.Sent[1].Nonce == 10 })
	return third
}

func TestWatcherDefeatsAStaleCloseAndSettlesExactly(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, eth(10), eth(5), testChallenge)
	oldB := payScript(t, a, b, id)
	aView, _ := a.Channel(context.Background(), id)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	// b turns dishonest: it closes without any of its own payments on chain, then tries
	// to record its old proof (nonce 3) instead of the newest (nonce 10).
	attacker := clientFor(t, tn, 2)
	ctx := context.Background()
	latestA := aView.Sent[0]
	if _, err := attacker.Close(ctx, id, &latestA); err != nil {
		t.Fatalf("attacker close: %v", err)
	}
	_, _ = attacker.UpdateProof(ctx, oldB) // fails if a's defence landed first; either way is fine

	waitOnChainNonce(t, attacker, id, channel.PartyB, 10)
	if err := tn.chain.AdjustTime(testChallenge + 2*time.Second); err != nil {
		t.Fatal(err)
	}
	balA, balB := settledOnChain(t, attacker, id)
	wantA := new(big.Int).Sub(eth(10), big.NewInt(500))
	wantA.Add(wantA, big.NewInt(10_000))
	wantB := new(big.Int).Sub(eth(5), big.NewInt(10_000))
	wantB.Add(wantB, big.NewInt(500))
	if balA.Cmp(wantA) != 0 || balB.Cmp(wantB) != 0 {
		t.Fatalf("settled A=%s B=%s, want A=%s B=%s", balA, balB, wantA, wantB)
	}
	waitFor(t, "a sees the channel settled", func() bool { v, _ := a.Channel(ctx, id); return v.Status == channel.StatusSettled })
}

func TestWatcherCatchesUpAfterDowntimeAndDefendsTheClose(t *testing.T) {
	tn := newTestNet(t)
	aDir := t.TempDir()
	a := tn.startNode(1, nodeOpts{dir: aDir})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, eth(10), eth(5), testChallenge)
	payScript(t, a, b, id)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	// While a is down: b tops up, then force-closes with a's newest proof (an honest
	// unilateral close never carries the closer's own payments).
	if _, err := b.Deposit(ctx, id, eth(1)); err != nil {
		t.Fatalf("deposit while partner is down: %v", err)
	}
	res, err := b.CloseChannel(ctx, id, true)
	if err != nil {
		t.Fatalf("force close: %v", err)
	}
	if res.Cooperative || res.SettleAfter == 0 {
		t.Fatalf("force close result %+v, want unilateral with a settle time", res)
	}
	for range 5 {
		tn.chain.Commit()
	}

	a2 := tn.startNode(1, nodeOpts{dir: aDir})
	waitFor(t, "a catches up", func() bool {
		v, _ := a2.Channel(ctx, id)
		return v.Status == channel.StatusClosing && v.Deposit[1].Cmp(eth(6)) == 0
	})
	chk := clientFor(t, tn, 3)
	waitOnChainNonce(t, chk, id, channel.PartyB, 10)
	info, _ := a2.Info(ctx)
	if info.SyncedBlock == 0 || info.SyncedBlock+a2.confirmations.Load() < info.ChainHead-1 {
		t.Fatalf("a synced to block %d of %d", info.SyncedBlock, info.ChainHead)
	}

	if err := tn.chain.AdjustTime(testChallenge + 2*time.Second); err != nil {
		t.Fatal(err)
	}
	balA, balB := settledOnChain(t, chk, id)
	wantA := new(big.Int).Sub(eth(10), big.NewInt(500))
	wantA.Add(wantA, big.NewInt(10_000))
	wantB := new(big.Int).Sub(eth(6), big.NewInt(10_000))
	wantB.Add(wantB, big.NewInt(500))
	if balA.Cmp(wantA) != 0 || balB.Cmp(wantB) != 0 {
		t.Fatalf("settled A=%s B=%s, want A=%s B=%s", balA, balB, wantA, wantB)
	}
}
