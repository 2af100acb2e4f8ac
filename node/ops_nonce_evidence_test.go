package node

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sluicepay/sluice/channel"
)

// ADR 0042: "nonce taken" is decided from the block where our account's nonce passed
// the transaction's, never from how long receipts have been missing.

// receiptsLagChain serves every receipt lag after its transaction is first seen mined,
// as a load-balanced RPC provider can whose receipt backend trails the backend that
// answers our account's nonce by a block (12 s on mainnet) or more.
type receiptsLagChain struct {
	Chain
	lag   time.Duration
	mu    sync.Mutex
	mined map[common.Hash]time.Time
}

func (c *receiptsLagChain) Track(ctx context.Context, tx SignedTx, replaced []common.Hash) (TxStatus, error) {
	st, err := c.Chain.Track(ctx, tx, replaced)
	if err != nil || !st.Mined {
		return st, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	first, seen := c.mined[st.Receipt.TxHash]
	if !seen {
		first = time.Now()
		c.mined[st.Receipt.TxHash] = first
	}
	if time.Since(first) < c.lag {
		return TxStatus{NonceTaken: true}, nil
	}
	return st, nil
}

// TestOpenIsNotSignedAgainWhileItsReceiptLagsTenSeconds: with receipts 10 s behind the
// nonce (longer than the 2 s the op runner used to wait), the open was signed again and
// the escrow took its deposit twice. The block where the nonce passed holds our open.
func TestOpenIsNotSignedAgainWhileItsReceiptLagsTenSeconds(t *testing.T) {
	tn := newTestNet(t)
	lag := &receiptsLagChain{lag: 10 * time.Second, mined: map[common.Hash]time.Time{}}
	a := tn.startNode(1, nodeOpts{wrapChain: func(c Chain) Chain { lag.Chain = c; return lag }})
	b := tn.startNode(2, nodeOpts{})
	before := escrowOf(t, tn)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	if _, err := a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, b), Deposit: big.NewInt(1000), ChallengePeriod: time.Hour}); err != nil {
		t.Errorf("open: %v", err)
	}
	if n := metricValue(t, a.metrics.txResigned); n != 0 {
		t.Errorf("re-signed %v transactions; none had its nonce taken", n)
	}
	time.Sleep(time.Second) // a second open, if one was signed, is mined by now
	if got := new(big.Int).Sub(escrowOf(t, tn), before); got.Int64() != 1000 {
		t.Fatalf("the escrow took %s wei for one open of 1000", got)
	}
	chans, err := a.Channels(context.Background(), ChannelFilter{})
	if err != nil || len(chans) != 1 {
		t.Fatalf("the wallet has %d channels (%v), want 1", len(chans), err)
	}
}

// dropFirstBroadcast loses the first transaction the node broadcasts, every time it is
// sent, as a pool that evicted it would; the test then uses its nonce from outside.
type dropFirstBroadcast struct {
	Chain
	mu      sync.Mutex
	dropped *SignedTx
	ready   chan struct{}
}

func (c *dropFirstBroadcast) Broadcast(ctx context.Context, tx SignedTx) error {
	c.mu.Lock()
	if c.dropped == nil {
		c.dropped = &tx
		close(c.ready)
	}
	drop := c.dropped.Hash == tx.Hash
	c.mu.Unlock()
	if drop {
		return nil
	}
	return c.Chain.Broadcast(ctx, tx)
}

// blocksRefused is a backend that answers our nonce at any height but refuses blocks,
// as a provider whose backends are pruned or behind can.
type blocksRefused struct {
	*ethclient.Client
	refuse atomic.Bool
}

func (b *blocksRefused) BlockByNumber(ctx context.Context, number *big.Int) (*types.Block, error) {
	if b.refuse.Load() {
		return nil, errors.New("block not available")
	}
	return b.Client.BlockByNumber(ctx, number)
}

