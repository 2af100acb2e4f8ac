package node

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// A block hash under the cursor that the canonical chain no longer has is what a reorg
// leaves behind; the watcher must step back and re-read, and leave a matching cursor alone.
func TestWatcherRereadsEventsWhenTheCursorBlockWasReorganisedAway(t *testing.T) {
	tn := newTestNet(t)
	for range 80 {
		tn.chain.Commit()
	}
	n, err := tn.buildNode(tn.chain.Accounts()[1].Key, nodeOpts{dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	ctx := context.Background()
	head, _, err := n.chain.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	canonical, err := n.chain.BlockHash(ctx, head)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		cursorHash common.Hash
		wantSynced uint64
	}{
		{"cursor block still canonical", canonical, head},
		{"cursor block replaced", common.Hash{0xbe, 0xef}, head - reorgRewind},
		{"no hash recorded (old cursor)", common.Hash{}, head},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n.synced.Store(head)
			n.cursorHash = tc.cursorHash
			n.checkReorg(ctx)
			if got := n.synced.Load(); got != tc.wantSynced {
				t.Fatalf("synced %d after the check, want %d", got, tc.wantSynced)
			}
		})
	}
	// Started, the watcher catches up again and records the canonical hash.
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	tn.chain.Commit()
	waitFor(t, "watcher past the head", func() bool { return n.synced.Load() > head })
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if n.cursorHash == (common.Hash{}) {
		t.Fatal("cursor hash not recorded")
	}
}
