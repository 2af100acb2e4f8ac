package p2p

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"log/slog"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	ethcrypto "github.com/ethereum/go-ethereum/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/sluicepay/sluice/channel"
)

var (
	testChainID  = big.NewInt(31337)
	testContract = common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")
)

type received struct {
	from common.Address
	msg  Message
}

// testHandler records peer events on channels; onMessage, if set, replaces the
// default of queueing messages on msgs.
type testHandler struct {
	onMessage    func(from common.Address, m Message)
	msgs         chan received
	connected    chan common.Address
	disconnected chan common.Address
}

func newTestHandler() *testHandler {
	return &testHandler{
		msgs:         make(chan received, 4096),
		connected:    make(chan common.Address, 64),
		disconnected: make(chan common.Address, 64),
	}
}

func (h *testHandler) PeerConnected(p common.Address)    { h.connected <- p }
func (h *testHandler) PeerDisconnected(p common.Address) { h.disconnected <- p }
func (h *testHandler) HandleMessage(from common.Address, m Message) {
	if h.onMessage != nil {
		h.onMessage(from, m)
		return
	}
	h.msgs <- received{from, m}
}

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type testNode struct {
	*Transport
	key *ecdsa.PrivateKey
	h   *testHandler
	log *syncBuffer
	cfg Config
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ethcrypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// startNode starts a transport on loopback; edit adjusts the config first.
func startNode(t testing.TB, edit func(*Config)) *testNode {
	t.Helper()
	n := &testNode{key: newKey(t), h: newTestHandler(), log: &syncBuffer{}}
	n.cfg = Config{
		Key:            n.key,
		ChainID:        testChainID,
		Contract:       testContract,
		Handler:        n.h,
		Logger:         slog.New(slog.NewTextHandler(n.log, &slog.HandlerOptions{Level: slog.LevelInfo})),
		DialBackoffMin: 50 * time.Millisecond,
		DialBackoffMax: 500 * time.Millisecond,
	}
	if edit != nil {
		edit(&n.cfg)
	}
	n.key = n.cfg.Key
	tr, err := New(n.cfg)
	if err != nil {
		t.Fatalf("start node: %v", err)
	}
	n.Transport = tr
	t.Cleanup(func() { tr.Close() })
	return n
}

func (n *testNode) info() peer.AddrInfo {
	return peer.AddrInfo{ID: n.ID(), Addrs: n.host.Addrs()}
}

func connect(t testing.TB, from, to *testNode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := from.Connect(ctx, to.info()); err != nil {
		t.Fatalf("connect %s -> %s: %v", from.Address(), to.Address(), err)
	}
	waitFor(t, to.h.connected, from.Address(), "PeerConnected on the dialed side")
	waitFor(t, from.h.connected, to.Address(), "PeerConnected on the dialing side")
}

func waitFor(t testing.TB, ch chan common.Address, want common.Address, what string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case got := <-ch:
			if got == want {
				return
			}
		case <-deadline:
			t.Fatalf("timed out waiting for %s of %s", what, want)
		}
	}
}

func nextMessage(t testing.TB, h *testHandler) received {
	t.Helper()
	select {
	case r := <-h.msgs:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for a message")
		return received{}
	}
}

func payWithNonce(n uint64) *Pay {
	return &Pay{
		Proof: channel.SignedProof{
			BalanceProof: channel.BalanceProof{Channel: testID(1), Nonce: n, Transferred: new(big.Int).SetUint64(n * 1000)},
			Sig:          testSig(byte(n)),
		},
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
