package risk

import (
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
)

// fakeClock is a settable clock, so window and baseline tests do not sleep.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func testDomain() channel.Domain {
	return channel.Domain{ChainID: big.NewInt(31337), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
}

func newTestEngine(t testing.TB, cfg Config, clock *fakeClock, st Store) *Engine {
	t.Helper()
	e, err := NewEngine(Options{Config: cfg, Domain: testDomain(), Now: clock.Now, Store: st})
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	return e
}

func amt(v uint64) Amount { return AmountFromUint64(v) }

func chanID(b byte) channel.ID {
	var id channel.ID
	id[0], id[31] = 0xc4, b
	return id
}

func party(b byte) common.Address { return common.Address{19: b, 0: 0xaa} }

func payReq(client string, ch byte, cp byte, amount uint64) Request {
	return Request{Client: client, Channel: chanID(ch), Counterparty: party(cp), Amount: new(big.Int).SetUint64(amount)}
}

func newDeviceKey(t testing.TB) *channel.KeySigner {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := channel.NewKeySigner(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
