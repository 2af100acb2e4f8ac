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

	rec := e.mustSend(a, e.channels, nil, e.sc.PackClose(id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig))
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
	rec := e.mustSend(b, e.channels, nil, e.sc.PackClose(id, 0, new(big.Int), new(big.Int), [32]byte{}, nil))
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
	e.mustSend(b, e.channels, nil, e.sc.PackClose(closing, 0, new(big.Int), new(big.Int), [32]byte{}, nil))
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
			e.with(t).expectRevert(tc.from, e.channels, nil, e.sc.PackClose(tc.id, tc.nonce, tc.amount, new(big.Int), [32]byte{}, tc.sig), errID(t, tc.want))
		})
	}
}

func TestUpdateProofByReceiverOrItsEndorsedAgentRaisesPayersRecord(t *testing.T) {
	e := newEVM(t)
	a, b, watchtower := e.accounts[1], e.accounts[2], e.accounts[4]
	id := e.openETH(a, b.Address, eth(5), 600)
	e.mustSend(b, e.channels, eth(5), e.sc.PackDeposit(id, b.Address, eth(5)))
	// b closes with an old proof of a's payments; a submits b's payments to it, b's
	// watchtower (with b's endorsement) and then b itself submit newer proofs of a's.
	old := e.signProof(a.Key, id, 2, eth(1))
	e.mustSend(b, e.channels, nil, e.sc.PackClose(id, old.nonce, old.transferred, new(big.Int), [32]byte{}, old.sig))

	fromB := e.signProof(b.Key, id, 9, eth(3))
	newerA := e.signProof(a.Key, id, 3, eth(2))
	latestA := e.signProof(a.Key, id, 4, eth(2))
	steps := []struct {
		name   string
		from   devchain.Account
		signer devchain.Account
		p      proof
		call   []byte
	}{
		{"a submits b's payments to it", a, b, fromB, e.sc.PackUpdateProof(id, fromB.nonce, fromB.transferred, new(big.Int), [32]byte{}, fromB.sig)},
		{"b's watchtower submits a's newer proof", watchtower, a, newerA,
			e.sc.PackUpdateProofFor(id, newerA.nonce, newerA.transferred, new(big.Int), [32]byte{}, newerA.sig, e.endorse(b.Key, id, newerA))},
		{"b submits a's latest proof", b, a, latestA, e.sc.PackUpdateProof(id, latestA.nonce, latestA.transferred, new(big.Int), [32]byte{}, latestA.sig)},
	}
	for _, s := range steps {
		rec := e.mustSend(s.from, e.channels, nil, s.call)
		ev := findEvent(t, rec, e.sc.UnpackProofUpdatedEvent)
		if ev.Id != id || ev.Signer != s.signer.Address || ev.Nonce != s.p.nonce {
			t.Fatalf("%s: ProofUpdated = %+v", s.name, ev)
		}
		wantBig(t, s.name+": event transferred", ev.Transferred, s.p.transferred)
	}
	v := e.view(id)
	if v.NonceA != 4 || v.NonceB != 9 {
		t.Fatalf("nonces after updates = (%d, %d), want (4, 9)", v.NonceA, v.NonceB)
	}
	wantBig(t, "transferredA", v.TransferredA, eth(2))
	wantBig(t, "transferredB", v.TransferredB, eth(3))
}

