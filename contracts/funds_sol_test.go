package contracts_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestDepositTopsUpEitherSideFromEitherParticipant(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	id := e.openETH(a, b.Address, eth(1), 60)

	rec := e.mustSend(a, e.channels, eth(3), e.sc.PackDeposit(id, b.Address, eth(3)))
	ev := findEvent(t, rec, e.sc.UnpackDepositedEvent)
	if ev.Id != id || ev.Participant != b.Address {
		t.Fatalf("Deposited = %+v", ev)
	}
	wantBig(t, "event amount", ev.Amount, eth(3))
	wantBig(t, "event total", ev.TotalDeposit, eth(3))

	e.mustSend(b, e.channels, eth(2), e.sc.PackDeposit(id, a.Address, eth(2)))
	v := e.view(id)
	wantBig(t, "depositA", v.DepositA, eth(3))
	wantBig(t, "depositB", v.DepositB, eth(3))
}

// A stranger's deposit used to change the total a co-signed Settlement must sum to, so one
// wei from anyone turned a cooperative close into WrongBalanceSum (issue 14, finding 3).
func TestStrangerCannotDepositAndBreakACoSignedSettlement(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 60)
	sigA, sigB := e.signSettlement(id, eth(2), eth(3), a.Key, b.Key)
	for _, side := range []common.Address{a.Address, b.Address} {
		e.expectRevert(stranger, e.channels, big.NewInt(1), e.sc.PackDeposit(id, side, big.NewInt(1)), errID(t, "NotParticipant"))
	}
	beforeA, beforeB := e.balance(a.Address), e.balance(b.Address)
	e.mustSend(stranger, e.channels, nil, e.sc.PackCloseCooperative(id, eth(2), eth(3), sigA, sigB))
	wantBig(t, "a's payout", new(big.Int).Sub(e.balance(a.Address), beforeA), eth(2))
	wantBig(t, "b's payout", new(big.Int).Sub(e.balance(b.Address), beforeB), eth(3))
}

func TestDepositCreditsWhatFeeTokenDelivered(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	token := e.deployFeeToken([]devchain.Account{a, b}, eth(100))
	id := e.openToken(a, b.Address, token, eth(10), 60)
	e.approve(b, token, eth(20))
	rec := e.mustSend(b, e.channels, nil, e.sc.PackDeposit(id, b.Address, eth(20)))
	ev := findEvent(t, rec, e.sc.UnpackDepositedEvent)
	wantBig(t, "credited", ev.Amount, new(big.Int).Div(eth(198), big.NewInt(10)))
	wantBig(t, "depositB", e.view(id).DepositB, ev.Amount)
}

func TestDepositRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	open := e.openETH(a, b.Address, eth(1), 60)
	closing := e.openETH(a, b.Address, eth(1), 60)
	e.mustSend(a, e.channels, nil, e.sc.PackClose(closing, 0, new(big.Int), new(big.Int), [32]byte{}, nil))
	nearMax := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(5))
	token := e.deployToken([]devchain.Account{a}, new(big.Int).Lsh(big.NewInt(1), 129))
	full := e.openToken(a, b.Address, token, nearMax, 60)
	e.approve(a, token, eth(1))

	cases := []struct {
		name        string
		from        devchain.Account
		id          [32]byte
		participant common.Address
		amount      *big.Int
		value       *big.Int
		want        string
	}{
		{"unknown channel", stranger, [32]byte{1}, a.Address, eth(1), eth(1), "UnknownChannel"},
		{"closing channel", stranger, closing, a.Address, eth(1), eth(1), "ChannelNotOpen"},
		{"non-participant", a, open, stranger.Address, eth(1), eth(1), "NotParticipant"},
		{"stranger paying for a participant", stranger, open, a.Address, eth(1), eth(1), "NotParticipant"},
		{"zero amount", b, open, a.Address, new(big.Int), nil, "InvalidAmount"},
		{"value differs from amount", b, open, a.Address, eth(2), eth(1), "EthValueMismatch"},
		{"total deposit over 2^128-1", a, full, a.Address, big.NewInt(5), nil, "AmountTooLarge"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.with(t).expectRevert(tc.from, e.channels, tc.value, e.sc.PackDeposit(tc.id, tc.participant, tc.amount), errID(t, tc.want))
		})
	}
}

