package contracts_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestCloseRecordsPartnerProofAndStartsChallenge(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	id := e.openETH(a, b.Address, eth(5), 600)
	p := e.signProof(b.Key, id, 4, eth(1)) // b has paid a 1 ETH over 4 payments

	rec := e.mustSend(a, e.channels, nil, e.sc.PackClose(id, p.nonce, p.transferred, p.sig))
	ev := findEvent(t, rec, e.sc.UnpackChannelClosedEvent)
	block, err := e.client.HeaderByNumber(e.ctx, rec.BlockNumber)
	if err != nil {
		t.Fatalf("close block: %v", err)
	}
	if ev.Id != id || ev.Closer != a.Address || ev.Nonce != 4 || ev.SettleAfter != block.Time+600 {
		t.Fatalf("ChannelClosed = %+v, close block time %d", ev, block.Time)
	}
	wantBig(t, "event transferred", ev.Transferred, eth(1))
	v := e.view(id)
	if v.Status != 2 || v.SettleAfter != block.Time+600 || v.NonceB != 4 || v.NonceA != 0 {
		t.Fatalf("view after close = %+v", v)
	}
	wantBig(t, "transferredB", v.TransferredB, eth(1))
	wantBig(t, "transferredA", v.TransferredA, new(big.Int))
}

func TestCloseWithoutProofRecordsNothing(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	id := e.openETH(a, b.Address, eth(5), 600)
	rec := e.mustSend(b, e.channels, nil, e.sc.PackClose(id, 0, new(big.Int), nil))
	ev := findEvent(t, rec, e.sc.UnpackChannelClosedEvent)
	if ev.Closer != b.Address || ev.Nonce != 0 || ev.Transferred.Sign() != 0 {
		t.Fatalf("ChannelClosed = %+v", ev)
	}
	if v := e.view(id); v.Status != 2 || v.NonceA != 0 || v.NonceB != 0 {
		t.Fatalf("view after close without proof = %+v", v)
	}
}

func TestCloseRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 600)
	closing := e.openETH(a, b.Address, eth(5), 600)
	e.mustSend(b, e.channels, nil, e.sc.PackClose(closing, 0, new(big.Int), nil))
	fromB := e.signProof(b.Key, id, 3, eth(1))
	fromA := e.signProof(a.Key, id, 3, eth(1))
	tooLarge := new(big.Int).Lsh(big.NewInt(1), 128)
	hugeFromB := e.signProof(b.Key, id, 3, tooLarge)

	cases := []struct {
		name   string
		from   devchain.Account
		id     [32]byte
		nonce  uint64
		amount *big.Int
		sig    []byte
		want   string
	}{
		{"non-participant", stranger, id, fromB.nonce, fromB.transferred, fromB.sig, "NotParticipant"},
		{"closer's own proof", a, id, fromA.nonce, fromA.transferred, fromA.sig, "WrongSigner"},
		{"proof altered", a, id, fromB.nonce, eth(2), fromB.sig, "WrongSigner"},
		{"high-s proof", a, id, fromB.nonce, fromB.transferred, highS(fromB.sig), "InvalidSignature"},
		{"nonce 0 with a signature", a, id, 0, new(big.Int), fromB.sig, "InvalidSignature"},
		{"nonce 0 with an amount", a, id, 0, eth(1), nil, "InvalidAmount"},
		{"transferred over 2^128-1", a, id, 3, tooLarge, hugeFromB.sig, "AmountTooLarge"},
		{"already closing", a, closing, 0, new(big.Int), nil, "ChannelNotOpen"},
		{"unknown channel", a, [32]byte{5}, 0, new(big.Int), nil, "UnknownChannel"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.with(t).expectRevert(tc.from, e.channels, nil, e.sc.PackClose(tc.id, tc.nonce, tc.amount, tc.sig), errID(t, tc.want))
		})
	}
}