// Issue 14, finding 1: under the old rule (anyone, any participant's signature, higher
// nonce) the payer erased its payments with a fresh proof of its own (nonce 2^64-1,
// transferred 0), and the payee's honest proof was then refused as stale.
func TestPayerCannotEraseItsPaymentsWithAForgedHigherNonceProof(t *testing.T) {
	e := newEVM(t)
	a, b, accomplice := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 600)
	honest := e.signProof(a.Key, id, 100, eth(3)) // a paid b 3 ETH over 100 payments
	e.mustSend(a, e.channels, nil, e.sc.PackClose(id, 0, new(big.Int), new(big.Int), [32]byte{}, nil))

	forged := e.signProof(a.Key, id, ^uint64(0), new(big.Int))
	attempts := []struct {
		name string
		from devchain.Account
		call []byte
		want string
	}{
		{"payer submits its own proof", a, e.sc.PackUpdateProof(id, forged.nonce, forged.transferred, new(big.Int), [32]byte{}, forged.sig), "WrongSigner"},
		{"accomplice submits it", accomplice, e.sc.PackUpdateProof(id, forged.nonce, forged.transferred, new(big.Int), [32]byte{}, forged.sig), "NotParticipant"},
		{"payer endorses its own proof", accomplice,
			e.sc.PackUpdateProofFor(id, forged.nonce, forged.transferred, new(big.Int), [32]byte{}, forged.sig, e.endorse(a.Key, id, forged)), "WrongSigner"},
		{"endorsement by a stranger", accomplice,
			e.sc.PackUpdateProofFor(id, forged.nonce, forged.transferred, new(big.Int), [32]byte{}, forged.sig, e.endorse(accomplice.Key, id, forged)), "WrongSigner"},
		{"receiver's endorsement of another proof", accomplice,
			e.sc.PackUpdateProofFor(id, forged.nonce, forged.transferred, new(big.Int), [32]byte{}, forged.sig, e.endorse(b.Key, id, honest)), "WrongSigner"},
		{"receiver's signature as a balance proof, not an endorsement", accomplice,
			e.sc.PackUpdateProofFor(id, forged.nonce, forged.transferred, new(big.Int), [32]byte{}, forged.sig, e.signProof(b.Key, id, forged.nonce, forged.transferred).sig), "WrongSigner"},
	}
	for _, at := range attempts {
		t.Run(at.name, func(t *testing.T) {
			e.with(t).expectRevert(at.from, e.channels, nil, at.call, errID(t, at.want))
		})
	}
	if v := e.view(id); v.NonceA != 0 || v.TransferredA.Sign() != 0 {
		t.Fatalf("a forged proof reached the chain: %+v", v)
	}
	e.mustSend(b, e.channels, nil, e.sc.PackUpdateProof(id, honest.nonce, honest.transferred, new(big.Int), [32]byte{}, honest.sig))
	e.advance(601 * time.Second)
	beforeA, beforeB := e.balance(a.Address), e.balance(b.Address)
	e.mustSend(accomplice, e.channels, nil, e.sc.PackSettle(id))
	wantBig(t, "a's payout", new(big.Int).Sub(e.balance(a.Address), beforeA), eth(2))
	wantBig(t, "b's payout", new(big.Int).Sub(e.balance(b.Address), beforeB), eth(3))
}

func TestUpdateProofRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 600)
	open := e.openETH(a, b.Address, eth(5), 600)
	recorded := e.signProof(a.Key, id, 5, eth(1))
	e.mustSend(b, e.channels, nil, e.sc.PackClose(id, recorded.nonce, recorded.transferred, new(big.Int), [32]byte{}, recorded.sig))
	older := e.signProof(a.Key, id, 4, eth(2))
	fromStranger := e.signProof(stranger.Key, id, 6, eth(2))
	newer := e.signProof(a.Key, id, 6, eth(2))
	onOpen := e.signProof(a.Key, open, 6, eth(2))
	tooLarge := new(big.Int).Lsh(big.NewInt(1), 128)
	huge := e.signProof(a.Key, id, 7, tooLarge)

	cases := []struct {
		name string
		from devchain.Account
		id   [32]byte
		p    proof
		want string
	}{
		{"older nonce", b, id, older, "StaleNonce"},
		{"equal nonce", b, id, recorded, "StaleNonce"},
		{"signed by a non-participant", b, id, fromStranger, "WrongSigner"},
		{"sent by the payer", a, id, newer, "WrongSigner"},
		{"sent by a stranger", stranger, id, newer, "NotParticipant"},
		{"high-s proof", b, id, proof{newer.nonce, newer.transferred, highS(newer.sig)}, "InvalidSignature"},
		{"malformed signature", b, id, proof{newer.nonce, newer.transferred, newer.sig[:30]}, "InvalidSignature"},
		{"transferred over 2^128-1", b, id, huge, "AmountTooLarge"},
		{"open channel", b, open, onOpen, "ChannelNotClosing"},
		{"unknown channel", b, [32]byte{3}, newer, "UnknownChannel"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.with(t).expectRevert(tc.from, e.channels, nil, e.sc.PackUpdateProof(tc.id, tc.p.nonce, tc.p.transferred, new(big.Int), [32]byte{}, tc.p.sig), errID(t, tc.want))
		})
	}
	endorsed := func(p proof, endorsement []byte) []byte {
		return e.sc.PackUpdateProofFor(id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig, endorsement)
	}
	forCases := []struct {
		name string
		call []byte
		want string
	}{
		{"endorsed older nonce", endorsed(older, e.endorse(b.Key, id, older)), "StaleNonce"},
		{"endorsed proof by a non-participant", endorsed(fromStranger, e.endorse(b.Key, id, fromStranger)), "WrongSigner"},
		{"high-s endorsement", endorsed(newer, highS(e.endorse(b.Key, id, newer))), "InvalidSignature"},
		{"malformed endorsement", endorsed(newer, e.endorse(b.Key, id, newer)[:64]), "InvalidSignature"},
		{"empty endorsement", endorsed(newer, nil), "InvalidSignature"},
		{"endorsement of the same proof on another channel", endorsed(newer, e.endorse(b.Key, open, newer)), "WrongSigner"},
	}
	for _, tc := range forCases {
		t.Run(tc.name, func(t *testing.T) {
			e.with(t).expectRevert(stranger, e.channels, nil, tc.call, errID(t, tc.want))
		})
	}
	t.Run("after settleAfter", func(t *testing.T) {
		e := e.with(t)
		e.advance(601 * time.Second)
		e.expectRevert(b, e.channels, nil, e.sc.PackUpdateProof(id, newer.nonce, newer.transferred, new(big.Int), [32]byte{}, newer.sig), errID(t, "ChallengePeriodOver"))
		e.expectRevert(stranger, e.channels, nil, endorsed(newer, e.endorse(b.Key, id, newer)), errID(t, "ChallengePeriodOver"))
	})
}

func TestSettleRejectsInvalidRequests(t *testing.T) {
	e := newEVM(t)
	a, b, stranger := e.accounts[1], e.accounts[2], e.accounts[3]
	id := e.openETH(a, b.Address, eth(5), 600)
	open := e.openETH(a, b.Address, eth(5), 600)
	e.mustSend(a, e.channels, nil, e.sc.PackClose(id, 0, new(big.Int), new(big.Int), [32]byte{}, nil))

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
			// a closes with b's proof (if any); b adds a's proof (if any).
			closeProof := proof{transferred: new(big.Int)}
			if tc.transferB != nil {
				closeProof = e.signProof(b.Key, id, 1, tc.transferB)
			}
			e.mustSend(a, e.channels, nil, e.sc.PackClose(id, closeProof.nonce, closeProof.transferred, new(big.Int), [32]byte{}, closeProof.sig))
			if tc.transferA != nil {
				p := e.signProof(a.Key, id, 1, tc.transferA)
				e.mustSend(b, e.channels, nil, e.sc.PackUpdateProof(id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig))
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
	e.mustSend(b, e.channels, nil, e.sc.PackClose(id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig))
	e.advance(61 * time.Second)
	e.mustSend(a, e.channels, nil, e.sc.PackSettle(id))
	wantBig(t, "a's tokens", e.tokenBalance(token, a.Address), eth(96))
	wantBig(t, "b's tokens", e.tokenBalance(token, b.Address), eth(104))
	wantBig(t, "escrowed tokens", e.tokenBalance(token, e.channels), new(big.Int))
	if v := e.view(id); v.Token != (common.Address{}) || v.Status != 3 {
		t.Fatalf("view after token settle = %+v", v)
	}
}
