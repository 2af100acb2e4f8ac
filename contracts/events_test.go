package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// TestEventsDecodesEveryContractEvent drives one channel through every event the
// contract emits, including a payout a contract participant refuses (Credited) and
// claims later (Claimed), and checks each typed event and where it was mined.
func TestEventsDecodesEveryContractEvent(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	a, b := w.clients[1], w.clients[2]
	var txs []common.Hash
	must := func(rec *types.Receipt, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		txs = append(txs, rec.TxHash)
	}
	id, rec, err := a.Open(w.ctx, b.Address(), common.Address{}, ether(4), 600)
	must(rec, err)
	must(b.Deposit(w.ctx, id, b.Address(), ether(2)))
	wd := channel.Withdrawal{Channel: id, Participant: a.Address(), TotalWithdrawn: ether(1), Expiry: w.headTime() + 600}
	must(a.Withdraw(w.ctx, wd, w.signWithdrawal(1, wd), w.signWithdrawal(2, wd)))
	fromB := w.signProof(2, channel.BalanceProof{Channel: id, Nonce: 1, Transferred: ether(1)})
	must(a.Close(w.ctx, id, &fromB))
	fromA := w.signProof(1, channel.BalanceProof{Channel: id, Nonce: 2, Transferred: ether(2)})
	must(b.UpdateProof(w.ctx, fromA))
	if err := w.chain.AdjustTime(601 * time.Second); err != nil {
		t.Fatal(err)
	}
	must(b.Settle(w.ctx, id))

	// A contract participant that refuses ETH gets its payout credited, then claims it.
	rr := testbindings.NewRejectingReceiver()
	dep, err := a.send(w.ctx, nil, append(common.FromHex(testbindings.RejectingReceiverMetaData.Bin), rr.PackConstructor(a.Contract())...), nil)
	if err != nil {
		t.Fatal(err)
	}
	depRec, err := a.waitSuccess(w.ctx, dep)
	if err != nil {
		t.Fatal(err)
	}
	receiver := depRec.ContractAddress
	openData, err := a.channels.TryPackOpen(b.Address(), common.Address{}, ether(1), 1)
	if err != nil {
		t.Fatal(err)
	}
	rec, err = a.transact(w.ctx, receiver, rr.PackForward(openData), ether(1))
	must(rec, err)
	var id2 channel.ID
	for _, l := range rec.Logs {
		if ev, err := a.channels.UnpackChannelOpenedEvent(l); err == nil {
			id2 = ev.Id
		}
	}
	must(b.Close(w.ctx, id2, nil))
	if err := w.chain.AdjustTime(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	must(b.Settle(w.ctx, id2))
	if _, err := a.transact(w.ctx, receiver, rr.PackSetAccepting(true), nil); err != nil {
		t.Fatal(err)
	}
	rec, err = a.transact(w.ctx, receiver, rr.PackForward(a.channels.PackClaim(common.Address{})), nil)
	must(rec, err)

	page, err := b.Events(w.ctx, 0, 0)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	if !page.CaughtUp {
		t.Fatal("a short chain was not scanned in one call")
	}
	want := []Event{
		ChannelOpened{ID: id, A: a.Address(), B: b.Address(), Deposit: ether(4), ChallengePeriod: 600},
		Deposited{ID: id, Participant: b.Address(), Amount: ether(2), TotalDeposit: ether(2)},
		Withdrawn{ID: id, Participant: a.Address(), Amount: ether(1), TotalWithdrawn: ether(1)},
		ChannelClosed{ID: id, Closer: a.Address(), Nonce: 1, Transferred: ether(1)},
		ProofUpdated{ID: id, Signer: a.Address(), Nonce: 2, Transferred: ether(2)},
		// balA = 4 - 1 - 2 + 1 = 2; balB = 5 - 2 = 3
		ChannelSettled{ID: id, BalanceA: ether(2), BalanceB: ether(3)},
		ChannelOpened{ID: id2, A: receiver, B: b.Address(), Deposit: ether(1), ChallengePeriod: 1},
		ChannelClosed{ID: id2, Closer: b.Address(), Transferred: new(big.Int)},
		ChannelSettled{ID: id2, BalanceA: ether(1), BalanceB: new(big.Int)},
		Credited{Account: receiver, Amount: ether(1)},
		Claimed{Account: receiver, Amount: ether(1)},
	}
	if len(page.Events) != len(want) {
		t.Fatalf("%d events, want %d:\n%s", len(page.Events), len(want), describe(page.Events))
	}
	txOf := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9}
	for i, ev := range page.Events {
		if got, exp := stripMeta(ev), want[i]; fmt.Sprint(got) != fmt.Sprint(exp) {
			t.Errorf("event %d = %+v, want %+v", i, got, exp)
		}
		if ev.Meta().TxHash != txs[txOf[i]] {
			t.Errorf("event %d in tx %s, want %s", i, ev.Meta().TxHash, txs[txOf[i]])
		}
		if i > 0 {
			p, m := page.Events[i-1].Meta(), ev.Meta()
			if m.Block < p.Block || (m.Block == p.Block && m.LogIndex <= p.LogIndex) {
				t.Errorf("event %d at %d/%d not after %d/%d", i, m.Block, m.LogIndex, p.Block, p.LogIndex)
			}
		}
	}
}

// stripMeta zeroes an event's position and the fields set by time (SettleAfter), so
// the rest compares by value.
func stripMeta(ev Event) Event {
	switch e := ev.(type) {
	case ChannelOpened:
		e.EventMeta = EventMeta{}
		return e
	case Deposited:
		e.EventMeta = EventMeta{}
		return e
	case Withdrawn:
		e.EventMeta = EventMeta{}
		return e
	case ChannelClosed:
		e.EventMeta, e.SettleAfter = EventMeta{}, 0
		return e
	case ProofUpdated:
		e.EventMeta = EventMeta{}
		return e
	case ChannelSettled:
		e.EventMeta = EventMeta{}
		return e
	case Claimed:
		e.EventMeta = EventMeta{}
		return e
	case Credited:
		e.EventMeta = EventMeta{}
		return e
	}
	return ev
}

