package gossip

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/routing"
)

var (
	testDomain = channel.Domain{ChainID: big.NewInt(devchain.ChainID), Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
	testNow    = time.Unix(1_800_000_000, 0)
)

func accountKey(i int) *ecdsa.PrivateKey { return devchain.TestAccounts()[i].Key }

func accountAddr(i int) common.Address { return devchain.TestAccounts()[i].Address }

func signer(t testing.TB, key *ecdsa.PrivateKey) *channel.KeySigner {
	t.Helper()
	s, err := channel.NewKeySigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signed returns an announcement of ch by key, valid at testNow, after edit (if any).
func signed(t testing.TB, key *ecdsa.PrivateKey, ch channel.ID, seq uint64, edit func(*Announcement)) *Announcement {
	t.Helper()
	pid, err := p2p.PeerIDFromPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	a := &Announcement{
		Channel:   ch,
		Capacity:  routing.Bucket(big.NewInt(1_000_000)),
		FeeFlat:   big.NewInt(10),
		FeePPM:    100,
		Sequence:  seq,
		Timestamp: uint64(testNow.Unix()),
		PeerID:    []byte(pid),
		Addrs:     [][]byte{{0x04, 127, 0, 0, 1, 0x06, 0x10, 0x00}}, // /ip4/127.0.0.1/tcp/4096
	}
	if edit != nil {
		edit(a)
	}
	if err := a.Sign(testDomain, signer(t, key)); err != nil {
		t.Fatal(err)
	}
	return a
}

func encode(t testing.TB, a *Announcement) []byte {
	t.Helper()
	b, err := Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeChain is a ChainView over a fixed map, counting reads.
type fakeChain struct {
	mu    sync.Mutex
	chans map[channel.ID]ChannelInfo
	reads int
}

func (f *fakeChain) Channel(_ context.Context, id channel.ID) (ChannelInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	info, ok := f.chans[id]
	if !ok {
		return ChannelInfo{}, ErrUnknownChannel
	}
	return info, nil
}

func chID(i byte) channel.ID { return channel.ID{0xc0, i} }

// fixture: channel 1 between accounts 0 and 1 (open, 10 ETH-ish funds), channel 2 closed
// between 1 and 2.
func newFakeChain() *fakeChain {
	funds := big.NewInt(5_000_000)
	return &fakeChain{chans: map[channel.ID]ChannelInfo{
		chID(1): {Participants: [2]common.Address{accountAddr(0), accountAddr(1)}, Open: true, Funds: funds},
		chID(2): {Participants: [2]common.Address{accountAddr(1), accountAddr(2)}, Open: false, Funds: funds},
	}}
}

func newValidator(t testing.TB, chain ChainView, edit func(*ValidatorConfig)) (*Validator, *routing.Graph) {
	t.Helper()
	g := routing.NewGraph(routing.Config{})
	cfg := ValidatorConfig{Domain: testDomain, Chain: chain, Graph: g, Now: func() time.Time { return testNow }}
	if edit != nil {
		edit(&cfg)
	}
	v, err := NewValidator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v, g
}
