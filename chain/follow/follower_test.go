package follow

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// fakeChain is a chain of blocks that a test can extend, reorganise and stall.
type fakeChain struct {
	mu     sync.Mutex
	blocks []Header
	logs   map[common.Hash][]testEvent // by block hash
	fork   byte                        // distinguishes the hashes of replacement branches
	stall  chan struct{}               // non-nil: every call blocks until it is closed or ctx ends
	calls  int
}

type testEvent struct {
	block uint64
	hash  common.Hash
	index uint
	key   common.Hash
	funds bool
	name  string
}

func (e testEvent) Position() (uint64, common.Hash, uint) { return e.block, e.hash, e.index }
func (e testEvent) Key() common.Hash                      { return e.key }
func (e testEvent) FundsIncreasing() bool                 { return e.funds }

func newFakeChain() *fakeChain {
	c := &fakeChain{logs: map[common.Hash][]testEvent{}}
	c.blocks = []Header{{Number: 0, Hash: common.Hash{0xff}}}
	return c
}

// mine appends a block carrying evs (their block and hash are filled in).
func (c *fakeChain) mine(evs ...testEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	parent := c.blocks[len(c.blocks)-1]
	n := parent.Number + 1
	h := common.Hash{c.fork, byte(n >> 8), byte(n)}
	c.blocks = append(c.blocks, Header{Number: n, Hash: h, Parent: parent.Hash, Time: 1000 + n})
	for i := range evs {
		evs[i].block, evs[i].hash, evs[i].index = n, h, uint(i)
	}
	c.logs[h] = evs
}

// reorg drops the newest depth blocks; the next mined blocks form a new branch.
func (c *fakeChain) reorg(depth int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.blocks = c.blocks[:len(c.blocks)-depth]
	c.fork++
}

