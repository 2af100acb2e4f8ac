package contracts

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestDeployReturnsClientOfFreshContract(t *testing.T) {
	chain, err := devchain.New(devchain.Options{NoContract: true})
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()
	ctx := testContext(t)
	key := chain.Accounts()[3].Key
	c, rec, err := Deploy(ctx, chain.Client(), key, Options{})
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if want := crypto.CreateAddress(c.Address(), 0); c.Contract() != want || rec.ContractAddress != want {
		t.Fatalf("contract at %s (receipt %s), want %s", c.Contract(), rec.ContractAddress, want)
	}
	lo, hi, err := c.ChallengePeriodBounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lo != 1 || hi != 30*24*3600 {
		t.Fatalf("challenge period bounds [%d, %d], want [1, 30 days]", lo, hi)
	}
}

func TestViewsMatchOffChainEIP712(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	c := w.clients[1]
	sep, err := c.DomainSeparator(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantSep, err := c.Domain().Separator()
	if err != nil {
		t.Fatal(err)
	}
	if sep != wantSep {
		t.Fatalf("domain separator %s, off-chain %s", sep, wantSep)
	}
	id := channel.ID{1, 2, 3}
	proof := channel.BalanceProof{Channel: id, Nonce: 7, Transferred: big.NewInt(12345)}
	settlement := channel.Settlement{Channel: id, BalanceA: big.NewInt(5), BalanceB: big.NewInt(6)}
	withdrawal := channel.Withdrawal{Channel: id, Participant: w.addr(2), TotalWithdrawn: big.NewInt(9), Expiry: 1 << 40}
	tests := []struct {
		name     string
		onChain  func() (common.Hash, error)
		offChain func() (common.Hash, error)
	}{
		{"balance proof", func() (common.Hash, error) { return c.HashBalanceProof(w.ctx, proof) },
			func() (common.Hash, error) { return c.Domain().BalanceProofDigest(proof) }},
		{"endorsement", func() (common.Hash, error) { return c.HashEndorsement(w.ctx, proof) },
			func() (common.Hash, error) { return c.Domain().EndorsementDigest(proof) }},
		{"settlement", func() (common.Hash, error) { return c.HashSettlement(w.ctx, settlement) },
			func() (common.Hash, error) { return c.Domain().SettlementDigest(settlement) }},
		{"withdrawal", func() (common.Hash, error) { return c.HashWithdrawal(w.ctx, withdrawal) },
			func() (common.Hash, error) { return c.Domain().WithdrawalDigest(withdrawal) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			on, err := tt.onChain()
			if err != nil {
				t.Fatal(err)
			}
			off, err := tt.offChain()
			if err != nil {
				t.Fatal(err)
			}
			if on != off {
				t.Fatalf("contract digest %s, off-chain %s", on, off)
			}
		})
	}
}

func TestOpenETHReturnsIDAndRecordsChannel(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	before := w.balance(1)
	id, rec, err := w.clients[1].Open(w.ctx, w.addr(2), common.Address{}, ether(3), 60)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if id == (channel.ID{}) || rec == nil || rec.Status != 1 {
		t.Fatalf("Open returned id %s, receipt %+v", id, rec)
	}
	v := w.view(id)
	if v.A != w.addr(1) || v.B != w.addr(2) || v.Token != (common.Address{}) || v.Status != channel.StatusOpen || v.ChallengePeriod != 60 {
		t.Fatalf("channel view %+v", v)
	}
	wantEqual(t, "deposit A", v.DepositA, ether(3))
	wantEqual(t, "deposit B", v.DepositB, new(big.Int))
	if p, ok := v.PartyOf(w.addr(2)); !ok || p != channel.PartyB {
		t.Fatalf("PartyOf(B) = %v, %v", p, ok)
	}
	spent := new(big.Int).Sub(before, w.balance(1))
	if spent.Cmp(ether(3)) <= 0 {
		t.Fatalf("opener spent %s, want deposit plus gas", spent)
	}
	id2 := w.open(1, 2, ether(1), 60)
	if id2 == id {
		t.Fatal("second channel between the same parties reused the id")
	}
}

func TestUnknownChannelReadsAsStatusNone(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	v := w.view(channel.ID{0xde, 0xad})
	if v.Status != channel.StatusNone {
		t.Fatalf("status %s, want none", v.Status)
	}
}

func TestDepositTopsUpEitherSideInETH(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 60)
	if _, err := w.clients[2].Deposit(w.ctx, id, w.addr(2), ether(2)); err != nil {
		t.Fatalf("B deposits for itself: %v", err)
	}
	// Either participant may top up either side; nobody else may (a stranger's deposit
	// would change the total a co-signed Settlement must sum to).
	if _, err := w.clients[2].Deposit(w.ctx, id, w.addr(1), ether(4)); err != nil {
		t.Fatalf("B deposits for A: %v", err)
	}
	if _, err := w.clients[5].Deposit(w.ctx, id, w.addr(1), ether(4)); !errors.Is(err, ErrNotParticipant) {
		t.Fatalf("outsider deposits for A: %v, want NotParticipant", err)
	}
	v := w.view(id)
	wantEqual(t, "deposit A", v.DepositA, ether(5))
	wantEqual(t, "deposit B", v.DepositB, ether(2))
}