// takeNonceOutside sends a plain transfer with account i's key and the dropped
// transaction's nonce, as the operator's other wallet would, and returns once it is mined.
func takeNonceOutside(t *testing.T, tn *testNet, i int, dropped SignedTx) {
	t.Helper()
	var orig types.Transaction
	if err := orig.UnmarshalBinary(dropped.Raw); err != nil {
		t.Fatal(err)
	}
	cl := tn.chain.Client()
	to := tn.chain.Accounts()[9].Address
	tx, err := types.SignNewTx(tn.chain.Accounts()[i].Key, types.LatestSignerForChainID(tn.chain.ChainID()), &types.DynamicFeeTx{
		ChainID: tn.chain.ChainID(), Nonce: orig.Nonce(), GasTipCap: orig.GasTipCap(), GasFeeCap: orig.GasFeeCap(),
		Gas: 21000, To: &to, Value: big.NewInt(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.SendTransaction(context.Background(), tx); err != nil {
		t.Fatalf("outside transaction: %v", err)
	}
	waitFor(t, "the outside transaction mined", func() bool {
		r, err := cl.TransactionReceipt(context.Background(), tx.Hash())
		return err == nil && r != nil
	})
}

type openResult struct {
	err error
	at  time.Time
}

func openAsync(t *testing.T, a, b *Node) <-chan openResult {
	t.Helper()
	peer := addrOf(t, b)
	done := make(chan openResult, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
		defer cancel()
		_, err := a.OpenChannel(ctx, OpenRequest{Peer: peer, Deposit: big.NewInt(1000), ChallengePeriod: time.Hour})
		done <- openResult{err, time.Now()}
	}()
	return done
}

// TestOpenWhoseNonceAnotherTransactionTookIsSignedAgainPromptly: the key is used outside
// the node while its open is pending. The block where the nonce passed holds the outside
// transaction, so the open is signed again at once (the old rule waited 2 s) and
// executes once.
func TestOpenWhoseNonceAnotherTransactionTookIsSignedAgainPromptly(t *testing.T) {
	tn := newTestNet(t)
	drop := &dropFirstBroadcast{ready: make(chan struct{})}
	a := tn.startNode(1, nodeOpts{wrapChain: func(c Chain) Chain { drop.Chain = c; return drop }})
	b := tn.startNode(2, nodeOpts{})
	before := escrowOf(t, tn)
	done := openAsync(t, a, b)
	<-drop.ready
	takeNonceOutside(t, tn, 1, *drop.dropped)
	taken := time.Now()
	waitFor(t, "the open signed again", func() bool { return metricValue(t, a.metrics.txResigned) > 0 })
	resigned := time.Since(taken)
	if resigned >= 2*time.Second {
		t.Errorf("the open was signed again %v after its nonce was taken; want it at once", resigned)
	}
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatalf("open: %v", res.err)
		}
		t.Logf("signed again %v and mined %v after the nonce was taken", resigned.Round(time.Millisecond), res.at.Sub(taken).Round(time.Millisecond))
	case <-time.After(30 * time.Second):
		t.Fatal("the open never completed")
	}
	if n := metricValue(t, a.metrics.txResigned); n != 1 {
		t.Errorf("re-signed %v transactions, want 1", n)
	}
	time.Sleep(500 * time.Millisecond)
	if got := new(big.Int).Sub(escrowOf(t, tn), before); got.Int64() != 1000 {
		t.Fatalf("the escrow took %s wei for one open of 1000", got)
	}
}

// TestNonceTakenIsNotActedOnWhileTheBlockCannotBeRead: the nonce is really taken, but
// the backend serves the count and not the block: nothing proves whose transaction used
// the nonce, so the open is not signed again until the block can be read.
func TestNonceTakenIsNotActedOnWhileTheBlockCannotBeRead(t *testing.T) {
	tn := newTestNet(t)
	backend := &blocksRefused{Client: tn.chain.Client()}
	backend.refuse.Store(true)
	drop := &dropFirstBroadcast{ready: make(chan struct{})}
	a := tn.startNode(1, nodeOpts{backend: backend, wrapChain: func(c Chain) Chain { drop.Chain = c; return drop }})
	b := tn.startNode(2, nodeOpts{})
	before := escrowOf(t, tn)
	done := openAsync(t, a, b)
	<-drop.ready
	takeNonceOutside(t, tn, 1, *drop.dropped)
	select {
	case res := <-done:
		t.Fatalf("the open ended (%v) while no block showed who used its nonce", res.err)
	case <-time.After(3 * time.Second):
	}
	if n := metricValue(t, a.metrics.txResigned); n != 0 {
		t.Fatalf("re-signed %v transactions without the block that shows the nonce taken", n)
	}
	backend.refuse.Store(false)
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatalf("open: %v", res.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the open never completed once the block could be read")
	}
	if n := metricValue(t, a.metrics.txResigned); n != 1 {
		t.Errorf("re-signed %v transactions, want 1", n)
	}
	time.Sleep(500 * time.Millisecond)
	if got := new(big.Int).Sub(escrowOf(t, tn), before); got.Int64() != 1000 {
		t.Fatalf("the escrow took %s wei for one open of 1000", got)
	}
}

// dropArmedBroadcast drops the first broadcast made once armed (the close below, not the
// open before it).
type dropArmedBroadcast struct {
	dropFirstBroadcast
	armed atomic.Bool
}

func (c *dropArmedBroadcast) Broadcast(ctx context.Context, tx SignedTx) error {
	if !c.armed.Load() {
		return c.dropFirstBroadcast.Chain.Broadcast(ctx, tx)
	}
	return c.dropFirstBroadcast.Broadcast(ctx, tx)
}

// TestCloseWhoseNonceIsTakenIsSignedAgainWithoutTheBlock: the evidence rule would leave
// a defense waiting for as long as the RPC does not serve the block where its nonce was
// used (pruned or lagging backends), possibly past the challenge period. A close, a
// proof update, a settle, a withdrawal or an unlock cannot execute twice, so it is
// signed again without that block; only an open or a deposit waits for it.
func TestCloseWhoseNonceIsTakenIsSignedAgainWithoutTheBlock(t *testing.T) {
	tn := newTestNet(t)
	backend := &blocksRefused{Client: tn.chain.Client()}
	backend.refuse.Store(true)
	drop := &dropArmedBroadcast{dropFirstBroadcast: dropFirstBroadcast{ready: make(chan struct{})}}
	a := tn.startNode(1, nodeOpts{backend: backend, wrapChain: func(c Chain) Chain { drop.Chain = c; return drop }})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(1000), nil, time.Hour)
	drop.armed.Store(true)
	done := make(chan error, 1)
	go func() {
		_, err := a.CloseChannel(context.Background(), id, true)
		done <- err
	}()
	<-drop.ready
	takeNonceOutside(t, tn, 1, *drop.dropped)
	taken := time.Now()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("close: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the close never completed while the block that used its nonce was not served")
	}
	if took := time.Since(taken); took > 5*time.Second {
		t.Errorf("the close completed %v after its nonce was taken", took)
	}
	if n := metricValue(t, a.metrics.txResigned); n != 1 {
		t.Errorf("re-signed %v transactions, want 1", n)
	}
	if st := channelStatus(a, id); st != channel.StatusClosing {
		t.Fatalf("channel %s after the close", st)
	}
}