func TestWithdrawPaysDifferenceOfCumulativeTotal(t *testing.T) {
	e := newEVM(t)
	a, b, relayer := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 60)
	e.mustSend(b, e.channels, eth(5), e.sc.PackDeposit(id, b.Address, eth(5)))
	expiry := e.now() + 3600

	// b may withdraw more than it deposited: off-chain payments from a are its money too.
	for i, total := range []*big.Int{eth(2), eth(7)} {
		before := e.balance(b.Address)
		sigA, sigB := e.signWithdrawal(id, b.Address, total, expiry, a.Key, b.Key)
		rec := e.mustSend(relayer, e.channels, nil, e.sc.PackWithdraw(id, b.Address, total, expiry, sigA, sigB))
		ev := findEvent(t, rec, e.sc.UnpackWithdrawnEvent)
		wantAmount := []*big.Int{eth(2), eth(5)}[i]
		wantBig(t, "withdrawn amount", ev.Amount, wantAmount)
		wantBig(t, "event total", ev.TotalWithdrawn, total)
		wantBig(t, "b's balance gain", new(big.Int).Sub(e.balance(b.Address), before), wantAmount)
		wantBig(t, "withdrawnB", e.view(id).WithdrawnB, total)
	}
}

func TestWithdrawRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(4), 60)
	closing := e.openETH(a, b.Address, eth(4), 60)
	now := e.now()
	expiry := now + 3600

	used := eth(1)
	sigA, sigB := e.signWithdrawal(id, a.Address, used, expiry, a.Key, b.Key)
	e.mustSend(a, e.channels, nil, e.sc.PackWithdraw(id, a.Address, used, expiry, sigA, sigB))

	type req struct {
		id          [32]byte
		participant common.Address
		total       *big.Int
		expiry      uint64
		sigA, sigB  []byte
	}
	signed := func(id [32]byte, p common.Address, total *big.Int, expiry uint64) req {
		sA, sB := e.signWithdrawal(id, p, total, expiry, a.Key, b.Key)
		return req{id, p, total, expiry, sA, sB}
	}
	withSigs := func(r req, sigA, sigB []byte) req { r.sigA, r.sigB = sigA, sigB; return r }
	good := signed(id, a.Address, eth(2), expiry)
	strangerSigA, _ := e.signWithdrawal(id, a.Address, eth(2), expiry, stranger.Key, b.Key)

	cases := []struct {
		name string
		req  req
		want string
	}{
		{"expired", signed(id, a.Address, eth(2), now-1), "WithdrawalExpired"},
		{"replayed total", withSigs(signed(id, a.Address, used, expiry), sigA, sigB), "WithdrawalNotIncreasing"},
		{"lower total", signed(id, a.Address, big.NewInt(1), expiry), "WithdrawalNotIncreasing"},
		{"more than both deposits", signed(id, a.Address, eth(5), expiry), "InvalidAmount"},
		{"signed by a stranger", withSigs(good, strangerSigA, good.sigB), "WrongSigner"},
		{"sigs swapped", withSigs(good, good.sigB, good.sigA), "WrongSigner"},
		{"signature for another total", withSigs(signed(id, a.Address, eth(3), expiry), good.sigA, good.sigB), "WrongSigner"},
		{"high-s signature", withSigs(good, highS(good.sigA), good.sigB), "InvalidSignature"},
		{"short signature", withSigs(good, good.sigA[:64], good.sigB), "InvalidSignature"},
		{"v not 27 or 28", withSigs(good, append(append([]byte(nil), good.sigA[:64]...), 1), good.sigB), "InvalidSignature"},
		{"non-participant", signed(id, stranger.Address, eth(1), expiry), "NotParticipant"},
		{"unknown channel", signed([32]byte{9}, a.Address, eth(1), expiry), "UnknownChannel"},
		{"total over 2^128-1", signed(id, a.Address, new(big.Int).Lsh(big.NewInt(1), 128), expiry), "AmountTooLarge"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.req
			e.with(t).expectRevert(stranger, e.channels, nil, e.sc.PackWithdraw(r.id, r.participant, r.total, r.expiry, r.sigA, r.sigB), errID(t, tc.want))
		})
	}

	t.Run("closing channel", func(t *testing.T) {
		e := e.with(t)
		r := signed(closing, a.Address, eth(1), expiry)
		e.mustSend(b, e.channels, nil, e.sc.PackClose(closing, 0, new(big.Int), new(big.Int), [32]byte{}, nil))
		e.expectRevert(a, e.channels, nil, e.sc.PackWithdraw(r.id, r.participant, r.total, r.expiry, r.sigA, r.sigB), errID(t, "ChannelNotOpen"))
	})
	t.Run("valid request still succeeds", func(t *testing.T) {
		e := e.with(t)
		e.mustSend(stranger, e.channels, nil, e.sc.PackWithdraw(good.id, good.participant, good.total, good.expiry, good.sigA, good.sigB))
	})
}

func TestWithdrawPaysTokens(t *testing.T) {
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
			expiry := e.now() + 600
			sigA, sigB := e.signWithdrawal(id, b.Address, eth(4), expiry, a.Key, b.Key)
			e.mustSend(b, e.channels, nil, e.sc.PackWithdraw(id, b.Address, eth(4), expiry, sigA, sigB))
			wantBig(t, "b's tokens", e.tokenBalance(token, b.Address), eth(4))
			wantBig(t, "escrowed tokens", e.tokenBalance(token, e.channels), eth(6))
		})
	}
}