func TestERC20OpenAndDepositAfterApprove(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	token := w.deployToken(0, ether(100), 1, 2)
	a, b := w.clients[1], w.clients[2]
	if _, err := a.Approve(w.ctx, token, a.Contract(), ether(10)); err != nil {
		t.Fatalf("Approve: %v", err)
	}
	allow, err := a.Allowance(w.ctx, token, a.Address(), a.Contract())
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "allowance", allow, ether(10))
	id, _, err := a.Open(w.ctx, b.Address(), token, ether(7), 60)
	if err != nil {
		t.Fatalf("Open with token: %v", err)
	}
	if _, err := b.Approve(w.ctx, token, b.Contract(), ether(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Deposit(w.ctx, id, b.Address(), ether(3)); err != nil {
		t.Fatalf("Deposit token: %v", err)
	}
	v := w.view(id)
	if v.Token != token {
		t.Fatalf("channel token %s, want %s", v.Token, token)
	}
	wantEqual(t, "deposit A", v.DepositA, ether(7))
	wantEqual(t, "deposit B", v.DepositB, ether(3))
	held, err := a.TokenBalance(w.ctx, token, a.Contract())
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "contract token balance", held, ether(10))
	left, err := a.TokenBalance(w.ctx, token, a.Address())
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "A token balance", left, ether(93))
	// A deposit beyond the allowance names the contract's error.
	if _, err := a.Deposit(w.ctx, id, a.Address(), ether(50)); !errors.Is(err, ErrTokenTransferFailed) {
		t.Fatalf("deposit beyond allowance: %v, want TokenTransferFailed", err)
	}
}

func TestWithdrawPaysParticipantFromOpenChannel(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(5), 60)
	wd := channel.Withdrawal{Channel: id, Participant: w.addr(1), TotalWithdrawn: ether(2), Expiry: w.headTime() + 3600}
	before := w.balance(1)
	// The counterparty sends it, so the withdrawer's balance moves by exactly the amount.
	if _, err := w.clients[2].Withdraw(w.ctx, wd, w.signWithdrawal(1, wd), w.signWithdrawal(2, wd)); err != nil {
		t.Fatalf("Withdraw: %v", err)
	}
	wantEqual(t, "A balance gain", new(big.Int).Sub(w.balance(1), before), ether(2))
	v := w.view(id)
	wantEqual(t, "withdrawn A", v.WithdrawnA, ether(2))
	if v.Status != channel.StatusOpen {
		t.Fatalf("status %s after withdraw, want open", v.Status)
	}
}

func TestCloseCooperativePaysBothAtOnce(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(5), 3600)
	s := channel.Settlement{Channel: id, BalanceA: ether(2), BalanceB: ether(3)}
	beforeA, beforeB := w.balance(1), w.balance(2)
	if _, err := w.clients[3].CloseCooperative(w.ctx, s, w.signSettlement(1, s), w.signSettlement(2, s)); err != nil {
		t.Fatalf("CloseCooperative: %v", err)
	}
	wantEqual(t, "A gain", new(big.Int).Sub(w.balance(1), beforeA), ether(2))
	wantEqual(t, "B gain", new(big.Int).Sub(w.balance(2), beforeB), ether(3))
	if st := w.view(id).Status; st != channel.StatusSettled {
		t.Fatalf("status %s, want settled", st)
	}
}

