package api

import (
	"context"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// fakeBackend is an in-memory Backend: it records what the API asked for, answers with
// canned views, fails with err when set, and fans events out to subscribers.
type fakeBackend struct {
	mu         sync.Mutex
	err        error
	lastOpen   node.OpenRequest
	lastPay    node.PayRequest
	lastAmount *big.Int
	lastID     channel.ID
	lastForce  bool
	lastKey    string
	lastFilter node.ChannelFilter
	lastQuery  node.PaymentQuery
	blocking   bool           // Info waits for its context to end
	repeat     bool           // Pay answers as a repeat of an earlier call
	status     channel.Status // overrides the status Channel reports when set
	settleAt   time.Time
	paySubs    map[int]chan<- node.PaymentView
	eventSubs  map[int]chan<- node.ChannelEvent
	nextSub    int
	channels   []node.ChannelView // Channels answers these when set
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{paySubs: map[int]chan<- node.PaymentView{}, eventSubs: map[int]chan<- node.ChannelEvent{}}
}

var (
	testAlice   = common.HexToAddress("0x00000000000000000000000000000000000a11ce")
	testBob     = common.HexToAddress("0x0000000000000000000000000000000000000b0b")
	testChainID = big.NewInt(31337)
	testDomain  = channel.Domain{ChainID: testChainID, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
	testChannel = channel.ID{0xab, 0xcd}
)

func testProof(id channel.ID, nonce uint64, transferred int64) channel.SignedProof {
	p := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: id, Nonce: nonce, Transferred: big.NewInt(transferred)}}
	p.Sig[0], p.Sig[64] = 0x11, 27
	return p
}

func testChannelView(id channel.ID) node.ChannelView {
	return node.ChannelView{
		ID: id, Domain: testDomain, Participants: [2]common.Address{testAlice, testBob},
		Us: channel.PartyA, ChallengePeriod: 3600, Status: channel.StatusOpen,
		Deposit:   [2]*big.Int{big.NewInt(1000), big.NewInt(0)},
		Withdrawn: [2]*big.Int{big.NewInt(0), big.NewInt(0)},
		Balance:   [2]*big.Int{big.NewInt(900), big.NewInt(100)},
		Sent:      [2]channel.SignedProof{testProof(id, 3, 100), {}},
		Payments:  3,
	}
}

func testPaymentView(id channel.ID, nonce uint64) node.PaymentView {
	return node.PaymentView{
		PaymentID: [16]byte{byte(nonce)}, Channel: id, Direction: node.Outgoing,
		Amount: big.NewInt(10), Proof: testProof(id, nonce, int64(10*nonce)),
		Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Memo: "coffee", Latency: 1500 * time.Microsecond,
	}
}

func (f *fakeBackend) block() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.blocking = true
}

func (f *fakeBackend) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeBackend) failure() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *fakeBackend) Info(ctx context.Context) (node.NodeInfo, error) {
	f.mu.Lock()
	blocking := f.blocking
	f.mu.Unlock()
	if blocking {
		<-ctx.Done()
		return node.NodeInfo{}, fmt.Errorf("node info: %w", ctx.Err())
	}
	if err := f.failure(); err != nil {
		return node.NodeInfo{}, err
	}
	return node.NodeInfo{Address: testAlice, PeerID: "16Uiu2HAm", ChainID: testChainID, Contract: testDomain.Contract, Version: "test"}, nil
}

func (f *fakeBackend) OpenChannel(ctx context.Context, req node.OpenRequest) (node.ChannelView, error) {
	f.mu.Lock()
	f.lastOpen = req
	f.mu.Unlock()
	if err := f.failure(); err != nil {
		return node.ChannelView{}, err
	}
	return testChannelView(testChannel), nil
}

func (f *fakeBackend) txCall(id channel.ID, amount *big.Int) (node.TxResult, error) {
	f.mu.Lock()
	f.lastID, f.lastAmount = id, amount
	f.mu.Unlock()
	if err := f.failure(); err != nil {
		return node.TxResult{}, err
	}
	return node.TxResult{TxHash: common.Hash{1}, Block: 7, GasUsed: 50000}, nil
}

