package node

import (
	"context"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// laggingHead is a chain backend whose eth_blockNumber trails the blocks whose receipts
// it already serves, as Anvil's does for a moment under load.
type laggingHead struct {
	*ethclient.Client
	lag atomic.Uint64
}

func (l *laggingHead) BlockNumber(ctx context.Context) (uint64, error) {
	n, err := l.Client.BlockNumber(ctx)
	if lag := l.lag.Load(); err == nil && n >= lag {
		n -= lag
	}
	return n, err
}

// TestTrackDoesNotTakeAMinedTransactionForANonceTakenOne: TestIdempotencyKeyOpensAndDepositsOnce
// once saw a deposit counted twice on chain. Track read our confirmed nonce (past the
// deposit's), then found no receipt at or below the head because the chain node served
// the receipt before advancing eth_blockNumber, and said "nonce taken": the op runner
// signed the deposit again. A receipt the node knows now means "being mined".
func TestTrackDoesNotTakeAMinedTransactionForANonceTakenOne(t *testing.T) {
	chain, err := devchain.New(devchain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	accs := chain.Accounts()
	backend := &laggingHead{Client: chain.Client()}
	cl, err := contracts.New(ctx, backend, chain.Contract(), accs[0].Key, contracts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := cl.Open(ctx, accs[1].Address, common.Address{}, big.NewInt(1000), 3600)
	if err != nil {
		t.Fatal(err)
	}
	cc := &contractChain{c: cl, backend: backend, from: accs[0].Address, abi: bindings.NewSluiceChannels(), timeout: 5 * time.Second}
	call := ChainCall{Kind: CallDeposit, Channel: id, Participant: accs[0].Address, Amount: big.NewInt(777)}
	tx, err := cc.Prepare(ctx, call)
	if err != nil {
		t.Fatal(err)
	}
	if err := cc.Broadcast(ctx, tx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the deposit mined", func() bool {
		st, err := cc.Track(ctx, tx, nil)
		return err == nil && st.Mined
	})
	backend.lag.Store(1) // the head now trails the deposit's block
	st, err := cc.Track(ctx, tx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.NonceTaken {
		t.Fatal("a mined deposit whose block the head does not show yet was reported as nonce taken: it would be signed and executed again")
	}
	backend.lag.Store(0)
	if st, err := cc.Track(ctx, tx, nil); err != nil || !st.Mined {
		t.Fatalf("once the head shows the block: %+v, %v, want mined", st, err)
	}
}