func TestUnilateralCloseUpdateAndSettle(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(5), 600)
	if _, err := w.clients[2].Deposit(w.ctx, id, w.addr(2), ether(1)); err != nil {
		t.Fatal(err)
	}
	// A paid B 2 ETH over 4 payments; B paid A 0.5 ETH once.
	fromA := w.signProof(1, channel.BalanceProof{Channel: id, Nonce: 4, Transferred: ether(2)})
	staleFromA := w.signProof(1, channel.BalanceProof{Channel: id, Nonce: 3, Transferred: ether(1)})
	fromB := w.signProof(2, channel.BalanceProof{Channel: id, Nonce: 1, Transferred: big.NewInt(5e17)})

	// B closes with a stale proof of A's; B's watchtower (account 3) submits the newer one
	// with B's endorsement, as B's agent.
	if _, err := w.clients[2].Close(w.ctx, id, &staleFromA); err != nil {
		t.Fatalf("Close: %v", err)
	}
	v := w.view(id)
	if v.Status != channel.StatusClosing || v.NonceA != 3 || v.SettleAfter < w.headTime() {
		t.Fatalf("after close: %+v", v)
	}
	if _, err := w.clients[3].UpdateProof(w.ctx, fromA); !errors.Is(err, ErrNotParticipant) {
		t.Fatalf("UpdateProof by a watchtower without endorsement: %v, want NotParticipant", err)
	}
	if _, err := w.clients[3].UpdateProofFor(w.ctx, fromA, w.endorse(1, fromA)); !errors.Is(err, ErrWrongSigner) {
		t.Fatalf("UpdateProofFor endorsed by the payer: %v, want WrongSigner", err)
	}
	if _, err := w.clients[3].UpdateProofFor(w.ctx, fromA, w.endorse(2, fromA)); err != nil {
		t.Fatalf("UpdateProofFor by watchtower with B's endorsement: %v", err)
	}
	if _, err := w.clients[1].UpdateProof(w.ctx, fromB); err != nil {
		t.Fatalf("UpdateProof by A: %v", err)
	}
	if _, err := w.clients[1].Settle(w.ctx, id); !errors.Is(err, ErrChallengePeriodNotOver) {
		t.Fatalf("early settle: %v, want ChallengePeriodNotOver", err)
	}
	if err := w.chain.AdjustTime(601 * time.Second); err != nil {
		t.Fatal(err)
	}
	beforeA, beforeB := w.balance(1), w.balance(2)
	if _, err := w.clients[4].Settle(w.ctx, id); err != nil {
		t.Fatalf("Settle: %v", err)
	}
	// balA = 5 - 2 + 0.5 = 3.5; balB = 6 - 3.5 = 2.5
	wantEqual(t, "A payout", new(big.Int).Sub(w.balance(1), beforeA), big.NewInt(35e17))
	wantEqual(t, "B payout", new(big.Int).Sub(w.balance(2), beforeB), big.NewInt(25e17))
	v = w.view(id)
	if v.Status != channel.StatusSettled {
		t.Fatalf("status %s, want settled", v.Status)
	}
}

func TestCloseWithoutProof(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 1)
	if _, err := w.clients[1].Close(w.ctx, id, nil); err != nil {
		t.Fatalf("Close with no proof: %v", err)
	}
	v := w.view(id)
	if v.Status != channel.StatusClosing || v.NonceB != 0 {
		t.Fatalf("after close: %+v", v)
	}
}

func TestClaimWithNothingCreditedNamesError(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	got, err := w.clients[1].Claimable(w.ctx, w.addr(1), common.Address{})
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "claimable", got, new(big.Int))
	if _, err := w.clients[1].Claim(w.ctx, common.Address{}); !errors.Is(err, ErrNothingToClaim) {
		t.Fatalf("Claim: %v, want NothingToClaim", err)
	}
}

