package p2p

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ma "github.com/multiformats/go-multiaddr"
)

// listenAddrOf returns n's TCP listen address, to restart a node on the same port.
func listenAddrOf(t *testing.T, n *testNode) string {
	t.Helper()
	for _, a := range n.host.Addrs() {
		if _, err := a.ValueForProtocol(ma.P_TCP); err == nil {
			return a.String()
		}
	}
	t.Fatal("node has no tcp address")
	return ""
}

func TestSessionReconnectsAfterRemoteRestartsOnSameKeyAndPort(t *testing.T) {
	a, b := startNode(t, nil), startNode(t, nil)
	connect(t, a, b)
	listen, key := listenAddrOf(t, b), b.key

	b.Close()
	waitFor(t, a.h.disconnected, b.Address(), "PeerDisconnected after the remote stopped")
	if err := a.Send(context.Background(), b.Address(), &Ack{}); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("send while the remote is down: %v, want ErrNotConnected", err)
	}
	time.Sleep(300 * time.Millisecond) // let a's redials fail a few times first

	b2 := startNode(t, func(c *Config) {
		c.Key = key
		c.ListenAddrs = []string{listen}
	})
	waitFor(t, a.h.connected, b2.Address(), "PeerConnected after the remote restarted")
	waitFor(t, b2.h.connected, a.Address(), "restarted remote sees the redial")
	if err := a.Send(context.Background(), b2.Address(), &Ack{Nonce: 42}); err != nil {
		t.Fatalf("send after reconnect: %v", err)
	}
	if r := nextMessage(t, b2.h); r.from != a.Address() || r.msg.(*Ack).Nonce != 42 {
		t.Fatalf("restarted remote got %v from %s", r.msg, r.from)
	}
}

func TestKnownPeersAreRedialedAfterRestart(t *testing.T) {
	book := &MemoryAddressBook{}
	b := startNode(t, nil)
	a := startNode(t, func(c *Config) { c.AddressBook = book })
	connect(t, a, b)
	known, _ := book.LoadPeers()
	if len(known[b.Address()]) == 0 || !strings.HasSuffix(known[b.Address()][0], "/p2p/"+b.ID().String()) {
		t.Fatalf("address book after dialing b: %v", known)
	}
	key := a.key
	a.Close()
	waitFor(t, b.h.disconnected, a.Address(), "b sees a leave")

	a2 := startNode(t, func(c *Config) { c.Key = key; c.AddressBook = book })
	waitFor(t, a2.h.connected, b.Address(), "restarted node redials its known peer")
	waitFor(t, b.h.connected, a2.Address(), "known peer sees the redial")
}

func TestStaticPeersAreDialedAtStart(t *testing.T) {
	b := startNode(t, nil)
	var static []string
	for _, m := range b.Addrs() {
		static = append(static, m.String())
	}
	a := startNode(t, func(c *Config) { c.StaticPeers = static })
	waitFor(t, a.h.connected, b.Address(), "static peer connected")
	if _, err := New(Config{Key: newKey(t), ChainID: testChainID, Handler: newTestHandler(), StaticPeers: []string{"/ip4/127.0.0.1/tcp/1"}}); err == nil {
		t.Fatal("static peer without /p2p/ accepted")
	}
}

func TestAddrsAreFullDialableMultiaddrs(t *testing.T) {
	a := startNode(t, nil)
	addrs := a.Addrs()
	if len(addrs) == 0 {
		t.Fatal("no addresses")
	}
	infos, err := ParsePeerAddrs(addrs[0].String())
	if err != nil || len(infos) != 1 || infos[0].ID != a.ID() {
		t.Fatalf("Addrs()[0] = %s does not parse back to this node: %v", addrs[0], err)
	}
}

