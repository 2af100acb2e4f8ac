package tower

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/tower/wire"
)

func startTestTower(t *testing.T, chain *fakeChain, cfg Config) *Tower {
	t.Helper()
	cfg.Key = newParty(t).key
	cfg.DataDir = t.TempDir()
	cfg.Chain = chain
	tw, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tw.Close() })
	return tw
}

// clientHost is a libp2p host with the client's key, as a node would have.
func clientHost(t testing.TB, key *ecdsa.PrivateKey) host.Host {
	t.Helper()
	h, closeRM, err := p2p.NewHost(key, nil, 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close(); closeRM() })
	return h
}

type testStream struct {
	st network.Stream
	r  *wire.Reader
	w  *bufio.Writer
}

func dialTower(t testing.TB, h host.Host, tw *Tower, hello *wire.Hello) (*testStream, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	info := peer.AddrInfo{ID: tw.host.ID(), Addrs: tw.host.Addrs()}
	if err := h.Connect(ctx, info); err != nil {
		return nil, err
	}
	st, err := h.NewStream(ctx, info.ID, wire.ProtocolID)
	if err != nil {
		return nil, err
	}
	st.SetDeadline(timeNowPlus())
	ts := &testStream{st: st, r: wire.NewReader(st), w: bufio.NewWriter(st)}
	if hello != nil {
		if err := ts.send(hello); err != nil {
			return nil, err
		}
	}
	m, err := ts.r.Read()
	if err != nil {
		return nil, err
	}
	if _, ok := m.(*wire.Hello); !ok {
		return nil, errors.New("tower did not answer Hello")
	}
	return ts, nil
}

func (ts *testStream) send(m wire.Message) error {
	f, err := wire.AppendFrame(nil, m)
	if err != nil {
		return err
	}
	if _, err := ts.w.Write(f); err != nil {
		return err
	}
	return ts.w.Flush()
}

func (ts *testStream) receipt(t testing.TB) *wire.Receipt {
	t.Helper()
	m, err := ts.r.Read()
	if err != nil {
		t.Fatalf("read receipt: %v", err)
	}
	rc, ok := m.(*wire.Receipt)
	if !ok {
		t.Fatalf("got %s, want Receipt", m.Type())
	}
	return rc
}

