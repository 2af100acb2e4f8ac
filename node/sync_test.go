package node

import (
	"context"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/p2p"
)

// lossyTransport is the real libp2p transport with one kind of outgoing message lost,
// as a connection that dies between the write and the peer's read would lose it.
type lossyTransport struct {
	Transport
	lose p2p.Type
	on   atomic.Bool
}

func (l *lossyTransport) Send(ctx context.Context, to common.Address, m p2p.Message) error {
	if l.on.Load() && m.Type() == l.lose {
		return nil
	}
	return l.Transport.Send(ctx, to, m)
}

func TestSyncAfterReconnectCompletesAPaymentWhoseMessageWasLost(t *testing.T) {
	tests := []struct {
		name      string
		lose      p2p.Type
		lossyPays bool // the payer loses its Pay; otherwise the payee loses its Ack
	}{
		{"ack lost", p2p.TypeAck, false},
		{"pay lost", p2p.TypePay, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tn := newTestNet(t)
			lossy := &lossyTransport{lose: tc.lose}
			lossy.on.Store(true)
			wrap := func(tr Transport) Transport { lossy.Transport = tr; return lossy }
			aOpts, bOpts := nodeOpts{}, nodeOpts{dir: t.TempDir()}
			if tc.lossyPays {
				aOpts.wrap = wrap
			} else {
				bOpts.wrap = wrap
			}
			a := tn.startNode(1, aOpts)
			b := tn.startNode(2, bOpts)
			id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)

			result := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				_, err := a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(42)})
				result <- err
			}()
			if !tc.lossyPays {
				waitFor(t, "payee stored the proof", func() bool { v, _ := b.Channel(context.Background(), id); return v.Sent[0].Nonce == 1 })
			}
			select {
			case err := <-result:
				t.Fatalf("pay returned before any Ack could arrive: %v", err)
			case <-time.After(200 * time.Millisecond):
			}

			// The payee restarts from disk and reconnects; Sync finishes the payment.
			lossy.on.Store(false)
			if err := b.Close(); err != nil {
				t.Fatalf("close payee: %v", err)
			}
			b2 := tn.startNode(2, nodeOpts{dir: bOpts.dir, staticPeers: []string{addrOf(t, a)}})
			select {
			case err := <-result:
				if err != nil {
					t.Fatalf("pay after resync: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("pay did not complete after reconnect")
			}
			v, err := b2.Channel(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if v.Sent[0].Nonce != 1 || v.Sent[0].Transferred.Int64() != 42 {
				t.Fatalf("restarted payee holds nonce %d transferred %s, want the one payment of 42", v.Sent[0].Nonce, v.Sent[0].Transferred)
			}
			mustPay(t, a, id, 8)
			waitFor(t, "the next payment arrives", func() bool { v, _ := b2.Channel(context.Background(), id); return v.Sent[0].Nonce == 2 })
			if v, _ := b2.Channel(context.Background(), id); v.Sent[0].Transferred.Int64() != 50 {
				t.Fatalf("payee total %s, want 50", v.Sent[0].Transferred)
			}
		})
	}
}
