package node

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// TestRestartSignsAgainATransactionWhoseNonceWasTaken: the node stored a signed deposit
// and stopped before broadcasting it; meanwhile its key was used outside the node with
// that nonce. Re-broadcasting the stored bytes can never work: the restarted node must
// sign the deposit again, and execute it exactly once.
func TestRestartSignsAgainATransactionWhoseNonceWasTaken(t *testing.T) {
	an := newAnvilNet(t)
	aDir := t.TempDir()
	a := an.start(1, aDir)
	b := an.start(2, t.TempDir())
	id := openChannel(t, a, b, eth(1), nil, 2*time.Hour)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	cfg := an.config(1, aDir, "")
	cfg = cfg.withDefaults()
	chain, err := dialChain(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	call := ChainCall{Kind: CallDeposit, Channel: id, Participant: an.accs[1].Address, Amount: big.NewInt(1_000)}
	dead, err := chain.Prepare(ctx, call)
	if err != nil {
		t.Fatal(err)
	}
	chain.Close()
	st, err := store.Open(filepath.Join(aDir, "db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(opPayload{Call: call, Salt: 1})
	opID := store.NewOpID(string(call.Kind), id, raw)
	var batch store.Batch
	if err := batch.PutOp(&store.OpRecord{ID: opID, Kind: string(call.Kind), Channel: id, Payload: raw, State: store.OpSubmitted, TxHash: dead.Hash, RawTx: dead.Raw, Updated: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(ctx, &batch); err != nil {
		t.Fatal(err)
	}
	st.Close()
	var deadTx types.Transaction
	if err := deadTx.UnmarshalBinary(dead.Raw); err != nil {
		t.Fatal(err)
	}
	nonce := deadTx.Nonce()
	an.waitMined(an.useKeyOutside(1, &nonce))

	a2 := an.start(1, aDir)
	want := new(big.Int).Add(eth(1), big.NewInt(1_000))
	chk := an.client(0)
	waitFor(t, "the deposit signed again and mined", func() bool {
		v, err := chk.Channel(ctx, id)
		return err == nil && v.DepositA.Cmp(want) == 0
	})
	waitFor(t, "the op recorded mined", func() bool {
		rec, found, err := a2.store.GetOp(opID)
		return err == nil && found && rec.State == store.OpMined
	})
	rec, _, _ := a2.store.GetOp(opID)
	if rec.TxHash == dead.Hash {
		t.Fatalf("op mined as the dead transaction %s", dead.Hash)
	}
	time.Sleep(500 * time.Millisecond)
	if v, err := chk.Channel(ctx, id); err != nil || v.DepositA.Cmp(want) != 0 {
		t.Fatalf("deposit on chain %v (%v), want %s: exactly once", v.DepositA, err, want)
	}
}

// TestOpenRefusedForLackOfFundsNeverExecutesAfterRestart is issue 14's reproduction: an
// open larger than the balance fails; after a restart with enough balance it must not
// be broadcast.
func TestOpenRefusedForLackOfFundsNeverExecutesAfterRestart(t *testing.T) {
	an := newAnvilNet(t)
	aDir := t.TempDir()
	a := an.start(1, aDir)
	b := an.start(2, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, b), Deposit: eth(20_000), ChallengePeriod: 2 * time.Hour})
	if err == nil || errors.Is(err, ErrTxPending) {
		t.Fatalf("open of more than the balance: %v, want a failure", err)
	}
	// Issue 21, finding 2: the failure says what the account holds and needs, and is
	// not an internal error.
	var funds *InsufficientFundsError
	if !errors.As(err, &funds) || funds.Value.Cmp(eth(20_000)) != 0 || funds.Have.Cmp(eth(10_000)) > 0 ||
		!strings.Contains(err.Error(), "needs 20000.") {
		t.Fatalf("open of more than the balance: %v, want an InsufficientFundsError for 20000 ETH", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	an.call("anvil_setBalance", an.accs[1].Address, hexBig(eth(100_000)))
	a2 := an.start(1, aDir)
	head, _ := an.eth.BlockNumber(ctx)
	waitFor(t, "the restarted node catches up", func() bool { return a2.synced.Load() >= head })
	time.Sleep(time.Second)
	if n := an.opensBy(an.accs[1].Address); n != 0 {
		t.Fatalf("%d channels opened by the node after a failed open and a restart, want 0", n)
	}
	if ops, err := a2.store.PendingOps(); err != nil || len(ops) != 0 {
		t.Fatalf("pending operations %d (%v), want none", len(ops), err)
	}
}

// TestOpenAndDepositFailedWhileTheChainWasDownNeverExecute is issue 14's second
// reproduction: with the chain unreachable open and deposit fail, the user retries both
// successfully, and a restart must not execute the failed ones as well.
func TestOpenAndDepositFailedWhileTheChainWasDownNeverExecute(t *testing.T) {
	an := newAnvilNet(t)
	proxy := newChainProxy(t, an.url)
	aDir := t.TempDir()
	a := an.startWith(an.config(1, aDir, proxy.url))
	b := an.start(2, t.TempDir())
	id := openChannel(t, a, b, eth(1), nil, 2*time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	proxy.down.Store(true)
	open := OpenRequest{Peer: addrOf(t, b), Deposit: eth(5), ChallengePeriod: 2 * time.Hour}
	if _, err := a.OpenChannel(ctx, open); err == nil || errors.Is(err, ErrTxPending) || !errors.Is(err, ErrChainUnavailable) {
		t.Fatalf("open with the chain down: %v, want ErrChainUnavailable", err)
	}
	if _, err := a.Deposit(ctx, id, eth(1)); err == nil || errors.Is(err, ErrTxPending) || !errors.Is(err, ErrChainUnavailable) {
		t.Fatalf("deposit with the chain down: %v, want ErrChainUnavailable", err)
	}
	proxy.down.Store(false)
	if _, err := a.OpenChannel(ctx, open); err != nil {
		t.Fatalf("retried open: %v", err)
	}
	if _, err := a.Deposit(ctx, id, eth(1)); err != nil {
		t.Fatalf("retried deposit: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a2 := an.startWith(an.config(1, aDir, proxy.url))
	head, _ := an.eth.BlockNumber(ctx)
	waitFor(t, "the restarted node catches up", func() bool { return a2.synced.Load() >= head })
	time.Sleep(time.Second)
	if n := an.opensBy(an.accs[1].Address); n != 2 {
		t.Fatalf("%d channels opened, want 2 (the first and the retry)", n)
	}
	v, err := an.client(0).Channel(ctx, id)
	if err != nil || v.DepositA.Cmp(eth(2)) != 0 {
		t.Fatalf("deposit on chain %v (%v), want 2 ETH (the opening one and the retry)", v.DepositA, err)
	}
}

// TestIdempotencyKeyOpensAndDepositsOnce: a retry with the same key, even one made after
// the caller gave up waiting for a submitted transaction, joins the first operation.
func TestIdempotencyKeyOpensAndDepositsOnce(t *testing.T) {
	an := newAnvilNet(t)
	a := an.start(1, t.TempDir())
	b := an.start(2, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req := OpenRequest{Peer: addrOf(t, b), Deposit: eth(1), ChallengePeriod: 2 * time.Hour, IdempotencyKey: "open-7f3a"}

	an.call("evm_setAutomine", false)
	short, cancelShort := context.WithTimeout(ctx, time.Second)
	_, err := a.OpenChannel(short, req)
	cancelShort()
	if !errors.Is(err, ErrTxPending) {
		t.Fatalf("open not mined before the caller's deadline: %v, want ErrTxPending", err)
	}
	an.call("evm_setAutomine", true)
	an.call("evm_mine")
	first, err := a.OpenChannel(ctx, req)
	if err != nil {
		t.Fatalf("retry with the same key: %v", err)
	}
	again, err := a.OpenChannel(ctx, req)
	if err != nil || again.ID != first.ID {
		t.Fatalf("second retry: %v %v, want channel %s", again.ID, err, first.ID)
	}
	other := req
	other.Deposit = eth(2)
	if _, err := a.OpenChannel(ctx, other); !errors.Is(err, ErrIdempotencyKeyReused) {
		t.Fatalf("same key, other deposit: %v, want ErrIdempotencyKeyReused", err)
	}
	if n := an.opensBy(an.accs[1].Address); n != 1 {
		t.Fatalf("%d channels opened, want 1", n)
	}

	for range 2 {
		if _, err := a.DepositWithKey(ctx, first.ID, big.NewInt(777), "dep-1"); err != nil {
			t.Fatalf("deposit with key: %v", err)
		}
	}
	if _, err := a.DepositWithKey(ctx, first.ID, big.NewInt(778), "dep-1"); !errors.Is(err, ErrIdempotencyKeyReused) {
		t.Fatalf("same key, other amount: %v, want ErrIdempotencyKeyReused", err)
	}
	v, err := an.client(0).Channel(ctx, first.ID)
	if want := new(big.Int).Add(eth(1), big.NewInt(777)); err != nil || v.DepositA.Cmp(want) != 0 {
		t.Fatalf("deposit on chain %v (%v), want %s", v.DepositA, err, want)
	}
	waitFor(t, "the node sees its deposit", func() bool {
		cv, err := a.Channel(ctx, first.ID)
		return err == nil && cv.Status == channel.StatusOpen && cv.Deposit[0].Cmp(v.DepositA) == 0
	})
}

// TestSubmittedDepositSurvivesARestartAndExecutesOnce: a caller told "submitted, not
// mined yet" (ErrTxPending) is owed the deposit. The node stops promptly with the
// transaction still pending (its driver ends with the node), and the next run completes it
// exactly once.
func TestSubmittedDepositSurvivesARestartAndExecutesOnce(t *testing.T) {
	an := newAnvilNet(t)
	aDir := t.TempDir()
	a := an.start(1, aDir)
	b := an.start(2, t.TempDir())
	id := openChannel(t, a, b, eth(1), nil, 2*time.Hour)

	an.call("evm_setAutomine", false)
	short, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	_, err := a.DepositWithKey(short, id, big.NewInt(4_242), "dep-restart")
	cancel()
	if !errors.Is(err, ErrTxPending) {
		t.Fatalf("deposit not mined before the deadline: %v, want ErrTxPending", err)
	}
	closed := make(chan error, 1)
	go func() { closed <- a.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("node did not stop while a transaction was pending")
	}
	// The pool forgets it (a restarted chain node would): only the node's record remains.
	an.call("anvil_dropAllTransactions")
	an.call("evm_setAutomine", true)

	a2 := an.start(1, aDir)
	want := new(big.Int).Add(eth(1), big.NewInt(4_242))
	chk := an.client(0)
	waitFor(t, "the submitted deposit mined after the restart", func() bool {
		v, err := chk.Channel(context.Background(), id)
		return err == nil && v.DepositA.Cmp(want) == 0
	})
	ctx, cancel2 := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel2()
	if _, err := a2.DepositWithKey(ctx, id, big.NewInt(4_242), "dep-restart"); err != nil {
		t.Fatalf("retry with the key after the restart: %v", err)
	}
	if v, err := chk.Channel(ctx, id); err != nil || v.DepositA.Cmp(want) != 0 {
		t.Fatalf("deposit on chain %v (%v), want %s: exactly once", v.DepositA, err, want)
	}
}