func TestTowerIdentifiesTheClientByItsLibp2pKey(t *testing.T) {
	chain := newFakeChain()
	tw := startTestTower(t, chain, Config{})
	a, b, mallory := newParty(t), newParty(t), newParty(t)
	id := channel.ID{1}
	chain.set(id, openView(a, b))
	hello := &wire.Hello{Version: wire.Version, ChainID: chain.domain.ChainID, Contract: chain.domain.Contract}
	reg := registration(t, chain.Domain(), id, 3, 300, a, b)

	// A stranger holding both signatures still fails: the stream is authenticated with
	// its own key, which is neither the payer's nor the receiver's.
	asM, err := dialTower(t, clientHost(t, mallory.key), tw, hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := asM.send(reg); err != nil {
		t.Fatal(err)
	}
	if rc := asM.receipt(t); rc.Code != wire.CodeNotReceiver {
		t.Fatalf("sent by a stranger: %s, want not_receiver", rc.Code)
	}
	asB, err := dialTower(t, clientHost(t, b.key), tw, hello)
	if err != nil {
		t.Fatal(err)
	}
	if err := asB.send(reg); err != nil {
		t.Fatal(err)
	}
	if rc := asB.receipt(t); rc.Code != wire.CodeAccepted {
		t.Fatalf("sent by the receiver: %s %s", rc.Code, rc.Reason)
	}
}

func TestTowerRefusesAnotherChainOrContract(t *testing.T) {
	chain := newFakeChain()
	tw := startTestTower(t, chain, Config{})
	b := newParty(t)
	ts, err := dialTower(t, clientHost(t, b.key), tw, &wire.Hello{Version: wire.Version, ChainID: big.NewInt(1), Contract: chain.domain.Contract})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.r.Read(); err == nil {
		t.Fatal("the tower kept a stream of another chain open")
	}
	if got := counterValue(t, tw.metrics.streams.WithLabelValues(reasonWrongDomain)); got != 1 {
		t.Fatalf("wrong-domain refusals %v, want 1", got)
	}
}

func TestTowerDropsMalformedFramesAndBansRepeatOffenders(t *testing.T) {
	chain := newFakeChain()
	tw := startTestTower(t, chain, Config{MaxRefusals: 3})
	mallory := newParty(t)
	h := clientHost(t, mallory.key)
	hello := &wire.Hello{Version: wire.Version, ChainID: chain.domain.ChainID, Contract: chain.domain.Contract}
	frames := [][]byte{
		{0x03, 0xc2, 0x09, 0xc0},               // unknown message type 9
		{0x02, 0xc1, 0x02},                     // Register without a body
		{0xff, 0xff, 0x03},                     // 64 KiB announced
		append([]byte{0x05}, 0xc4, 1, 2, 3, 4), // Hello with a body that is not a list
	}
	for i, f := range frames {
		ts, err := dialTower(t, h, tw, hello)
		if err != nil {
			if i >= 3 {
				break // banned: the stream is refused
			}
			t.Fatalf("frame %d: dial: %v", i, err)
		}
		if _, err := ts.st.Write(f); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.r.Read(); err == nil || errors.Is(err, wire.ErrMalformed) {
			t.Fatalf("frame %d: tower answered (%v), want the stream closed", i, err)
		}
	}
	if got := counterValue(t, tw.metrics.streams.WithLabelValues(reasonMalformed)); got < 3 {
		t.Fatalf("malformed frames counted %v, want >= 3", got)
	}
	if _, err := dialTower(t, h, tw, hello); err == nil {
		t.Fatal("a banned client still got a stream")
	}
	if got := counterValue(t, tw.metrics.streams.WithLabelValues(reasonBanned)); got < 1 {
		t.Fatalf("banned streams counted %v", got)
	}
}

func TestTowerRateLimitsAClient(t *testing.T) {
	chain := newFakeChain()
	tw := startTestTower(t, chain, Config{RegisterRate: 0.001, RegisterBurst: 2})
	a, b := newParty(t), newParty(t)
	id := channel.ID{1}
	chain.set(id, openView(a, b))
	ts, err := dialTower(t, clientHost(t, b.key), tw, &wire.Hello{Version: wire.Version, ChainID: chain.domain.ChainID, Contract: chain.domain.Contract})
	if err != nil {
		t.Fatal(err)
	}
	var codes []wire.Code
	for n := uint64(1); n <= 3; n++ {
		if err := ts.send(registration(t, chain.Domain(), id, n, 1, a, b)); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, ts.receipt(t).Code)
	}
	if codes[0] != wire.CodeAccepted || codes[1] != wire.CodeAccepted || codes[2] != wire.CodeRateLimited {
		t.Fatalf("codes %v, want accepted, accepted, rate_limited", codes)
	}
	if got, _ := held(t, tw, id, channel.PartyA); got != 2 {
		t.Fatalf("holds nonce %d after a rate-limited registration, want 2", got)
	}
}

// timeNowPlus is a test stream's deadline.
func timeNowPlus() time.Time { return time.Now().Add(30 * time.Second) }

// Close ends client streams, the follower and a defense whose transaction never gets
// mined, and returns.
func TestTowerCloseStopsEverything(t *testing.T) {
	chain := newFakeChain()
	chain.hang = true
	key := newParty(t).key
	tw, err := New(Config{Key: key, DataDir: t.TempDir(), Chain: chain, PollInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Start(); err != nil {
		t.Fatal(err)
	}
	id, a, b := guardedChannel(t, chain, tw, 1)
	ts, err := dialTower(t, clientHost(t, b.key), tw, &wire.Hello{Version: wire.Version, ChainID: chain.domain.ChainID, Contract: chain.domain.Contract})
	if err != nil {
		t.Fatal(err)
	}
	chain.closeChannel(id, a.addr, 3600)
	waitUntil(t, "the defense in flight", func() bool { return tw.inflight(id) })

	done := make(chan error, 1)
	go func() { done <- tw.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return with a stream open and a defense in flight")
	}
	if _, err := ts.r.Read(); err == nil {
		t.Fatal("the client stream survived Close")
	}
	if tw.inflight(id) {
		t.Fatal("the defense goroutine outlived Close")
	}
}