func TestStalledPeerIsDroppedWithoutBlockingOthers(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	sender := startNode(t, func(c *Config) {
		c.SendQueueSize = 64
		c.WriteTimeout = 2 * time.Second
	})
	staller, other := startNode(t, nil), startNode(t, nil)
	staller.h.onMessage = func(common.Address, Message) { <-release }
	connect(t, sender, staller)
	connect(t, sender, other)

	// Fill the staller's receive window and then our queue: a Send that cannot
	// enqueue for 100ms means the writer is stuck on the stalled stream.
	big := &Pay{Memo: make([]byte, MaxMemoSize)}
	var sendErr error
	for i := 0; i < 1_000_000 && sendErr == nil; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		sendErr = sender.Send(ctx, staller.Address(), big)
		cancel()
	}
	if !errors.Is(sendErr, context.DeadlineExceeded) {
		t.Fatalf("send to a stalled peer ended with %v, want a context deadline", sendErr)
	}
	// Keep pushing until the session drops, in case a loaded machine made one
	// Send time out before the stalled stream was really full.
	pushing := make(chan struct{})
	go func() {
		defer close(pushing)
		for {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			err := sender.Send(ctx, staller.Address(), big)
			cancel()
			if errors.Is(err, ErrNotConnected) || errors.Is(err, ErrClosed) {
				return
			}
		}
	}()
	defer func() { <-pushing }()
	// Meanwhile the other peer is served at once.
	for i := uint64(1); i <= 10; i++ {
		if err := sender.Send(context.Background(), other.Address(), &Ack{Nonce: i}); err != nil {
			t.Fatalf("send to other: %v", err)
		}
		if r := nextMessage(t, other.h); r.msg.(*Ack).Nonce != i {
			t.Fatalf("other got %v", r.msg)
		}
	}
	waitFor(t, sender.h.disconnected, staller.Address(), "stalled peer dropped by the write deadline")
	eventually(t, 5*time.Second, "drop reason logged", func() bool {
		return strings.Contains(sender.log.String(), "deadline")
	})
	if strings.Contains(sender.log.String(), "malformed") {
		t.Fatalf("a stalled peer was counted as malformed:\n%s", sender.log.String())
	}
}

func TestSendBlocksUntilContextEndsWhenQueueIsFull(t *testing.T) {
	s := &session{queue: newSendQueue(1), closing: make(chan struct{})}
	if err := s.enqueue(context.Background(), &Ack{}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.enqueue(context.Background(), &Ack{}, true); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("fail-fast on a full queue: %v, want ErrQueueFull", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := s.enqueue(ctx, &Ack{}, false); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("blocking send on a full queue: %v, want DeadlineExceeded", err)
	}
	if time.Since(start) < 40*time.Millisecond {
		t.Fatal("blocking send returned before its context ended")
	}
	s.close(errors.New("gone"), nil)
	if err := s.enqueue(context.Background(), &Ack{}, false); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("send on a closed session: %v, want ErrNotConnected", err)
	}
}

// TestCloseStopsEveryGoroutine builds nodes with sessions, a redialing keeper and a
// busy stream, closes them, and checks the goroutine count returns to where it was.
func TestCloseStopsEveryGoroutine(t *testing.T) {
	// libp2p starts a few process-wide goroutines on first use; warm them up.
	warm := startNode(t, nil)
	warm.Close()
	time.Sleep(200 * time.Millisecond)
	before := runtime.NumGoroutine()

	a, b := startNode(t, nil), startNode(t, nil)
	connect(t, a, b)
	gone := startNode(t, nil)
	goneInfo := gone.info()
	gone.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	a.Connect(ctx, goneInfo) // fails; its keeper keeps redialing in the background
	cancel()
	for i := uint64(0); i < 1000; i++ {
		a.Send(context.Background(), b.Address(), &Ack{Nonce: i})
	}
	// A ban leaves a goroutine waiting to drop the connection after the goodbye.
	strict := startNode(t, func(c *Config) { c.Limits.MessageRate, c.Limits.MessageBurst = 10, 10 })
	connect(t, a, strict)
	for i := uint64(0); i < 100; i++ {
		a.Send(context.Background(), strict.Address(), &Ack{Nonce: i})
	}
	waitFor(t, a.h.disconnected, strict.Address(), "flooder banned")
	if err := a.Close(); err != nil {
		t.Logf("close a: %v", err)
	}
	b.Close()
	strict.Close()
	if err := a.Send(context.Background(), b.Address(), &Ack{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("send after close: %v, want ErrClosed", err)
	}
	var now int
	deadline := time.Now().Add(10 * time.Second)
	for {
		now = runtime.NumGoroutine()
		if now <= before || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if now > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before, %d after Close:\n%s", before, now, buf[:runtime.Stack(buf, true)])
	}
}