func TestUpdateProofByAnyoneRaisesSignersRecord(t *testing.T) {
	e := newEVM(t)
	a, b, watchtower := e.accounts[1], e.accounts[2], e.accounts[4]
	id := e.openETH(a, b.Address, eth(5), 600)
	e.mustSend(b, e.channels, eth(5), e.sc.PackDeposit(id, b.Address, eth(5)))
	// b closes with an old proof of a's payments; a's watchtower submits a newer one and
	// a proof of b's own payments, which b "forgot".
	old := e.signProof(a.Key, id, 2, eth(1))
	e.mustSend(b, e.channels, nil, e.sc.PackClose(id, old.nonce, old.transferred, old.sig))

	steps := []struct {
		name   string
		signer devchain.Account
		p      proof
	}{
		{"b's own payments", b, e.signProof(b.Key, id, 9, eth(3))},
		{"a's newer proof", a, e.signProof(a.Key, id, 3, eth(2))},
		{"b's later proof", b, e.signProof(b.Key, id, 10, eth(4))},
	}
	for _, s := range steps {
		rec := e.mustSend(watchtower, e.channels, nil, e.sc.PackUpdateProof(id, s.p.nonce, s.p.transferred, s.p.sig))
		ev := findEvent(t, rec, e.sc.UnpackProofUpdatedEvent)
		if ev.Id != id || ev.Signer != s.signer.Address || ev.Nonce != s.p.nonce {
			t.Fatalf("%s: ProofUpdated = %+v", s.name, ev)
		}
		wantBig(t, s.name+": event transferred", ev.Transferred, s.p.transferred)
	}
	v := e.view(id)
	if v.NonceA != 3 || v.NonceB != 10 {
		t.Fatalf("nonces after updates = (%d, %d), want (3, 10)", v.NonceA, v.NonceB)
	}
	wantBig(t, "transferredA", v.TransferredA, eth(2))
	wantBig(t, "transferredB", v.TransferredB, eth(4))
}

func TestUpdateProofRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 600)
	open := e.openETH(a, b.Address, eth(5), 600)
	recorded := e.signProof(a.Key, id, 5, eth(1))
	e.mustSend(b, e.channels, nil, e.sc.PackClose(id, recorded.nonce, recorded.transferred, recorded.sig))
	older := e.signProof(a.Key, id, 4, eth(2))
	fromStranger := e.signProof(stranger.Key, id, 6, eth(2))
	newer := e.signProof(a.Key, id, 6, eth(2))
	onOpen := e.signProof(a.Key, open, 6, eth(2))
	tooLarge := new(big.Int).Lsh(big.NewInt(1), 128)
	huge := e.signProof(a.Key, id, 7, tooLarge)

	cases := []struct {
		name string
		id   [32]byte
		p    proof
		want string
	}{
		{"older nonce", id, older, "StaleNonce"},
		{"equal nonce", id, recorded, "StaleNonce"},
		{"signed by a non-participant", id, fromStranger, "WrongSigner"},
		{"high-s proof", id, proof{newer.nonce, newer.transferred, highS(newer.sig)}, "InvalidSignature"},
		{"malformed signature", id, proof{newer.nonce, newer.transferred, newer.sig[:30]}, "InvalidSignature"},
		{"transferred over 2^128-1", id, huge, "AmountTooLarge"},
		{"open channel", open, onOpen, "ChannelNotClosing"},
		{"unknown channel", [32]byte{3}, newer, "UnknownChannel"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.with(t).expectRevert(stranger, e.channels, nil, e.sc.PackUpdateProof(tc.id, tc.p.nonce, tc.p.transferred, tc.p.sig), errID(t, tc.want))
		})
	}
	t.Run("after settleAfter", func(t *testing.T) {
		e := e.with(t)
		e.advance(601 * time.Second)
		e.expectRevert(stranger, e.channels, nil, e.sc.PackUpdateProof(id, newer.nonce, newer.transferred, newer.sig), errID(t, "ChallengePeriodOver"))
	})
}

func TestSettleRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 600)
	open := e.openETH(a, b.Address, eth(5), 600)
	e.mustSend(a, e.channels, nil, e.sc.PackClose(id, 0, new(big.Int), nil))

	e.expectRevert(stranger, e.channels, nil, e.sc.PackSettle(id), errID(t, "ChallengePeriodNotOver"))
	e.expectRevert(stranger, e.channels, nil, e.sc.PackSettle(open), errID(t, "ChannelNotClosing"))
	e.expectRevert(stranger, e.channels, nil, e.sc.PackSettle([32]byte{4}), errID(t, "UnknownChannel"))
	e.advance(601 * time.Second)
	e.mustSend(stranger, e.channels, nil, e.sc.PackSettle(id))
	e.expectRevert(stranger, e.channels, nil, e.sc.PackSettle(id), errID(t, "ChannelNotClosing"))
}

