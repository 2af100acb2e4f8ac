package node

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// mineEvery mines a block every d until the returned stop is called (stop waits).
func (an *anvilNet) mineEvery(d time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = an.rpc.Call(nil, "evm_mine")
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }
}

// head is Anvil's block number.
func (an *anvilNet) head() uint64 {
	an.t.Helper()
	n, err := an.eth.BlockNumber(context.Background())
	if err != nil {
		an.t.Fatal(err)
	}
	return n
}

// mine mines n blocks at once.
func (an *anvilNet) mine(n int) {
	an.t.Helper()
	for range n {
		an.call("evm_mine")
	}
}

// depositOutside tops up a's side of id with a's key used outside its node (another
// wallet of the same account), so the node's own transactions play no part.
func (an *anvilNet) depositOutside(id channel.ID, a *Node, amount *big.Int) uint64 {
	an.t.Helper()
	rcpt, err := an.client(1).Deposit(context.Background(), id, a.signer.Address(), amount)
	if err != nil {
		an.t.Fatalf("third-party deposit: %v", err)
	}
	return rcpt.BlockNumber.Uint64()
}

// depositSeen watches n's view of party p's deposit in id, recording the largest seen.
func depositSeen(t *testing.T, n *Node, id channel.ID, p channel.Party) (max func() *big.Int, stop func()) {
	var mu sync.Mutex
	top := new(big.Int)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if v, err := n.Channel(context.Background(), id); err == nil {
				mu.Lock()
				if v.Deposit[p].Cmp(top) > 0 {
					top.Set(v.Deposit[p])
				}
				mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var once sync.Once
	return func() *big.Int { mu.Lock(); defer mu.Unlock(); return new(big.Int).Set(top) },
		func() { once.Do(func() { close(done); wg.Wait() }) }
}

// waitProcessed waits until n's follower has read block.
func waitProcessed(t *testing.T, n *Node, block uint64) {
	t.Helper()
	waitFor(t, "the node read the block", func() bool { return n.follower.Health().Processed >= block })
}

func onChainDeposit(t *testing.T, an *anvilNet, id channel.ID) *big.Int {
	t.Helper()
	v, err := an.client(0).Channel(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v.DepositA
}

// Issue 16's reorg, on a chain that is not a dev chain and with the node's default
// depth: a 2 ETH deposit is mined, buried under 2 blocks, then a reorg of depth 4
// removes it. The payee never counts it, and a payment above the balance that remains
// is refused. (The old watcher acted on the head block by default: it credited the
// deposit and kept crediting it after the reorg.)
func TestReorgRemovingADepositIsNeverCreditedWithTheDefaultConfirmations(t *testing.T) {
	an := newAnvilNet(t, "--chain-id", "10")
	stop := an.mineEvery(30 * time.Millisecond)
	defer stop()
	a := an.start(1, t.TempDir())
	b := an.start(2, t.TempDir())
	if got := b.confirmations.Load(); got == 0 {
		t.Fatalf("default confirmations on chain 10 are %d, want > 0", got)
	}
	id := openChannel(t, a, b, eth(1), nil, 2*time.Hour)
	stop()

	seen, stopWatch := depositSeen(t, b, id, channel.PartyA)
	defer stopWatch()
	block := an.depositOutside(id, a, eth(2))
	an.mine(2)
	waitProcessed(t, b, block+2)
	an.call("anvil_reorg", 4, []any{})
	if d := onChainDeposit(t, an, id); d.Cmp(eth(1)) != 0 {
		t.Fatalf("the reorg left a deposit of %s on chain, want 1 ETH (test setup)", d)
	}
	stop = an.mineEvery(30 * time.Millisecond)
	defer stop()
	head := an.head()
	waitFor(t, "b past the reorg and its confirmations", func() bool { return b.synced.Load() > head+b.confirmations.Load() })
	stopWatch()
	if top := seen(); top.Cmp(eth(1)) != 0 {
		t.Fatalf("b counted a's deposit as %s at some point; the removed 2 ETH must never count", top)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := a.Pay(ctx, PayRequest{Channel: id, Amount: new(big.Int).Add(eth(1), big.NewInt(1))}); !errors.Is(err, channel.ErrOverdraft) {
		t.Fatalf("payment above the remaining 1 ETH: %v, want ErrOverdraft", err)
	}
}

// With 0 confirmations (a dev chain's default) the deposit counts at once; the reorg that
// removes it must take it back, and the payee must refuse a payment above what is left.
func TestReorgRemovingACountedDepositRollsItBackAndRefusesPaymentsAboveTheNewBalance(t *testing.T) {
	an := newAnvilNet(t)
	a := an.start(1, t.TempDir())
	b := an.start(2, t.TempDir())
	id := openChannel(t, a, b, eth(1), nil, 2*time.Hour)
	block := an.depositOutside(id, a, eth(2))
	waitFor(t, "b counts the deposit", func() bool {
		v, err := b.Channel(context.Background(), id)
		return err == nil && v.Deposit[channel.PartyA].Cmp(eth(3)) == 0
	})
	mustPay(t, a, id, 1_000)
	waitProcessed(t, a, block)
	waitProcessed(t, b, block)

	an.call("anvil_reorg", 1, []any{})
	if d := onChainDeposit(t, an, id); d.Cmp(eth(1)) != 0 {
		t.Fatalf("the reorg left a deposit of %s on chain, want 1 ETH (test setup)", d)
	}
	for _, n := range []*Node{a, b} {
		waitFor(t, "the deposit rolled back", func() bool {
			v, err := n.Channel(context.Background(), id)
			return err == nil && v.Deposit[channel.PartyA].Cmp(eth(1)) == 0
		})
	}
	if n := metricValue(t, b.metrics.depositRollbacks); n < 1 {
		t.Fatalf("deposit rollbacks %v, want >= 1", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := a.Pay(ctx, PayRequest{Channel: id, Amount: eth(1)}); !errors.Is(err, channel.ErrOverdraft) {
		t.Fatalf("payment above the rolled-back balance: %v, want ErrOverdraft", err)
	}
	// b, the payee, refuses it too: hand b a's proof of more than a now holds.
	lc := a.channel(id)
	lc.mu.Lock()
	last, _ := lc.st.Latest(channel.PartyA)
	lc.mu.Unlock()
	over := channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: id, Nonce: last.Nonce + 1, Transferred: new(big.Int).Add(last.Transferred, eth(1))}}
	digest, err := a.domain.BalanceProofDigest(over.BalanceProof)
	if err != nil {
		t.Fatal(err)
	}
	if over.Sig, err = a.signer.SignDigest(digest); err != nil {
		t.Fatal(err)
	}
	blc := b.channel(id)
	blc.mu.Lock()
	_, err = blc.st.ValidateIncoming(channel.PartyA, over)
	blc.mu.Unlock()
	if !errors.Is(err, channel.ErrOverdraft) {
		t.Fatalf("b validating a proof above a's rolled-back deposit: %v, want ErrOverdraft", err)
	}
	mustPay(t, a, id, 1_000) // and payments within the balance go on
}

// A defense mined and then removed by a reorg is submitted again before the deadline:
// Anvil does not return the removed transaction to its pool, so only the node can
// bring it back (its op sees the transaction unmined and broadcasts it again).
func TestReorgRemovingAMinedDefenseResubmitsIt(t *testing.T) {
	an := newAnvilNet(t)
	a := an.start(1, t.TempDir())
	b := an.start(2, t.TempDir())
	id := payeeHoldsProofs(t, a, b)

	attacker := an.client(1)
	if _, err := attacker.Close(context.Background(), id, nil); err != nil {
		t.Fatalf("attacker's close: %v", err)
	}
	waitOnChainNonce(t, attacker, id, channel.PartyA, 5)
	waitProcessed(t, b, an.head())
	// The defense is the newest block (Anvil mines one block per transaction).
	an.call("anvil_reorg", 1, []any{})
	if n := an.pending(); n != 0 {
		t.Fatalf("%d accounts with transactions in Anvil's pool after the reorg; want none, so only the node can bring the defense back (test setup)", n)
	}
	if v, err := attacker.Channel(context.Background(), id); err != nil || v.NonceA != 0 || v.Status != channel.StatusClosing {
		t.Fatalf("after the reorg: %+v %v, want closing with a's nonce 0 (test setup)", v, err)
	}
	waitOnChainNonce(t, attacker, id, channel.PartyA, 5)
	if n := metricValue(t, b.metrics.reorgs); n < 1 {
		t.Fatalf("reorgs seen %v, want >= 1", n)
	}
}