func (c *fakeChain) wait(ctx context.Context) error {
	c.mu.Lock()
	c.calls++
	s := c.stall
	c.mu.Unlock()
	if s == nil {
		return nil
	}
	select {
	case <-s:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *fakeChain) Latest(ctx context.Context) (Header, error) {
	if err := c.wait(ctx); err != nil {
		return Header{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.blocks[len(c.blocks)-1], nil
}

func (c *fakeChain) Header(ctx context.Context, n uint64) (Header, error) {
	if err := c.wait(ctx); err != nil {
		return Header{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if n >= uint64(len(c.blocks)) {
		return Header{}, fmt.Errorf("no block %d", n)
	}
	return c.blocks[n], nil
}

func (c *fakeChain) Events(ctx context.Context, from, to uint64, _ []common.Hash) ([]testEvent, error) {
	if err := c.wait(ctx); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []testEvent
	for n := from; n <= to && n < uint64(len(c.blocks)); n++ {
		out = append(out, c.logs[c.blocks[n].Hash]...)
	}
	return out, nil
}

// recorder is a Sink that keeps a running balance per key: a funds event adds 1.
type recorder struct {
	applied   []string
	rolled    []string
	credit    map[common.Hash]int
	confirmed uint64
}

func (r *recorder) Apply(_ context.Context, ev testEvent) error {
	r.applied = append(r.applied, ev.name)
	if ev.funds {
		r.credit[ev.key]++
	}
	return nil
}

func (r *recorder) Rollback(_ context.Context, _ uint64, removed []testEvent) error {
	for _, ev := range removed {
		r.rolled = append(r.rolled, ev.name)
		if ev.funds {
			r.credit[ev.key]--
		}
	}
	return nil
}

func (r *recorder) Confirmed(_ context.Context, b uint64, _ common.Hash) error {
	r.confirmed = b
	return nil
}

func setup(conf uint64) (*fakeChain, *recorder, *Follower[testEvent]) {
	c := newFakeChain()
	r := &recorder{credit: map[common.Hash]int{}}
	f := New[testEvent](c, r, Start{}, Config{Confirmations: func() uint64 { return conf }, CallTimeout: 200 * time.Millisecond})
	return c, r, f
}

func poll(t *testing.T, f *Follower[testEvent]) {
	t.Helper()
	if err := f.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
}

var chanA = common.Hash{0xa}

func TestFundsEventsWaitForConfirmationsAndAReorgWithinThemCreditsNothing(t *testing.T) {
	c, r, f := setup(3)
	c.mine(testEvent{key: chanA, funds: true, name: "open"})
	for range 3 {
		c.mine()
	}
	poll(t, f)
	if r.credit[chanA] != 1 {
		t.Fatalf("open with 3 confirmations: credit %d, want 1", r.credit[chanA])
	}
	c.mine(testEvent{key: chanA, funds: true, name: "deposit"})
	c.mine()
	poll(t, f)
	if r.credit[chanA] != 1 {
		t.Fatalf("deposit with 1 confirmation credited: %d", r.credit[chanA])
	}
	c.reorg(2) // the deposit's block and the one above it
	for range 10 {
		c.mine()
		poll(t, f)
		if r.credit[chanA] != 1 {
			t.Fatalf("removed deposit credited: %d", r.credit[chanA])
		}
	}
	if len(r.rolled) != 0 {
		t.Fatalf("rolled back %v; nothing was delivered from the removed blocks", r.rolled)
	}
	if h := f.Health(); h.Reorgs != 1 || h.LastReorgDepth != 2 {
		t.Fatalf("health %+v, want one reorg of depth 2", h)
	}
}

func TestWithoutConfirmationsAReorgRollsBackWhatTheRemovedBlocksDelivered(t *testing.T) {
	c, r, f := setup(0)
	c.mine(testEvent{key: chanA, funds: true, name: "open"})
	poll(t, f)
	c.mine(testEvent{key: chanA, funds: true, name: "deposit"})
	c.mine(testEvent{key: chanA, name: "close"})
	c.mine()
	poll(t, f)
	if r.credit[chanA] != 2 {
		t.Fatalf("credit %d, want 2", r.credit[chanA])
	}
	c.reorg(3)
	c.mine(testEvent{key: chanA, name: "close again"})
	c.mine()
	c.mine()
	poll(t, f)
	if r.credit[chanA] != 1 {
		t.Fatalf("credit %d after the deposit's block was replaced, want 1", r.credit[chanA])
	}
	if fmt.Sprint(r.rolled) != "[deposit close]" {
		t.Fatalf("rolled back %v, want [deposit close]", r.rolled)
	}
	if last := r.applied[len(r.applied)-1]; last != "close again" {
		t.Fatalf("the new branch's close not applied: %v", r.applied)
	}
	if r.confirmed != 4 {
		t.Fatalf("confirmed %d, want the head 4", r.confirmed)
	}
}

// A close is acted on at once, but not before the open of its channel that still waits
// for confirmations.
func TestImmediateEventsQueueBehindTheirChannelsUnconfirmedOpen(t *testing.T) {
	c, r, f := setup(3)
	c.mine(testEvent{key: chanA, funds: true, name: "open"})
	c.mine(testEvent{key: chanA, name: "close"})
	c.mine(testEvent{key: common.Hash{0xb}, name: "other close"})
	poll(t, f)
	if fmt.Sprint(r.applied) != "[other close]" {
		t.Fatalf("applied %v, want only the other channel's close", r.applied)
	}
	c.mine()
	poll(t, f)
	if fmt.Sprint(r.applied) != "[other close open close]" {
		t.Fatalf("applied %v, want the open, then its close", r.applied)
	}
}

func TestAStalledChainIsReportedWithinTheDeadlineAndRecovers(t *testing.T) {
	c, _, f := setup(0)
	c.mine()
	poll(t, f)
	c.mu.Lock()
	c.stall = make(chan struct{})
	c.mu.Unlock()
	start := time.Now()
	err := f.Poll(context.Background())
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("poll of a stalled chain: %v, want a deadline error", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("poll took %s; the call deadline is 200ms", d)
	}
	h := f.Health()
	if h.RPCOK || h.LastError == "" {
		t.Fatalf("health %+v, want the RPC marked down with its error", h)
	}
	close(c.stall)
	c.mine()
	poll(t, f)
	if h := f.Health(); !h.RPCOK || h.Processed != 2 {
		t.Fatalf("health after recovery %+v, want rpcOK and block 2 processed", h)
	}
}

// The common case, one new block per poll, costs two calls (head and events).
func TestOneNewBlockCostsTwoCalls(t *testing.T) {
	c, _, f := setup(0)
	c.mine()
	poll(t, f)
	c.mine()
	c.mu.Lock()
	c.calls = 0
	c.mu.Unlock()
	poll(t, f)
	if c.calls != 2 {
		t.Fatalf("%d chain calls for one new block, want 2", c.calls)
	}
}

// A follower resumed from a cursor whose block was replaced while it was down reads the
// window below the cursor again, rather than trusting it or starting from genesis.
func TestResumingOnAReplacedCursorBlockReadsTheWindowAgain(t *testing.T) {
	c := newFakeChain()
	for range 300 {
		c.mine()
	}
	r := &recorder{credit: map[common.Hash]int{}}
	f := New[testEvent](c, r, Start{Next: 301, PrevHash: common.Hash{0xde, 0xad}}, Config{})
	poll(t, f)
	if h := f.Health(); h.Reorgs != 1 || h.LastReorgDepth != 256 {
		t.Fatalf("health %+v, want one reorg rolled back over the 256-block window", h)
	}
	if r.confirmed != 300 {
		t.Fatalf("confirmed %d, want 300", r.confirmed)
	}
}

func TestDefaultConfirmationsAreZeroOnlyOnDevChains(t *testing.T) {
	for _, tc := range []struct {
		id   int64
		zero bool
	}{{31337, true}, {1337, true}, {1, false}, {10, false}, {137, false}, {424242, false}} {
		if got := DefaultConfirmations(bigInt(tc.id)); (got == 0) != tc.zero {
			t.Errorf("chain %d: default %d confirmations", tc.id, got)
		}
	}
}

func bigInt(v int64) *big.Int { return big.NewInt(v) }
