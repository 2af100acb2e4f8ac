package p2p

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func TestTwoHostsExchange100000MessagesInOrder(t *testing.T) {
	const n = 100_000
	// Ordering at full speed, not the abuse limits: an uninstrumented build sends the
	// 100,000 frames in about 0.1 s, above the default 100,000/s (burst 50,000), and the
	// receiver rightly bans the sender (TestFloodingPeerIsBannedByTheRateLimit covers that).
	unlimited := func(c *Config) { c.Limits.MessageRate, c.Limits.MessageBurst = 1e9, 1e9 }
	a, b := startNode(t, unlimited), startNode(t, unlimited)
	var bErr, aErr atomic.Value
	// Counters are written by the handlers and read here only in failure reports.
	var bSeen, aSeen atomic.Uint64
	acked := make(chan struct{})
	b.h.onMessage = func(from common.Address, m Message) {
		p, ok := m.(*Pay)
		if !ok || from != a.Address() || p.Proof.Nonce != bSeen.Load()+1 {
			bErr.Store(fmt.Sprintf("b got %T %v from %s, want Pay %d", m, m, from, bSeen.Load()+1))
			return
		}
		bSeen.Add(1)
		if err := b.Send(context.Background(), from, &Ack{Channel: p.Proof.Channel, Nonce: p.Proof.Nonce}); err != nil {
			bErr.Store(err.Error())
		}
	}
	a.h.onMessage = func(from common.Address, m Message) {
		ack, ok := m.(*Ack)
		if !ok || ack.Nonce != aSeen.Load()+1 {
			aErr.Store(fmt.Sprintf("a got %#v, want Ack %d", m, aSeen.Load()+1))
			return
		}
		if aSeen.Add(1) == n {
			close(acked)
		}
	}
	connect(t, a, b)

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	for i := uint64(1); i <= n; i++ {
		if err := a.Send(ctx, b.Address(), payWithNonce(i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	select {
	case <-acked:
	case p := <-a.h.disconnected:
		t.Fatalf("session with %s dropped after %d acks: %s", p, aSeen.Load(), a.log.String())
	case <-ctx.Done():
		t.Fatalf("only %d of %d acked (b saw %d), errors: a=%v b=%v", aSeen.Load(), n, bSeen.Load(), aErr.Load(), bErr.Load())
	}
	if e := bErr.Load(); e != nil {
		t.Fatal(e)
	}
	if e := aErr.Load(); e != nil {
		t.Fatal(e)
	}
	t.Logf("%d Pay + %d Ack in %s (%.0f round trips/s)", n, n, time.Since(start), n/time.Since(start).Seconds())
}

func TestThreeHostsTalkPairwise(t *testing.T) {
	nodes := []*testNode{startNode(t, nil), startNode(t, nil), startNode(t, nil)}
	connect(t, nodes[0], nodes[1])
	connect(t, nodes[1], nodes[2])
	connect(t, nodes[2], nodes[0])
	const per = 50
	for _, from := range nodes {
		for _, to := range nodes {
			if from == to {
				continue
			}
			for i := uint64(1); i <= per; i++ {
				if err := from.Send(context.Background(), to.Address(), &Ack{Nonce: i}); err != nil {
					t.Fatalf("send: %v", err)
				}
			}
		}
	}
	for _, to := range nodes {
		next := map[common.Address]uint64{}
		for i := 0; i < 2*per; i++ {
			r := nextMessage(t, to.h)
			next[r.from]++
			if got := r.msg.(*Ack).Nonce; got != next[r.from] {
				t.Fatalf("%s got nonce %d from %s, want %d", to.Address(), got, r.from, next[r.from])
			}
		}
		for _, from := range nodes {
			if from != to && next[from.Address()] != per {
				t.Fatalf("%s got %d messages from %s, want %d", to.Address(), next[from.Address()], from.Address(), per)
			}
		}
		if len(to.Peers()) != 2 {
			t.Fatalf("%s has %d peers, want 2", to.Address(), len(to.Peers()))
		}
	}
}

func TestHelloMismatchIsRefusedWithTheReason(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"wrong chain id", func(c *Config) { c.ChainID = big.NewInt(1) }, "chain id mismatch: ours 31337, theirs 1"},
		{"wrong contract", func(c *Config) { c.Contract = common.HexToAddress("0xdead") }, "contract mismatch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			good, odd := startNode(t, nil), startNode(t, c.edit)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := good.Connect(ctx, odd.info())
			if !errors.Is(err, ErrIncompatible) && !errors.Is(err, ErrRefused) {
				t.Fatalf("connect err %v, want ErrIncompatible or ErrRefused", err)
			}
			if !containsAny(err.Error(), c.want, "mismatch") {
				t.Fatalf("error %q does not name the mismatch %q", err, c.want)
			}
			eventually(t, 5*time.Second, "refusing side logs the mismatch", func() bool {
				return containsAny(odd.log.String(), "mismatch")
			})
			if len(good.Peers()) != 0 || len(odd.Peers()) != 0 {
				t.Fatalf("a session survived a mismatched Hello")
			}
			select {
			case p := <-odd.h.connected:
				t.Fatalf("handler told of peer %s despite the mismatch", p)
			default:
			}
		})
	}
}

