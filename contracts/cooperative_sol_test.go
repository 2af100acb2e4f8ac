package contracts_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts/bindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestCloseCooperativePaysBothAndSettles(t *testing.T) {
	e := newEVM(t)
	a, b, relayer := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(6), 60)
	e.mustSend(b, e.channels, eth(4), e.sc.PackDeposit(id, b.Address, eth(4)))
	expiry := e.now() + 600
	wA, wB := e.signWithdrawal(id, a.Address, eth(1), expiry, a.Key, b.Key)
	e.mustSend(a, e.channels, nil, e.sc.PackWithdraw(id, a.Address, eth(1), expiry, wA, wB))

	balanceA, balanceB := eth(2), eth(7) // 6 + 4 - 1 withdrawn
	beforeA, beforeB, escrow := e.balance(a.Address), e.balance(b.Address), e.balance(e.channels)
	sigA, sigB := e.signSettlement(id, balanceA, balanceB, a.Key, b.Key)
	rec := e.mustSend(relayer, e.channels, nil, e.sc.PackCloseCooperative(id, balanceA, balanceB, sigA, sigB))

	ev := findEvent(t, rec, e.sc.UnpackChannelSettledEvent)
	if ev.Id != id || !ev.Cooperative {
		t.Fatalf("ChannelSettled = %+v", ev)
	}
	wantBig(t, "event balanceA", ev.BalanceA, balanceA)
	wantBig(t, "event balanceB", ev.BalanceB, balanceB)
	wantBig(t, "a's payout", new(big.Int).Sub(e.balance(a.Address), beforeA), balanceA)
	wantBig(t, "b's payout", new(big.Int).Sub(e.balance(b.Address), beforeB), balanceB)
	wantBig(t, "escrow drained by", new(big.Int).Sub(escrow, e.balance(e.channels)), eth(9))
	assertSettledAndCleared(t, e.view(id))

	// A settled channel cannot be paid twice, nor reused.
	e.expectRevert(relayer, e.channels, nil, e.sc.PackCloseCooperative(id, balanceA, balanceB, sigA, sigB), errID(t, "ChannelNotOpen"))
	e.expectRevert(a, e.channels, eth(1), e.sc.PackDeposit(id, a.Address, eth(1)), errID(t, "ChannelNotOpen"))
	e.expectRevert(a, e.channels, nil, e.sc.PackClose(id, 0, new(big.Int), new(big.Int), [32]byte{}, nil), errID(t, "ChannelNotOpen"))
	e.expectRevert(a, e.channels, nil, e.sc.PackSettle(id), errID(t, "ChannelNotClosing"))
}

// assertSettledAndCleared checks that only the Settled status survives settlement: the
// rest of the record is deleted for the gas refund.
func assertSettledAndCleared(t *testing.T, v bindings.SluiceChannelsChannelView) {
	t.Helper()
	if v.Status != 3 {
		t.Fatalf("status = %d, want 3 (Settled)", v.Status)
	}
	zeroAddr := v.A == (common.Address{}) && v.B == (common.Address{}) && v.Token == (common.Address{})
	zeroNums := v.ChallengePeriod == 0 && v.SettleAfter == 0 && v.NonceA == 0 && v.NonceB == 0 &&
		v.DepositA.Sign() == 0 && v.DepositB.Sign() == 0 && v.WithdrawnA.Sign() == 0 && v.WithdrawnB.Sign() == 0 &&
		v.TransferredA.Sign() == 0 && v.TransferredB.Sign() == 0
	if !zeroAddr || !zeroNums {
		t.Fatalf("settled channel record not cleared: %+v", v)
	}
}

func TestCloseCooperativeRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 60)
	closing := e.openETH(a, b.Address, eth(5), 60)
	e.mustSend(a, e.channels, nil, e.sc.PackClose(closing, 0, new(big.Int), new(big.Int), [32]byte{}, nil))

	good := func(id [32]byte, balA, balB *big.Int) (sigA, sigB []byte) {
		return e.signSettlement(id, balA, balB, a.Key, b.Key)
	}
	sigA, sigB := good(id, eth(3), eth(2))
	strangerSig, _ := e.signSettlement(id, eth(3), eth(2), stranger.Key, b.Key)
	overA, overB := good(id, eth(6), eth(0))
	closingA, closingB := good(closing, eth(3), eth(2))
	maxU256 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	wrapA, wrapB := good(id, maxU256, big.NewInt(1)) // sums to 5 ETH only modulo 2^256

	cases := []struct {
		name       string
		id         [32]byte
		balA, balB *big.Int
		sigA, sigB []byte
		want       string
	}{
		{"sum below total", id, eth(3), eth(1), sigA, sigB, "WrongBalanceSum"},
		{"sum above total", id, eth(6), eth(0), overA, overB, "WrongBalanceSum"},
		{"sum that wraps around 2^256", id, maxU256, big.NewInt(1), wrapA, wrapB, "WrongBalanceSum"},
		{"balances differ from signed", id, eth(2), eth(3), sigA, sigB, "WrongSigner"},
		{"signed by a stranger", id, eth(3), eth(2), strangerSig, sigB, "WrongSigner"},
		{"sigs swapped", id, eth(3), eth(2), sigB, sigA, "WrongSigner"},
		{"high-s signature", id, eth(3), eth(2), sigA, highS(sigB), "InvalidSignature"},
		{"empty signature", id, eth(3), eth(2), nil, sigB, "InvalidSignature"},
		{"closing channel", closing, eth(3), eth(2), closingA, closingB, "ChannelNotOpen"},
		{"unknown channel", [32]byte{7}, eth(3), eth(2), sigA, sigB, "UnknownChannel"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.with(t).expectRevert(stranger, e.channels, nil, e.sc.PackCloseCooperative(tc.id, tc.balA, tc.balB, tc.sigA, tc.sigB), errID(t, tc.want))
		})
	}
}

func TestCloseCooperativePaysTokens(t *testing.T) {
	cases := []struct {
		name   string
		deploy func(e *evm, holders []devchain.Account) common.Address
	}{
		{"standard ERC-20", func(e *evm, h []devchain.Account) common.Address { return e.deployToken(h, eth(100)) }},
		{"token returning no bool", func(e *evm, h []devchain.Account) common.Address { return e.deployNoBoolToken(h, eth(100)) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEVM(t)
			a, b := e.accounts[1], e.accounts[2]
			token := tc.deploy(e, []devchain.Account{a})
			id := e.openToken(a, b.Address, token, eth(10), 60)
			sigA, sigB := e.signSettlement(id, eth(6), eth(4), a.Key, b.Key)
			e.mustSend(a, e.channels, nil, e.sc.PackCloseCooperative(id, eth(6), eth(4), sigA, sigB))
			wantBig(t, "a's tokens", e.tokenBalance(token, a.Address), eth(96))
			wantBig(t, "b's tokens", e.tokenBalance(token, b.Address), eth(4))
			wantBig(t, "escrowed tokens", e.tokenBalance(token, e.channels), new(big.Int))
		})
	}
}

// TestFeeTokenChannelPaysOutWhatArrived: with a fee-on-transfer token the channel holds
// only what arrived; a settlement of exactly that empties the escrow, and each payout is
// charged the token's fee on the way out, not by the escrow.
func TestFeeTokenChannelPaysOutWhatArrived(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	token := e.deployFeeToken([]devchain.Account{a}, eth(100))
	id := e.openToken(a, b.Address, token, eth(10), 60)
	held := e.view(id).DepositA // 9.9 after the 1% fee
	balanceB := eth(4)
	balanceA := new(big.Int).Sub(held, balanceB)
	sigA, sigB := e.signSettlement(id, balanceA, balanceB, a.Key, b.Key)
	e.mustSend(a, e.channels, nil, e.sc.PackCloseCooperative(id, balanceA, balanceB, sigA, sigB))

	afterFee := func(x *big.Int) *big.Int { return new(big.Int).Sub(x, new(big.Int).Div(x, big.NewInt(100))) }
	wantBig(t, "a's tokens", e.tokenBalance(token, a.Address), new(big.Int).Add(eth(90), afterFee(balanceA)))
	wantBig(t, "b's tokens", e.tokenBalance(token, b.Address), afterFee(balanceB))
	wantBig(t, "escrowed tokens", e.tokenBalance(token, e.channels), new(big.Int))
}
