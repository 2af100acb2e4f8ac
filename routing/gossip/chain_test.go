package gossip

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// contractChain is the ChainView a node builds from a contract read; the node's real one
// should come from its chain follower's cache instead (one read per channel, not per
// announcement).
type contractChain struct{ c *contracts.Client }

func (cc contractChain) Channel(ctx context.Context, id channel.ID) (ChannelInfo, error) {
	v, err := cc.c.Channel(ctx, id)
	if err != nil {
		return ChannelInfo{}, err
	}
	if v.Status == channel.StatusNone {
		return ChannelInfo{}, ErrUnknownChannel
	}
	funds := new(big.Int).Add(v.DepositA, v.DepositB)
	funds.Sub(funds, v.WithdrawnA)
	funds.Sub(funds, v.WithdrawnB)
	return ChannelInfo{Participants: v.Participants(), Token: v.Token, Open: v.Status == channel.StatusOpen, Funds: funds}, nil
}

// world is an embedded chain with real channels opened on it: 0-1, 1-2, 2-3, each funded
// with 1 ETH by its opener (the lower account).
type world struct {
	chain  *devchain.Chain
	domain channel.Domain
	view   ChainView
	ch     map[[2]int]channel.ID
}

func ether(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether)) }

func newWorld(t *testing.T) *world {
	t.Helper()
	chain, err := devchain.New(devchain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := &world{chain: chain, ch: map[[2]int]channel.ID{}}
	reader, err := contracts.New(ctx, chain.Client(), chain.Contract(), nil, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.view, w.domain = contractChain{reader}, reader.Domain()
	for _, pair := range [][2]int{{0, 1}, {1, 2}, {2, 3}} {
		acc := chain.Accounts()
		c, err := contracts.New(ctx, chain.Client(), chain.Contract(), acc[pair[0]].Key, contracts.Options{})
		if err != nil {
			t.Fatal(err)
		}
		id, _, err := c.Open(ctx, acc[pair[1]].Address, common.Address{}, ether(1), 3600)
		if err != nil {
			t.Fatalf("open %v: %v", pair, err)
		}
		w.ch[pair] = id
	}
	return w
}