func TestSettlePaysClampedBalances(t *testing.T) {
	cases := []struct {
		name                   string
		depositA, depositB     *big.Int
		withdrawA, withdrawB   *big.Int
		transferA, transferB   *big.Int // cumulative proofs signed by A / B, 0 = none
		wantBalanceA, wantBalB *big.Int
	}{
		{"no payments", eth(5), eth(3), nil, nil, nil, nil, eth(5), eth(3)},
		{"payments both ways", eth(5), eth(3), nil, nil, eth(2), eth(1), eth(4), eth(4)},
		{"withdrawals counted", eth(5), eth(3), eth(1), eth(2), eth(1), nil, eth(3), eth(2)},
		{"a overpaid: clamped to 0", eth(2), eth(3), nil, nil, eth(9), nil, eth(0), eth(5)},
		{"b overpaid: clamped to total", eth(2), eth(3), nil, nil, nil, eth(9), eth(5), eth(0)},
		{"a withdrew b's payments then got more", eth(1), eth(4), eth(3), nil, nil, eth(3), eth(1), eth(1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEVM(t)
			a, b, watcher := e.accounts[1], e.accounts[2], e.accounts[3]
			id := e.openETH(a, b.Address, tc.depositA, 60)
			e.mustSend(b, e.channels, tc.depositB, e.sc.PackDeposit(id, b.Address, tc.depositB))
			expiry := e.now() + 600
			for _, w := range []struct {
				who   devchain.Account
				total *big.Int
			}{{a, tc.withdrawA}, {b, tc.withdrawB}} {
				if w.total != nil {
					sigA, sigB := e.signWithdrawal(id, w.who.Address, w.total, expiry, a.Key, b.Key)
					e.mustSend(w.who, e.channels, nil, e.sc.PackWithdraw(id, w.who.Address, w.total, expiry, sigA, sigB))
				}
			}
			// a closes with b's proof (if any); a watcher adds a's proof (if any).
			closeProof := proof{transferred: new(big.Int)}
			if tc.transferB != nil {
				closeProof = e.signProof(b.Key, id, 1, tc.transferB)
			}
			e.mustSend(a, e.channels, nil, e.sc.PackClose(id, closeProof.nonce, closeProof.transferred, closeProof.sig))
			if tc.transferA != nil {
				p := e.signProof(a.Key, id, 1, tc.transferA)
				e.mustSend(watcher, e.channels, nil, e.sc.PackUpdateProof(id, p.nonce, p.transferred, p.sig))
			}
			e.advance(61 * time.Second)

			beforeA, beforeB := e.balance(a.Address), e.balance(b.Address)
			rec := e.mustSend(watcher, e.channels, nil, e.sc.PackSettle(id))
			ev := findEvent(t, rec, e.sc.UnpackChannelSettledEvent)
			if ev.Cooperative {
				t.Fatal("unilateral settlement reported as cooperative")
			}
			wantBig(t, "event balanceA", ev.BalanceA, tc.wantBalanceA)
			wantBig(t, "event balanceB", ev.BalanceB, tc.wantBalB)
			wantBig(t, "a's payout", new(big.Int).Sub(e.balance(a.Address), beforeA), tc.wantBalanceA)
			wantBig(t, "b's payout", new(big.Int).Sub(e.balance(b.Address), beforeB), tc.wantBalB)
			assertSettledAndCleared(t, e.view(id))
		})
	}
}

func TestSettlePaysTokensAndEmptiesEscrow(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	token := e.deployNoBoolToken([]devchain.Account{a, b}, eth(100))
	id := e.openToken(a, b.Address, token, eth(10), 60)
	e.approve(b, token, eth(5))
	e.mustSend(b, e.channels, nil, e.sc.PackDeposit(id, b.Address, eth(5)))
	p := e.signProof(a.Key, id, 12, eth(4))
	e.mustSend(b, e.channels, nil, e.sc.PackClose(id, p.nonce, p.transferred, p.sig))
	e.advance(61 * time.Second)
	e.mustSend(a, e.channels, nil, e.sc.PackSettle(id))
	wantBig(t, "a's tokens", e.tokenBalance(token, a.Address), eth(96))
	wantBig(t, "b's tokens", e.tokenBalance(token, b.Address), eth(104))
	wantBig(t, "escrowed tokens", e.tokenBalance(token, e.channels), new(big.Int))
	if v := e.view(id); v.Token != (common.Address{}) || v.Status != 3 {
		t.Fatalf("view after token settle = %+v", v)
	}
}
