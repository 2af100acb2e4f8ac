package p2p

import (
	"context"
	"errors"
	"testing"
)

func TestDisconnectEndsTheSessionAndTheDialerReconnects(t *testing.T) {
	a, b := startNode(t, nil), startNode(t, nil)
	connect(t, a, b)

	if err := b.Disconnect(a.Address()); err != nil {
		t.Fatalf("disconnect: %v", err)
	}
	waitFor(t, a.h.disconnected, b.Address(), "dialer sees the session end")
	waitFor(t, b.h.disconnected, a.Address(), "disconnecting side sees the session end")
	// a dialled b, so a's keeper redials; both see a fresh session.
	waitFor(t, a.h.connected, b.Address(), "dialer reconnects")
	waitFor(t, b.h.connected, a.Address(), "remote accepts the redial")
	if err := a.Send(context.Background(), b.Address(), &Ack{Nonce: 7}); err != nil {
		t.Fatalf("send after reconnect: %v", err)
	}
	if r := nextMessage(t, b.h); r.from != a.Address() || r.msg.(*Ack).Nonce != 7 {
		t.Fatalf("got %v from %s after reconnect", r.msg, r.from)
	}

	stranger := startNode(t, nil)
	if err := a.Disconnect(stranger.Address()); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("disconnect of a peer without a session: %v, want ErrNotConnected", err)
	}
	a.Close()
	if err := a.Disconnect(b.Address()); !errors.Is(err, ErrClosed) {
		t.Fatalf("disconnect on a closed transport: %v, want ErrClosed", err)
	}
}
