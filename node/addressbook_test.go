package node

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/sluicepay/sluice/channel"
)

// startNodeAt runs a node for devchain account i on a fixed listen address and data
// directory, without static peers; the caller closes it.
func (tn *testNet) startNodeAt(i int, dir, listen string) *Node {
	tn.t.Helper()
	cfg := tn.config(tn.chain.Accounts()[i].Key, dir, nil)
	cfg.ListenAddrs = []string{listen}
	n, err := New(context.Background(), cfg)
	if err != nil {
		tn.t.Fatalf("node %d: %v", i, err)
	}
	if err := n.Start(context.Background()); err != nil {
		tn.t.Fatalf("start node %d: %v", i, err)
	}
	tn.t.Cleanup(func() { n.Close() })
	return n
}

// tcpListenAddr turns a node's full multiaddr into the listen address of the same port.
func tcpListenAddr(t *testing.T, full string) string {
	t.Helper()
	m, err := ma.NewMultiaddr(full)
	if err != nil {
		t.Fatal(err)
	}
	port, err := m.ValueForProtocol(ma.P_TCP)
	if err != nil {
		t.Fatal(err)
	}
	return "/ip4/127.0.0.1/tcp/" + port
}

func connected(n *Node, to *Node) bool {
	for _, p := range n.transport.Peers() {
		if p.Address == to.signer.Address() {
			return true
		}
	}
	return false
}

func TestNodeRedialsAPeerItDialledAfterBothRestart(t *testing.T) {
	tn := newTestNet(t)
	aDir, bDir := t.TempDir(), t.TempDir()
	b := tn.startNodeAt(2, bDir, "/ip4/127.0.0.1/tcp/0")
	bListen := tcpListenAddr(t, addrOf(t, b))
	a := tn.startNodeAt(1, aDir, "/ip4/127.0.0.1/tcp/0")
	if _, err := a.resolvePeer(context.Background(), addrOf(t, b)); err != nil {
		t.Fatalf("a dials b: %v", err)
	}
	waitFor(t, "a and b connected", func() bool { return connected(a, b) && connected(b, a) })
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b = tn.startNodeAt(2, bDir, bListen)
	a = tn.startNodeAt(1, aDir, "/ip4/127.0.0.1/tcp/0")
	waitFor(t, "a redials b from its address book", func() bool { return connected(a, b) && connected(b, a) })
}

// Issue 21, finding 7: a channel's PAYMENTS count went back to 0 after a restart, while
// the payment log still listed every payment.
func TestChannelPaymentCountSurvivesARestart(t *testing.T) {
	tn := newTestNet(t)
	aDir, bDir := t.TempDir(), t.TempDir()
	b := tn.startNodeAt(2, bDir, "/ip4/127.0.0.1/tcp/0")
	a := tn.startNodeAt(1, aDir, "/ip4/127.0.0.1/tcp/0")
	id := openChannel(t, a, b, eth(1), eth(1), time.Hour)
	for range 3 {
		mustPay(t, a, id, 5)
	}
	mustPay(t, b, id, 2)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = tn.startNodeAt(1, aDir, "/ip4/127.0.0.1/tcp/0")
	v, err := a.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if v.Payments != 4 {
		t.Fatalf("after a restart the channel counts %d payments, want 4 (3 sent, 1 received)", v.Payments)
	}
}

// Issue 21, finding 1: paying a partner whose node is down waited minutes for an Ack, and
// the proof was delivered much later under a derived id. Now the payment fails within
// PeerWait with ErrPeerUnreachable, and nothing is signed.
func TestPayToAnUnreachablePartnerFailsFastWithNothingSigned(t *testing.T) {
	tn := newTestNet(t)
	bDir := t.TempDir()
	b := tn.startNodeAt(2, bDir, "/ip4/127.0.0.1/tcp/0")
	a := tn.startNodeAt(1, t.TempDir(), "/ip4/127.0.0.1/tcp/0")
	id := openChannel(t, a, b, eth(1), nil, time.Hour)
	mustPay(t, a, id, 5)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a to notice b is gone", func() bool { return !a.transport.Connected(b.signer.Address()) })
	before, err := a.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err = a.Pay(ctx, PayRequest{Channel: id, Amount: big.NewInt(7)})
	if !errors.Is(err, ErrPeerUnreachable) || time.Since(start) > a.cfg.PeerWait+5*time.Second {
		t.Fatalf("pay to a stopped partner: %v after %s, want ErrPeerUnreachable within %s", err, time.Since(start), a.cfg.PeerWait)
	}
	after, err := a.Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if after.Sent[after.Us].Nonce != before.Sent[before.Us].Nonce {
		t.Fatalf("a proof was signed: nonce %d -> %d", before.Sent[before.Us].Nonce, after.Sent[after.Us].Nonce)
	}
}

// Issue 21, finding 2: a malformed peer, one without /p2p, or this node itself reached the
// API as an internal error.
func TestOpenWithABadPeerIsInvalidParamsAndChangesNothing(t *testing.T) {
	tn := newTestNet(t)
	a := tn.startNodeAt(1, t.TempDir(), "/ip4/127.0.0.1/tcp/0")
	for _, peerArg := range []string{
		"/ip4/127.0.0.1/tcp/notaport",
		"/ip4/127.0.0.1/tcp/4001",
		addrOf(t, a),
		a.signer.Address().Hex(),
		"bob",
	} {
		_, err := a.OpenChannel(context.Background(), OpenRequest{Peer: peerArg, Deposit: eth(1)})
		if !errors.Is(err, channel.ErrInvalidParams) {
			t.Errorf("open with peer %q: %v, want ErrInvalidParams", peerArg, err)
		}
	}
	if chans, err := a.Channels(context.Background(), ChannelFilter{}); err != nil || len(chans) != 0 {
		t.Fatalf("channels after refused opens: %d, %v", len(chans), err)
	}
}
