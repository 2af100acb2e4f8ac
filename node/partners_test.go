package node

import (
	"context"
	"math/big"
	"testing"
	"time"
)

// TestPayeeRestartedIsPaidAgainWithinTwoSeconds is issue 21, finding 8, on real libp2p
// and leveldb: the payer dialled the payee, the payee is down for 10 s and restarts.
// Before, payments stalled until the payer's redial backoff (grown to 4-8 s by then, up
// to 30 s) came round, because the payee did not know the payer's address. Now the
// payee dials its channel partners from the address book at start, and the payer's
// backoff for a partner is capped at a second. The first payment after the restart is
// measured from the moment the payee's node has started.
func TestPayeeRestartedIsPaidAgainWithinTwoSeconds(t *testing.T) {
	tn := newTestNet(t)
	payeeDir := t.TempDir()
	payee := tn.startNodeAt(2, payeeDir, "/ip4/127.0.0.1/tcp/0")
	payeeListen := tcpListenAddr(t, addrOf(t, payee))
	payer := tn.startNodeAt(1, t.TempDir(), "/ip4/127.0.0.1/tcp/0")
	id := openChannel(t, payer, payee, eth(1), nil, time.Hour)
	mustPay(t, payer, id, 1000)

	if err := payee.Close(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Second) // the payer's redials fail meanwhile

	payee = tn.startNodeAt(2, payeeDir, payeeListen)
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	attempts := 0
	for {
		attempts++
		_, err := payer.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(7)})
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("no payment within 30 s of the payee's restart: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("first payment %s after the payee restarted (%d attempts), want < 2 s", took, attempts)
	}
	v, err := payee.Channel(ctx, id)
	if err != nil || v.Payments != 2 {
		t.Fatalf("payee's channel after the restart: %+v (%v), want 2 payments", v, err)
	}
}