func describe(evs []Event) string {
	s := ""
	for _, e := range evs {
		s += fmt.Sprintf("  %T %+v\n", e, stripMeta(e))
	}
	return s
}

// spreadDeposits opens a channel and makes n deposits, each mined in its own block with
// an empty block after it, and returns the number of events made.
func spreadDeposits(t *testing.T, w *world, n int) int {
	t.Helper()
	id := w.open(1, 2, ether(1), 60)
	for range n {
		if _, err := w.clients[2].Deposit(w.ctx, id, w.addr(2), big.NewInt(1)); err != nil {
			t.Fatal(err)
		}
		w.chain.Commit()
	}
	return n + 1
}

func TestEventsPagesAcrossManyBlocksAndHoldsBackUnconfirmed(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{LogPageBlocks: 3, MaxScanBlocks: 10})
	total := spreadDeposits(t, w, 20)
	c := w.clients[3]
	head, err := c.Head(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	const confirmations = 5
	var got []Event
	var calls int
	from := uint64(0)
	for {
		page, err := c.Events(w.ctx, from, confirmations)
		if err != nil {
			t.Fatal(err)
		}
		calls++
		if page.Next-from > 10 {
			t.Fatalf("one call scanned %d blocks, MaxScanBlocks is 10", page.Next-from)
		}
		for _, ev := range page.Events {
			if ev.Meta().Block > head.Number-confirmations {
				t.Fatalf("event in block %d returned with head %d and %d confirmations", ev.Meta().Block, head.Number, confirmations)
			}
		}
		got = append(got, page.Events...)
		from = page.Next
		if page.CaughtUp {
			if page.SafeHead != head.Number-confirmations || page.Next != page.SafeHead+1 {
				t.Fatalf("caught up at next %d, safe head %d; head %d", page.Next, page.SafeHead, head.Number)
			}
			break
		}
	}
	if calls < 4 {
		t.Fatalf("%d calls for %d blocks at 10 per call", calls, head.Number)
	}
	// Confirm the held-back blocks and resume from the cursor: no event lost or repeated.
	for range confirmations {
		w.chain.Commit()
	}
	page, err := c.Events(w.ctx, from, confirmations)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, page.Events...)
	if len(got) != total {
		t.Fatalf("%d events, want %d", len(got), total)
	}
	seen := make(map[EventMeta]bool)
	for _, ev := range got {
		if seen[ev.Meta()] {
			t.Fatalf("event %+v returned twice", ev.Meta())
		}
		seen[ev.Meta()] = true
	}
}

func TestEventsBeforeEnoughConfirmationsIsEmptyAndCaughtUp(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	page, err := w.clients[1].Events(w.ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 0 || !page.CaughtUp || page.Next != 0 {
		t.Fatalf("page %+v, want empty, caught up, next 0", page)
	}
}

// refusingBackend is the dev chain's client with a log query limit like a provider's:
// ranges wider than maxRange blocks are refused.
type refusingBackend struct {
	Backend
	maxRange uint64
	failWith error

	mu       sync.Mutex
	refused  int
	accepted [][2]uint64
}

func (b *refusingBackend) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	from, to := q.FromBlock.Uint64(), q.ToBlock.Uint64()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failWith != nil {
		return nil, b.failWith
	}
	if to-from+1 > b.maxRange {
		b.refused++
		return nil, errors.New("query returned more than 10000 results")
	}
	b.accepted = append(b.accepted, [2]uint64{from, to})
	return b.Backend.FilterLogs(ctx, q)
}

func TestEventsHalvesPageWhenNodeRefusesRange(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	total := spreadDeposits(t, w, 12)
	rb := &refusingBackend{Backend: w.chain.Client(), maxRange: 4}
	c, err := New(w.ctx, rb, w.chain.Contract(), w.chain.Accounts()[3].Key, Options{LogPageBlocks: 64})
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.Events(w.ctx, 0, 0)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	if len(page.Events) != total || !page.CaughtUp {
		t.Fatalf("%d events (caught up %v), want %d", len(page.Events), page.CaughtUp, total)
	}
	if rb.refused == 0 {
		t.Fatal("the node never refused a range; the test did not exercise shrinking")
	}
	next := uint64(0)
	for _, r := range rb.accepted {
		if r[0] != next || r[1]-r[0]+1 > 4 {
			t.Fatalf("accepted ranges %v: gap, overlap or over the limit", rb.accepted)
		}
		next = r[1] + 1
	}
	if next != page.Next {
		t.Fatalf("scanned up to %d, page says next %d", next, page.Next)
	}

	rb.failWith = errors.New("connection reset by peer")
	if _, err := c.EventsInRange(w.ctx, 0, 3); err == nil || !errors.Is(err, rb.failWith) {
		t.Fatalf("other log errors: %v, want the node's error wrapped", err)
	}
}

func TestIsTooManyResults(t *testing.T) {
	tests := []struct {
		msg  string
		want bool
	}{
		{"query returned more than 10000 results", true},
		{"Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range", true},
		{"exceed maximum block range: 5000", true},
		{"block range extends beyond current head block", false},
		{"connection refused", false},
		{"execution reverted", false},
	}
	for _, tt := range tests {
		if got := isTooManyResults(errors.New(tt.msg)); got != tt.want {
			t.Errorf("isTooManyResults(%q) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}
