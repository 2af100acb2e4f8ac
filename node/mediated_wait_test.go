package node

import (
	"context"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

func waiting(n *Node, key sentKey) bool {
	n.med.mu.Lock()
	defer n.med.mu.Unlock()
	_, ok := n.med.waiters[key]
	return ok
}

// PayRouted returns as soon as its lock is resolved and acknowledged: it sleeps on the
// resolution and the Ack, not on a timer. Twenty payments whose lock resolves and is
// acknowledged as soon as it waits take far less than twenty timer periods (the old 20 ms
// poll needed at least 400 ms for them).
func TestAwaitRoutedWakesOnResolutionAndAck(t *testing.T) {
	n := &Node{med: newMediation(Config{}), ctx: context.Background()}
	lc := &liveChannel{id: channel.ID{7}}
	const payments = 20
	start := time.Now()
	for i := range payments {
		lock := channel.Lock{SecretHash: [32]byte{byte(i + 1)}}
		nonce := uint64(i + 1)
		key := sentKey{lc.id, lock.SecretHash}
		go func() {
			// Resolve once PayRouted waits for the resolution, ack once it waits for the Ack.
			for !waiting(n, key) {
				time.Sleep(50 * time.Microsecond)
			}
			n.med.setResolved(key, lockResolution{unlocked: true, nonce: nonce, at: time.Now()})
			for {
				lc.mu.Lock()
				if lc.ackWake != nil {
					lc.acked = nonce
					close(lc.ackWake)
					lc.ackWake = nil
					lc.mu.Unlock()
					return
				}
				lc.mu.Unlock()
				time.Sleep(50 * time.Microsecond)
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		p, err := n.awaitRouted(ctx, lc, lock)
		cancel()
		if err != nil || !p.Unlocked || p.UnlockedAt != nonce {
			t.Fatalf("payment %d: %+v, %v", i, p, err)
		}
	}
	// The old 20 ms poll cannot do this in under 20 x 20 ms = 400 ms.
	if d := time.Since(start); d > 380*time.Millisecond {
		t.Fatalf("%d resolved payments took %v to return; PayRouted is polling", payments, d)
	}
	n.med.mu.Lock()
	left := len(n.med.waiters)
	n.med.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d waiters left behind", left)
	}
}
