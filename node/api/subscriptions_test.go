package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

func dialWS(t *testing.T, srv testServer) *Client {
	t.Helper()
	c, err := Dial(context.Background(), strings.Replace(srv.URL(), "http://", "ws://", 1), testToken)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestPaymentSubscriptionDeliversPaymentsOfTheChosenChannel(t *testing.T) {
	srv := startServer(t, nil)
	c := dialWS(t, srv)
	ctx := context.Background()
	all := make(chan Payment, 4)
	subAll, err := c.SubscribePayments(ctx, all, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer subAll.Unsubscribe()
	other := channel.ID{0xee}
	only := ChannelID(other)
	filtered := make(chan Payment, 4)
	subOne, err := c.SubscribePayments(ctx, filtered, &only)
	if err != nil {
		t.Fatal(err)
	}
	defer subOne.Unsubscribe()
	waitFor(t, "both subscribers attached", func() bool { return srv.backend.subscribers() == statsSubscribers+2 })

	srv.backend.emitPayment(testPaymentView(testChannel, 5))
	srv.backend.emitPayment(testPaymentView(other, 6))

	for _, want := range []uint64{5, 6} {
		p := receive(t, all)
		if p.Proof.Nonce != want {
			t.Fatalf("all: nonce %d, want %d", p.Proof.Nonce, want)
		}
	}
	if p := receive(t, filtered); p.Channel != only || p.Proof.Nonce != 6 {
		t.Fatalf("filtered got %+v", p)
	}
	select {
	case p := <-filtered:
		t.Fatalf("filtered subscription got a payment of another channel: %+v", p)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestChannelEventSubscriptionDeliversEvents(t *testing.T) {
	srv := startServer(t, nil)
	c := dialWS(t, srv)
	events := make(chan ChannelEvent, 1)
	sub, err := c.SubscribeChannelEvents(context.Background(), events, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	waitFor(t, "subscriber attached", func() bool { return srv.backend.subscribers() == statsSubscribers+1 })
	srv.backend.emitEvent(node.ChannelEvent{Channel: testChannel, Kind: "closed", Status: channel.StatusClosing, Block: 9})
	e := receive(t, events)
	if e.Kind != "closed" || e.Status != "closing" || e.Block != 9 || e.Channel != ChannelID(testChannel) {
		t.Fatalf("event %+v", e)
	}
}

func TestUnsubscribeDetachesFromTheNode(t *testing.T) {
	srv := startServer(t, nil)
	c := dialWS(t, srv)
	sub, err := c.SubscribeChannelEvents(context.Background(), make(chan ChannelEvent), nil)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "subscriber attached", func() bool { return srv.backend.subscribers() == statsSubscribers+1 })
	sub.Unsubscribe()
	waitFor(t, "subscriber detached", func() bool { return srv.backend.subscribers() == statsSubscribers+0 })
}

func TestClosingTheConnectionDetachesSubscriptions(t *testing.T) {
	srv := startServer(t, nil)
	c, err := Dial(context.Background(), strings.Replace(srv.URL(), "http://", "ws://", 1), testToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SubscribePayments(context.Background(), make(chan Payment), nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "subscriber attached", func() bool { return srv.backend.subscribers() == statsSubscribers+1 })
	c.Close()
	waitFor(t, "subscriber detached", func() bool { return srv.backend.subscribers() == statsSubscribers+0 })
}

func TestSubscribeOverHTTPExplainsWebSocketIsNeeded(t *testing.T) {
	srv := startServer(t, nil)
	status, reply := rawCall(t, srv.URL(), "Bearer "+testToken, "sluice_subscribe", `["payments"]`)
	if status != http.StatusOK || reply.Error == nil {
		t.Fatalf("status %d reply %+v, want a JSON-RPC error", status, reply)
	}
	if !strings.Contains(reply.Error.Message, "notifications not supported") && !strings.Contains(reply.Error.Message, "WebSocket") {
		t.Fatalf("message %q does not explain that subscriptions need WebSocket", reply.Error.Message)
	}
}

func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		var zero T
		t.Fatal("timed out waiting for a notification")
		return zero
	}
}