func TestWaitReceiptStopsWhenContextEnds(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	// Over the dev chain's in-process client (head subscription) and over HTTP (polling).
	httpURL, _, err := w.chain.Serve(w.ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	overHTTP, err := Dial(w.ctx, httpURL, w.chain.Contract(), w.chain.Accounts()[1].Key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer overHTTP.Disconnect()
	for name, c := range map[string]*Client{"in-process": w.clients[1], "http": overHTTP} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(w.ctx, 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.WaitReceipt(ctx, common.Hash{0x42})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("WaitReceipt of an unknown hash: %v, want deadline exceeded", err)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Fatalf("WaitReceipt took %s to notice the context", took)
			}
		})
	}
}

func TestReadOnlyClientReadsButRefusesWrites(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 60)
	ro, err := New(w.ctx, w.chain.Client(), w.chain.Contract(), nil, Options{})
	if err != nil {
		t.Fatalf("New without key: %v", err)
	}
	v, err := ro.Channel(w.ctx, id)
	if err != nil || v.Status != channel.StatusOpen {
		t.Fatalf("read-only Channel: %+v, %v", v, err)
	}
	page, err := ro.Events(w.ctx, 0, 0)
	if err != nil || len(page.Events) != 1 {
		t.Fatalf("read-only Events: %d events, %v", len(page.Events), err)
	}
	opened, ok := page.Events[0].(ChannelOpened)
	if !ok {
		t.Fatalf("event %T, want ChannelOpened", page.Events[0])
	}
	if fromEvent, fromView := opened.Params(ro.Domain()), v.Params(id, ro.Domain()); fmt.Sprint(fromEvent) != fmt.Sprint(fromView) {
		t.Fatalf("params from event %+v differ from view %+v", fromEvent, fromView)
	}
	if _, err := ro.Settle(w.ctx, id); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("read-only Settle: %v, want ErrReadOnly", err)
	}
	if _, _, err := Deploy(w.ctx, w.chain.Client(), nil, Options{}); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Deploy without key: %v, want ErrReadOnly", err)
	}
}

func TestClientOverServedWebSocket(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	_, wsURL, err := w.chain.Serve(w.ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Dial(w.ctx, wsURL, w.chain.Contract(), w.chain.Accounts()[6].Key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect()
	id, _, err := c.Open(w.ctx, w.addr(7), common.Address{}, ether(1), 60)
	if err != nil {
		t.Fatalf("Open over WebSocket: %v", err)
	}
	if v := w.view(id); v.A != c.Address() || v.Status != channel.StatusOpen {
		t.Fatalf("channel %+v", v)
	}
}

// laggingHead reports the head one block behind for its first calls, as geth does for a
// moment after inserting a block and before moving its head to it.
type laggingHead struct {
	Backend
	mu    sync.Mutex
	calls int
	lag   int
}

func (b *laggingHead) BlockNumber(ctx context.Context) (uint64, error) {
	n, err := b.Backend.BlockNumber(ctx)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if b.calls <= b.lag && n > 0 {
		n--
	}
	return n, err
}

func TestWaitReceiptReturnsOnlyOnceTheHeadIncludesTheBlock(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 60)
	lag := &laggingHead{Backend: w.chain.Client(), lag: 3}
	c, err := New(w.ctx, lag, w.chain.Contract(), w.chain.Accounts()[1].Key, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := c.Deposit(w.ctx, id, c.Address(), big.NewInt(1))
	if err != nil {
		t.Fatal(err)
	}
	lag.mu.Lock()
	calls := lag.calls
	lag.mu.Unlock()
	if calls <= 3 {
		t.Fatalf("receipt returned after %d head reads while the head lagged for 3", calls)
	}
	// What the node does next: read the block's events.
	evs, err := c.EventsInRange(w.ctx, rec.BlockNumber.Uint64(), rec.BlockNumber.Uint64())
	if err != nil || len(evs) != 1 {
		t.Fatalf("events of the receipt's block: %d, %v", len(evs), err)
	}
}
