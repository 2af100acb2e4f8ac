package contracts_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/contracts/bindings/testbindings"
	"github.com/sluicepay/sluice/contracts/devchain"
)

var (
	blocking  = testbindings.NewBlockingToken()
	gasBurner = testbindings.NewGasBurningReceiver()
)

func TestFailedTokenPayoutIsCreditedAndClaimable(t *testing.T) {
	e := newEVM(t)
	a, b := e.accounts[1], e.accounts[2]
	token := e.deploy(e.accounts[0], &testbindings.BlockingTokenMetaData, nil)
	e.mint(token, []devchain.Account{a}, eth(100))
	id := e.openToken(a, b.Address, token, eth(10), 60)
	e.mustSend(e.accounts[0], token, nil, blocking.PackSetBlocked(b.Address, true))

	sigA, sigB := e.signSettlement(id, eth(7), eth(3), a.Key, b.Key)
	rec := e.mustSend(a, e.channels, nil, e.sc.PackCloseCooperative(id, eth(7), eth(3), sigA, sigB))
	wantBig(t, "a's tokens despite b being blocked", e.tokenBalance(token, a.Address), eth(97))
	credited := findEvent(t, rec, e.sc.UnpackCreditedEvent)
	if credited.Account != b.Address || credited.Token != token {
		t.Fatalf("Credited = %+v", credited)
	}
	wantBig(t, "credited", credited.Amount, eth(3))
	wantBig(t, "claimable", e.claimable(b.Address, token), eth(3))

	e.expectRevert(b, e.channels, nil, e.sc.PackClaim(token), errID(t, "TokenTransferFailed"))
	e.mustSend(e.accounts[0], token, nil, blocking.PackSetBlocked(b.Address, false))
	rec = e.mustSend(b, e.channels, nil, e.sc.PackClaim(token))
	findEvent(t, rec, e.sc.UnpackClaimedEvent)
	wantBig(t, "b's tokens after claim", e.tokenBalance(token, b.Address), eth(3))
	wantBig(t, "escrowed tokens", e.tokenBalance(token, e.channels), new(big.Int))
	wantBig(t, "claimable after claim", e.claimable(b.Address, token), new(big.Int))
	// ETH credits and token credits are separate ledgers.
	e.expectRevert(b, e.channels, nil, e.sc.PackClaim(common.Address{}), errID(t, "NothingToClaim"))
}

// TestGasBurningReceiverCannotBlockPartnerPayout: a receiver that loops forever in
// receive() gets a bounded stipend, so its partner's settlement completes at normal cost
// and the receiver's share waits in claimable.
func TestGasBurningReceiverCannotBlockPartnerPayout(t *testing.T) {
	e := newEVM(t)
	owner, b := e.accounts[5], e.accounts[2]
	receiver := e.deploy(owner, &testbindings.GasBurningReceiverMetaData, gasBurner.PackConstructor(e.channels))
	id := e.forwardOpen(owner, receiver, b.Address, eth(3))
	e.mustSend(b, e.channels, eth(2), e.sc.PackDeposit(id, b.Address, eth(2)))
	e.mustSend(owner, receiver, nil, gasBurner.PackForward(e.sc.PackClose(id, 0, new(big.Int), new(big.Int), [32]byte{}, nil)))
	e.advance(61 * time.Second)

	// A generous limit: the burner must not be able to eat it.
	rec := e.sendSigned(b.Key, &e.channels, nil, e.sc.PackSettle(id), 5_000_000)
	if rec.Status != types.ReceiptStatusSuccessful {
		t.Fatal("settle failed against a gas-burning receiver")
	}
	if rec.GasUsed > 150_000 {
		t.Fatalf("settle used %d gas: the receiver's push is not bounded", rec.GasUsed)
	}
	wantBig(t, "receiver credited", e.claimable(receiver, common.Address{}), eth(3))
	wantBig(t, "escrow keeps only the credit", e.balance(e.channels), eth(3))
}
