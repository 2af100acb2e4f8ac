package node

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

func TestSubscribersSeeDurablePaymentsAndChannelEventsUntilUnsubscribed(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNode(1, nodeOpts{})
	b := tn.startNode(2, nodeOpts{})
	events := make(chan ChannelEvent, 16)
	stopEvents := b.SubscribeChannelEvents(events)
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)

	sent, recv := make(chan PaymentView, 64), make(chan PaymentView, 64)
	stopSent, stopRecv := a.SubscribePayments(sent), b.SubscribePayments(recv)
	for i := 1; i <= 20; i++ {
		mustPay(t, a, id, int64(i))
	}
	for name, c := range map[string]chan PaymentView{"payer": sent, "payee": recv} {
		total := int64(0)
		for range 20 {
			select {
			case v := <-c:
				total += v.Amount.Int64()
				want := Outgoing
				if name == "payee" {
					want = Incoming
				}
				if v.Direction != want || v.Channel != id {
					t.Fatalf("%s got %+v", name, v)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s saw fewer than 20 payments", name)
			}
		}
		if total != 210 {
			t.Fatalf("%s saw %d in total, want 210", name, total)
		}
	}
	stopSent()
	stopRecv()
	stopSent() // idempotent
	mustPay(t, a, id, 1)
	select {
	case v := <-sent:
		t.Fatalf("payment delivered after unsubscribe: %+v", v)
	case <-time.After(100 * time.Millisecond):
	}

	select {
	case e := <-events:
		if e.Kind != "opened" || e.Channel != id || e.Status != channel.StatusOpen || e.Block == 0 {
			t.Fatalf("first channel event %+v, want opened", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no channel event")
	}
	stopEvents()
	if _, err := a.CloseChannel(context.Background(), id, false); err != nil {
		t.Fatal(err)
	}
}