func TestSendToUnknownPeerFails(t *testing.T) {
	a := startNode(t, nil)
	err := a.Send(context.Background(), common.HexToAddress("0x1234"), &Ack{})
	if !errors.Is(err, ErrNotConnected) {
		t.Fatalf("err %v, want ErrNotConnected", err)
	}
	if err := a.Send(context.Background(), common.HexToAddress("0x1234"), &Pay{Memo: make([]byte, MaxMemoSize+1)}); err == nil {
		t.Fatal("oversized memo accepted by Send")
	}
}

func TestSimultaneousDialsKeepOneSession(t *testing.T) {
	for round := 0; round < 3; round++ {
		a, b := startNode(t, nil), startNode(t, nil)
		var wg sync.WaitGroup
		for _, pair := range [][2]*testNode{{a, b}, {b, a}} {
			wg.Add(1)
			go func(from, to *testNode) {
				defer wg.Done()
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := from.Connect(ctx, to.info()); err != nil {
					t.Errorf("connect: %v", err)
				}
			}(pair[0], pair[1])
		}
		wg.Wait()
		eventually(t, 5*time.Second, "both ends agree on one stream", func() bool {
			pa, pb := a.Peers(), b.Peers()
			return len(pa) == 1 && len(pb) == 1 && pa[0].Outbound != pb[0].Outbound
		})
		// Which stream survives is the tie-break's (TestDuplicateStreamTieBreakAgreesOnBothEnds and
		// its neighbours in registry_test.go): here one dial may complete before the other
		// starts and find the session up, so only one stream ever exists and asserting the
		// lower address's stream failed 4 runs in 30 under load.
		if err := a.Send(context.Background(), b.Address(), &Ack{Nonce: 1}); err != nil {
			t.Fatal(err)
		}
		if err := b.Send(context.Background(), a.Address(), &Ack{Nonce: 2}); err != nil {
			t.Fatal(err)
		}
		if r := nextMessage(t, b.h); r.msg.(*Ack).Nonce != 1 {
			t.Fatalf("b got %v", r.msg)
		}
		if r := nextMessage(t, a.h); r.msg.(*Ack).Nonce != 2 {
			t.Fatalf("a got %v", r.msg)
		}
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestConcurrentSendersEachKeepTheirOrder(t *testing.T) {
	const senders, per = 8, 2000
	a, b := startNode(t, nil), startNode(t, nil)
	var bad atomic.Value
	var total atomic.Int64
	done := make(chan struct{})
	next := make([]uint64, senders) // only b's reader goroutine touches it
	b.h.onMessage = func(_ common.Address, m Message) {
		ack := m.(*Ack)
		g := ack.Channel[0]
		if int(g) >= senders || ack.Nonce != next[g]+1 {
			bad.Store(fmt.Sprintf("sender %d: nonce %d after %d", g, ack.Nonce, next[g]))
		} else {
			next[g] = ack.Nonce
		}
		if total.Add(1) == senders*per {
			close(done)
		}
	}
	connect(t, a, b)
	var wg sync.WaitGroup
	for g := 0; g < senders; g++ {
		wg.Add(1)
		go func(g byte) {
			defer wg.Done()
			for i := uint64(1); i <= per; i++ {
				if err := a.Send(context.Background(), b.Address(), &Ack{Channel: [32]byte{g}, Nonce: i}); err != nil {
					bad.Store(err.Error())
					return
				}
			}
		}(byte(g))
	}
	wg.Wait()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("delivered %d of %d", total.Load(), senders*per)
	}
	if v := bad.Load(); v != nil {
		t.Fatal(v)
	}
}
