package contracts_test

import (
	"bytes"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

var (
	rejecting = testbindings.NewRejectingReceiver()
	reentrant = testbindings.NewReentrantReceiver()
)

// forwardOpen makes the receiver contract open an ETH channel to partner, so the contract
// is participant a and receives a's payouts.
func (e *evm) forwardOpen(owner devchain.Account, receiver, partner common.Address, deposit *big.Int) [32]byte {
	e.t.Helper()
	data := rejecting.PackForward(e.sc.PackOpen(partner, common.Address{}, deposit, 60))
	return e.openedID(e.mustSend(owner, receiver, deposit, data))
}

func TestRejectingReceiverCannotBlockPartnerPayout(t *testing.T) {
	e := newEVM(t)
	owner, b := e.accounts[5], e.accounts[2]
	receiver := e.deploy(owner, &testbindings.RejectingReceiverMetaData, rejecting.PackConstructor(e.channels))
	id := e.forwardOpen(owner, receiver, b.Address, eth(3))
	e.mustSend(b, e.channels, eth(2), e.sc.PackDeposit(id, b.Address, eth(2)))
	p := e.signProof(b.Key, id, 7, eth(1))
	e.mustSend(owner, receiver, nil, rejecting.PackForward(e.sc.PackClose(id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig)))
	e.advance(61 * time.Second)

	beforeB := e.balance(b.Address)
	rec := e.mustSend(b, e.channels, nil, e.sc.PackSettle(id))
	wantBig(t, "b's payout despite the refusing partner", new(big.Int).Sub(e.balance(b.Address), beforeB),
		new(big.Int).Sub(eth(1), gasCost(rec)))
	credited := findEvent(t, rec, e.sc.UnpackCreditedEvent)
	if credited.Account != receiver || credited.Token != (common.Address{}) {
		t.Fatalf("Credited = %+v", credited)
	}
	wantBig(t, "credited amount", credited.Amount, eth(4))
	wantBig(t, "claimable", e.claimable(receiver, common.Address{}), eth(4))
	wantBig(t, "receiver balance before claim", e.balance(receiver), new(big.Int))

	claim := rejecting.PackForward(e.sc.PackClaim(common.Address{}))
	e.expectRevert(owner, receiver, nil, claim, errID(t, "EthTransferFailed"))
	wantBig(t, "claimable after failed claim", e.claimable(receiver, common.Address{}), eth(4))

	e.mustSend(owner, receiver, nil, rejecting.PackSetAccepting(true))
	rec = e.mustSend(owner, receiver, nil, claim)
	claimed := findEvent(t, rec, e.sc.UnpackClaimedEvent)
	if claimed.Account != receiver || claimed.Token != (common.Address{}) {
		t.Fatalf("Claimed = %+v", claimed)
	}
	wantBig(t, "claimed amount", claimed.Amount, eth(4))
	wantBig(t, "receiver balance after claim", e.balance(receiver), eth(4))
	wantBig(t, "claimable after claim", e.claimable(receiver, common.Address{}), new(big.Int))
	e.expectRevert(owner, receiver, nil, claim, errID(t, "NothingToClaim"))
}

func TestClaimWithNothingCreditedReverts(t *testing.T) {
	e := newEVM(t)
	e.expectRevert(e.accounts[1], e.channels, nil, e.sc.PackClaim(common.Address{}), errID(t, "NothingToClaim"))
}

func TestReentrantReceiverCannotReenter(t *testing.T) {
	cases := []struct {
		name string
		// reentry builds the calldata the receiver calls back with while being paid for
		// channel id; other is an unrelated open channel with a valid withdrawal ready.
		reentry func(e *evm, id [32]byte, other pendingWithdrawal) []byte
	}{
		{"settle the same channel", func(e *evm, id [32]byte, _ pendingWithdrawal) []byte { return e.sc.PackSettle(id) }},
		{"claim", func(e *evm, _ [32]byte, _ pendingWithdrawal) []byte { return e.sc.PackClaim(common.Address{}) }},
		{"withdraw from another channel", func(e *evm, _ [32]byte, w pendingWithdrawal) []byte { return w.calldata }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEVM(t)
			owner, b := e.accounts[5], e.accounts[2]
			receiver := e.deploy(owner, &testbindings.ReentrantReceiverMetaData, reentrant.PackConstructor(e.channels))
			id := e.forwardOpen(owner, receiver, b.Address, eth(3))
			other := e.prepareWithdrawal(e.accounts[6], e.accounts[7])
			e.mustSend(owner, receiver, nil, reentrant.PackForward(e.sc.PackClose(id, 0, new(big.Int), new(big.Int), [32]byte{}, nil)))
			e.mustSend(owner, receiver, nil, reentrant.PackArm(tc.reentry(e, id, other)))
			e.advance(61 * time.Second)

			escrow := e.balance(e.channels)
			rec := e.mustSend(b, e.channels, nil, e.sc.PackSettle(id))
			attempt := findEvent(t, rec, reentrant.UnpackReentryAttemptedEvent)
			if attempt.Succeeded {
				t.Fatal("re-entrant call succeeded")
			}
			if want := errID(t, "Reentrancy"); !bytes.Equal(attempt.ErrorSelector[:], want[:4]) {
				t.Fatalf("re-entry failed with %x, want Reentrancy() %x", attempt.ErrorSelector, want[:4])
			}
			if ev := maybeEvent(rec, e.sc.UnpackCreditedEvent); ev != nil {
				t.Fatalf("payout was credited instead of pushed: %+v", ev)
			}
			wantBig(t, "receiver paid once", e.balance(receiver), eth(3))
			wantBig(t, "escrow paid out once", new(big.Int).Sub(escrow, e.balance(e.channels)), eth(3))

			// The withdrawal the attacker replayed was valid; only the guard stopped it.
			e.mustSend(other.a, e.channels, nil, other.calldata)
		})
	}
}

type pendingWithdrawal struct {
	a        devchain.Account
	calldata []byte
}

// prepareWithdrawal opens a channel between a and b and returns a fully signed,
// not yet executed withdrawal of 1 ETH for a.
func (e *evm) prepareWithdrawal(a, b devchain.Account) pendingWithdrawal {
	e.t.Helper()
	id := e.openETH(a, b.Address, eth(2), 60)
	expiry := e.now() + 3600
	sigA, sigB := e.signWithdrawal(id, a.Address, eth(1), expiry, a.Key, b.Key)
	return pendingWithdrawal{a: a, calldata: e.sc.PackWithdraw(id, a.Address, eth(1), expiry, sigA, sigB)}
}
