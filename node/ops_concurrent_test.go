package node

import (
	"context"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sluicepay/sluice/channel"
)

// laggingPendingNonce is a chain connection whose pending nonce trails the pool, as
// behind a load-balanced RPC endpoint: it reports the nonce of the latest block, so a
// transaction not mined yet is not counted.
type laggingPendingNonce struct{ *ethclient.Client }

func (b laggingPendingNonce) PendingNonceAt(ctx context.Context, account common.Address) (uint64, error) {
	return b.NonceAt(ctx, account, nil)
}

// TestConcurrentOnChainOperationsFromOneNodeAllMine sends deposits on two channels and a
// third open at the same time from one account: each needs its own nonce, which the
// chain's pending nonce cannot be trusted to give.
func TestConcurrentOnChainOperationsFromOneNodeAllMine(t *testing.T) {
	tn := newTestNet(t)
	cfg := tn.config(tn.chain.Accounts()[1].Key, t.TempDir(), nil)
	cfg.ChainBackend = laggingPendingNonce{tn.chain.Client()}
	a, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b := tn.startNode(2, nodeOpts{})
	c := tn.startNode(3, nodeOpts{})
	d := tn.startNode(4, nodeOpts{})
	ids := []channel.ID{
		openChannel(t, a, b, big.NewInt(1_000), nil, time.Hour),
		openChannel(t, a, c, big.NewInt(1_000), nil, time.Hour),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const perChannel = 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*perChannel+1)
	for _, id := range ids {
		for i := range perChannel {
			wg.Go(func() {
				_, err := a.Deposit(ctx, id, big.NewInt(int64(10+i)))
				errs <- err
			})
		}
	}
	wg.Go(func() {
		_, err := a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, d), Deposit: big.NewInt(7), ChallengePeriod: time.Hour})
		errs <- err
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent operation: %v", err)
		}
	}
	chk := clientFor(t, tn, 5)
	for _, id := range ids {
		v, err := chk.Channel(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(1_000 + 10 + 11 + 12 + 13); v.DepositA.Int64() != want {
			t.Fatalf("channel %s: deposit on chain %s, want %d", id, v.DepositA, want)
		}
	}
	ops, err := a.store.PendingOps()
	if err != nil || len(ops) != 0 {
		t.Fatalf("pending operations after all mined: %d %v", len(ops), err)
	}
}
