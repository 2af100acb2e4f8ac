package node

import (
	"context"
	"math/big"
	"runtime"
	"strings"
	"testing"
	"time"
)

func goroutines() map[string]string {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	out := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		id, _, _ := strings.Cut(g, " [")
		out[id] = g
	}
	return out
}

// liveNodeGoroutines lists goroutines started after baseline that run code of the node,
// its store or its transport (the dev chain's own goroutines predate the baseline).
func liveNodeGoroutines(baseline map[string]string) []string {
	var out []string
	for id, g := range goroutines() {
		if _, old := baseline[id]; old || strings.Contains(g, "node.goroutines") {
			continue
		}
		for _, pkg := range []string{"sluice/node.", "sluice/store.", "sluice/p2p.", "go-libp2p", "goleveldb"} {
			if strings.Contains(g, pkg) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

func TestCloseStopsEveryGoroutineTheNodeStarted(t *testing.T) {
	tn := newTestNet(t)
	baseline := goroutines()
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1_000_000), nil, time.Hour)
	payMany(t, a, id, 200, 4, func(int) int64 { return 3 })

	// A payment stuck waiting for an Ack must end with Close, not hang.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	stuck := make(chan error, 1)
	go func() {
		_, err := a.Pay(context.Background(), PayRequest{Channel: id, Amount: big.NewInt(1)})
		stuck <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-stuck:
		if err == nil {
			t.Fatal("pay without a peer succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("pay still blocked after Close")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		left := liveNodeGoroutines(baseline)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines survive Close; first:\n%s", len(left), left[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := a.Pay(context.Background(), PayRequest{Channel: id, Amount: big.NewInt(1)}); err == nil {
		t.Fatal("pay on a closed node succeeded")
	}
}
