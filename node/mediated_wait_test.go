package node

import (
	"context"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// PayRouted returns as soon as its lock is resolved and acknowledged: it sleeps on the
// resolution and the Ack, not on a timer. Twenty payments whose lock resolves and is
// acknowledged right after the wait starts take far less than twenty timer periods (the
// old 20 ms poll needed at least 400 ms for them).
func TestAwaitRoutedWakesOnResolutionAndAck(t *testing.T) {
	n := &Node{med: newMediation(Config{}), ctx: context.Background()}
	lc := &liveChannel{id: channel.ID{7}}
	const payments = 20
	start := time.Now()
	for i := range payments {
		lock := channel.Lock{SecretHash: [32]byte{byte(i + 1)}}
		nonce := uint64(i + 1)
		go func() {
			time.Sleep(time.Millisecond)
			n.med.setResolved(sentKey{lc.id, lock.SecretHash}, lockResolution{unlocked: true, nonce: nonce, at: time.Now()})
			time.Sleep(time.Millisecond)
			lc.mu.Lock()
			lc.acked = nonce
			if lc.ackWake != nil {
				close(lc.ackWake)
				lc.ackWake = nil
			}
			lc.mu.Unlock()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		p, err := n.awaitRouted(ctx, lc, lock)
		cancel()
		if err != nil || !p.Unlocked || p.UnlockedAt != nonce {
			t.Fatalf("payment %d: %+v, %v", i, p, err)
		}
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Fatalf("%d resolved payments took %v to return; PayRouted is polling", payments, d)
	}
	n.med.mu.Lock()
	left := len(n.med.waiters)
	n.med.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d waiters left behind", left)
	}
}
