package node

import (
	"context"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// The channel view tells the operator where the watcher's answer to a partner's stale
// close stands (ChannelView.Defense), and when the last proof moved (LastProofAt).
func TestChannelViewShowsTheDefenseOfAStaleClose(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, eth(10), eth(5), testChallenge)
	ctx := context.Background()
	before := time.Now()
	payScript(t, a, b, id)
	aView, _ := a.Channel(ctx, id)
	if aView.Defense != "" {
		t.Fatalf("open channel shows defense %q", aView.Defense)
	}
	if aView.LastProofAt.Before(before) || aView.LastProofAt.After(time.Now()) {
		t.Fatalf("lastProofAt %v, want the time of the last payment (after %v)", aView.LastProofAt, before)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// b closes with none of its own payments on chain: a's best proof of b's (nonce 10)
	// must be put there, and the view must say so only once it is.
	attacker := clientFor(t, tn, 2)
	latestA := aView.Sent[0]
	if _, err := attacker.Close(ctx, id, &latestA); err != nil {
		t.Fatalf("attacker close: %v", err)
	}
	waitFor(t, "defense on chain in the view", func() bool {
		v, _ := a.Channel(ctx, id)
		return v.Status == channel.StatusClosing && v.Defense == DefenseOnChain
	})
	onChain, err := attacker.Channel(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if onChain.NonceB != 10 {
		t.Fatalf("view says on_chain but the chain holds b's nonce %d, want 10", onChain.NonceB)
	}
}
