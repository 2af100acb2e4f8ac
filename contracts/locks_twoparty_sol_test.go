package contracts_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

// lockParty is one end of the integration test: its own channel.State and key.
type lockParty struct {
	acct devchain.Account
	st   *channel.State
	sig  *channel.KeySigner
}

// TestUnilateralCloseWithPendingLocksPaysWhatTheModelSays runs two channel state machines
// (package channel, written by the other lock helper) against the real contract: direct
// payments, locks both ways, one lock revealed off-chain, then a unilateral close while
// locks pend in both directions, secrets registered on chain (one in time, one never, one
// after settle but before its expiration), settle and both unlocks. Every payout is read
// from the chain's events and balances and compared with a model that knows only the
// protocol's rules, in milli-ETH.
func TestUnilateralCloseWithPendingLocksPaysWhatTheModelSays(t *testing.T) {
	e := newEVM(t)
	alice, bob := &lockParty{acct: e.accounts[1]}, &lockParty{acct: e.accounts[2]}
	id := e.openETH(alice.acct, bob.acct.Address, eth(10), 600)
	e.mustSend(bob.acct, e.channels, eth(5), e.sc.PackDeposit(id, bob.acct.Address, eth(5)))
	params := channel.Params{
		ID: channel.ID(id), Domain: channel.Domain{ChainID: e.chainID, Contract: e.channels},
		Participants: [2]common.Address{alice.acct.Address, bob.acct.Address}, ChallengePeriod: 600,
	}
	for _, p := range []*lockParty{alice, bob} {
		var err error
		if p.sig, err = channel.NewKeySigner(p.acct.Key); err != nil {
			t.Fatal(err)
		}
		if p.st, err = channel.NewState(params); err != nil {
			t.Fatal(err)
		}
		if err := p.st.ApplyDeposit(channel.PartyA, eth(10)); err != nil {
			t.Fatal(err)
		}
		if err := p.st.ApplyDeposit(channel.PartyB, eth(5)); err != nil {
			t.Fatal(err)
		}
	}
	ends := map[channel.Party][2]*lockParty{channel.PartyA: {alice, bob}, channel.PartyB: {bob, alice}}
	lockUpdate := func(payer channel.Party, u channel.LockUpdate, now uint64) {
		t.Helper()
		from, to := ends[payer][0], ends[payer][1]
		p, err := from.st.PrepareLockUpdate(payer, u, now, from.sig)
		if err != nil {
			t.Fatalf("prepare %v: %v", u.Change, err)
		}
		if _, err := to.st.ValidateLockUpdate(payer, u, p, now); err != nil {
			t.Fatalf("validate %v: %v", u.Change, err)
		}
		for _, s := range []*lockParty{to, from} {
			if err := s.st.CommitLockUpdate(payer, u, p, now); err != nil {
				t.Fatalf("commit %v: %v", u.Change, err)
			}
		}
	}
	pay := func(payer channel.Party, amount *big.Int) {
		t.Helper()
		from, to := ends[payer][0], ends[payer][1]
		p, err := from.st.PreparePayment(payer, amount, from.sig)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := to.st.ValidateIncoming(payer, p); err != nil {
			t.Fatal(err)
		}
		for _, s := range []*lockParty{to, from} {
			if err := s.st.CommitProof(payer, p); err != nil {
				t.Fatal(err)
			}
		}
	}

	now := e.now()
	secret := func(n int) [32]byte { return secretOf(100 + n) }
	lock := func(milliETH int64, exp uint64, n int) channel.Lock {
		return channel.Lock{Amount: milli(milliETH), Expiration: exp, SecretHash: channel.SecretHash(secret(n))}
	}
	pay(channel.PartyA, milli(1000))
	lockUpdate(channel.PartyA, channel.AddLock(lock(2000, now+5000, 1)), now) // revealed off-chain
	lockUpdate(channel.PartyA, channel.AddLock(lock(1000, now+5000, 2)), now) // registered on chain in time
	lockUpdate(channel.PartyA, channel.AddLock(lock(500, now+300, 3)), now)   // never revealed, expires
	lockUpdate(channel.PartyB, channel.AddLock(lock(700, now+5000, 4)), now)  // registered after settle
	pay(channel.PartyB, milli(200))
	lockUpdate(channel.PartyA, channel.Unlock(secret(1)), now)

	// Model: what each party ends with, from the protocol's rules alone.
	model := map[common.Address]int64{
		alice.acct.Address: 10_000 - 1000 - 2000 + 200 - 1000 /* lock 2 revealed */ + 700, /* lock 4 revealed */
		bob.acct.Address:   5_000 + 1000 + 2000 - 200 + 1000 - 700,
	}

	// Bob closes with alice's latest proof; alice answers with bob's.
	fromAlice, ok := bob.st.Latest(channel.PartyA)
	if !ok || fromAlice.Locked == nil || fromAlice.Locked.Cmp(milli(1500)) != 0 {
		t.Fatalf("bob's copy of alice's proof: %+v", fromAlice.BalanceProof)
	}
	fromBob, _ := alice.st.Latest(channel.PartyB)
	var recs []*types.Receipt
	recs = append(recs, e.mustSend(bob.acct, e.channels, nil, e.sc.PackClose(id, fromAlice.Nonce, fromAlice.Transferred, fromAlice.Locked, fromAlice.LocksRoot, fromAlice.Sig[:])))
	recs = append(recs, e.mustSend(alice.acct, e.channels, nil, e.sc.PackUpdateProof(id, fromBob.Nonce, fromBob.Transferred, fromBob.Locked, fromBob.LocksRoot, fromBob.Sig[:])))
	recs = append(recs, e.mustSend(bob.acct, e.channels, nil, e.sc.PackRegisterSecret(secret(2))))
	e.advance(601 * time.Second)
	recs = append(recs, e.mustSend(e.accounts[3], e.channels, nil, e.sc.PackSettle(id)))
	recs = append(recs, e.mustSend(alice.acct, e.channels, nil, e.sc.PackRegisterSecret(secret(4))))
	// Each side unlocks with its own copy of the payer's locks.
	recs = append(recs, e.mustSend(e.accounts[3], e.channels, nil, e.packUnlock(id, alice.acct.Address, bob.st.Locks(channel.PartyA))))
	recs = append(recs, e.mustSend(e.accounts[3], e.channels, nil, e.packUnlock(id, bob.acct.Address, alice.st.Locks(channel.PartyB))))

	// Payouts from chain data: settle's balances plus each unlock's split.
	got := map[common.Address]*big.Int{alice.acct.Address: new(big.Int), bob.acct.Address: new(big.Int)}
	receivers := map[common.Address]common.Address{}
	for _, rec := range recs {
		for _, l := range rec.Logs {
			if ev, err := e.sc.UnpackChannelSettledEvent(l); err == nil {
				got[alice.acct.Address].Add(got[alice.acct.Address], ev.BalanceA)
				got[bob.acct.Address].Add(got[bob.acct.Address], ev.BalanceB)
			}
			if ev, err := e.sc.UnpackLocksHeldEvent(l); err == nil {
				receivers[ev.Sender] = ev.Receiver
			}
			if ev, err := e.sc.UnpackUnlockedEvent(l); err == nil {
				got[receivers[ev.Sender]].Add(got[receivers[ev.Sender]], ev.ToReceiver)
				got[ev.Sender].Add(got[ev.Sender], ev.ToSender)
			}
		}
	}
	for addr, want := range model {
		wantBig(t, "payout to "+addr.Hex(), got[addr], milli(want))
	}
	wantBig(t, "escrow after both unlocks", e.balance(e.channels), new(big.Int))
}