func (f *fakeBackend) DepositWithKey(ctx context.Context, id channel.ID, amount *big.Int, key string) (node.TxResult, error) {
	f.mu.Lock()
	f.lastKey = key
	f.mu.Unlock()
	return f.txCall(id, amount)
}

func (f *fakeBackend) Withdraw(ctx context.Context, id channel.ID, amount *big.Int) (node.TxResult, error) {
	return f.txCall(id, amount)
}

func (f *fakeBackend) Pay(ctx context.Context, req node.PayRequest) (node.PaymentView, error) {
	f.mu.Lock()
	f.lastPay = req
	repeat := f.repeat
	f.mu.Unlock()
	if err := f.failure(); err != nil {
		return node.PaymentView{}, err
	}
	p := testPaymentView(req.Channel, 4)
	p.PaymentID, p.Amount, p.Memo, p.Repeat = req.PaymentID, req.Amount, req.Memo, repeat
	return p, nil
}

func (f *fakeBackend) Channels(ctx context.Context, filter node.ChannelFilter) ([]node.ChannelView, error) {
	f.mu.Lock()
	f.lastFilter = filter
	f.mu.Unlock()
	if err := f.failure(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.channels != nil {
		return f.channels, nil
	}
	return []node.ChannelView{testChannelView(testChannel)}, nil
}

func (f *fakeBackend) Channel(ctx context.Context, id channel.ID) (node.ChannelView, error) {
	f.mu.Lock()
	f.lastID = id
	status, settleAt := f.status, f.settleAt
	f.mu.Unlock()
	v := testChannelView(id)
	if status != channel.StatusNone {
		// A channel in a scripted state answers even while other calls fail.
		v.Status = status
		if !settleAt.IsZero() {
			v.SettleAfter = uint64(settleAt.Unix())
		}
		return v, nil
	}
	if err := f.failure(); err != nil {
		return node.ChannelView{}, err
	}
	return v, nil
}

func (f *fakeBackend) closing(status channel.Status, settleAt time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.settleAt = status, settleAt
}

func (f *fakeBackend) Payments(ctx context.Context, q node.PaymentQuery) (node.PaymentPage, error) {
	f.mu.Lock()
	f.lastQuery = q
	f.mu.Unlock()
	if err := f.failure(); err != nil {
		return node.PaymentPage{}, err
	}
	return node.PaymentPage{Payments: []node.PaymentView{testPaymentView(testChannel, 1), testPaymentView(testChannel, 2)}, Next: "cursor-2"}, nil
}

func (f *fakeBackend) CloseChannel(ctx context.Context, id channel.ID, force bool) (node.CloseResult, error) {
	f.mu.Lock()
	f.lastID, f.lastForce = id, force
	f.mu.Unlock()
	if err := f.failure(); err != nil {
		return node.CloseResult{}, err
	}
	return node.CloseResult{TxResult: node.TxResult{TxHash: common.Hash{2}}, Cooperative: !force, Balances: [2]*big.Int{big.NewInt(900), big.NewInt(100)}}, nil
}

func (f *fakeBackend) Settle(ctx context.Context, id channel.ID) (node.TxResult, error) {
	return f.txCall(id, nil)
}

func (f *fakeBackend) SubscribePayments(ch chan<- node.PaymentView) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextSub
	f.nextSub++
	f.paySubs[id] = ch
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.paySubs, id)
	}
}

func (f *fakeBackend) SubscribeChannelEvents(ch chan<- node.ChannelEvent) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextSub
	f.nextSub++
	f.eventSubs[id] = ch
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.eventSubs, id)
	}
}

func (f *fakeBackend) subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.paySubs) + len(f.eventSubs)
}

func (f *fakeBackend) emitPayment(p node.PaymentView) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.paySubs {
		ch <- p
	}
}

func (f *fakeBackend) emitEvent(e node.ChannelEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.eventSubs {
		ch <- e
	}
}

// statsSubscribers is the payment subscription the running server itself holds to feed
// sluice_paymentStats; Stop detaches it like every other.
const statsSubscribers = 1
