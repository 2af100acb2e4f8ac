package contracts_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/contracts/devchain"
)

// TestLifecycleOnAnvil runs a channel's whole life on the pinned Anvil binary, for ETH and
// for an ERC-20: open, top-up, withdrawal, off-chain payments both ways, a unilateral
// close answered by the partner, settlement; then a second channel closed cooperatively.
// It fails (never skips) when Anvil is missing.
func TestLifecycleOnAnvil(t *testing.T) {
	e := newEVM(t)
	a, b, watcher := e.accounts[1], e.accounts[2], e.accounts[3]
	tokenAddr := e.deployToken([]devchain.Account{a, b}, eth(1000))

	assets := []struct {
		name  string
		token common.Address
	}{
		{"ETH", common.Address{}},
		{"ERC-20", tokenAddr},
	}
	for _, asset := range assets {
		t.Run(asset.name, func(t *testing.T) {
			e := e.with(t)
			holdings := func(who common.Address) *big.Int {
				if asset.token == (common.Address{}) {
					return e.balance(who)
				}
				return e.tokenBalance(asset.token, who)
			}
			value := func(amount *big.Int) *big.Int {
				if asset.token == (common.Address{}) {
					return amount
				}
				return nil
			}
			open := func() [32]byte {
				if asset.token == (common.Address{}) {
					return e.openETH(a, b.Address, eth(10), 30)
				}
				return e.openToken(a, b.Address, asset.token, eth(10), 30)
			}
			if asset.token != (common.Address{}) {
				e.approve(b, asset.token, eth(5))
			}
			escrowBefore := holdings(e.channels)

			id := open()
			e.mustSend(b, e.channels, value(eth(5)), e.sc.PackDeposit(id, b.Address, eth(5)))
			expiry := e.now() + 600
			sigA, sigB := e.signWithdrawal(id, b.Address, eth(1), expiry, a.Key, b.Key)
			e.mustSend(watcher, e.channels, nil, e.sc.PackWithdraw(id, b.Address, eth(1), expiry, sigA, sigB))

			// Off-chain: a pays b 3 ETH over 30 payments, b pays a 1 ETH over 10.
			lastFromA := e.signProof(a.Key, id, 30, eth(3))
			staleFromA := e.signProof(a.Key, id, 12, eth(1))
			lastFromB := e.signProof(b.Key, id, 10, eth(1))

			// a cheats: closes with b's proof but hopes its own stale one counts. b's
			// watcher answers with a's latest proof.
			e.mustSend(a, e.channels, nil, e.sc.PackClose(id, lastFromB.nonce, lastFromB.transferred, new(big.Int), [32]byte{}, lastFromB.sig))
			// watcher, with b's endorsement of each proof.
			updateFor := func(p proof) []byte {
				return e.sc.PackUpdateProofFor(id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig, e.endorse(b.Key, id, p))
			}
			e.mustSend(watcher, e.channels, nil, updateFor(staleFromA))
			e.mustSend(watcher, e.channels, nil, updateFor(lastFromA))
			e.expectRevert(watcher, e.channels, nil, updateFor(staleFromA), errID(t, "StaleNonce"))
			e.expectRevert(watcher, e.channels, nil, e.sc.PackSettle(id), errID(t, "ChallengePeriodNotOver"))
			e.advance(31 * time.Second)

			beforeA, beforeB := holdings(a.Address), holdings(b.Address)
			rec := e.mustSend(watcher, e.channels, nil, e.sc.PackSettle(id))
			// a: 10 - 3 + 1 = 8; b: 5 - 1 withdrawn + 3 - 1 = 6.
			ev := findEvent(t, rec, e.sc.UnpackChannelSettledEvent)
			wantBig(t, "balanceA", ev.BalanceA, eth(8))
			wantBig(t, "balanceB", ev.BalanceB, eth(6))
			wantBig(t, "a's payout", new(big.Int).Sub(holdings(a.Address), beforeA), eth(8))
			wantBig(t, "b's payout", new(big.Int).Sub(holdings(b.Address), beforeB), eth(6))
			assertSettledAndCleared(t, e.view(id))

			coop := open()
			sigA, sigB = e.signSettlement(coop, eth(4), eth(6), a.Key, b.Key)
			beforeA, beforeB = holdings(a.Address), holdings(b.Address)
			e.mustSend(watcher, e.channels, nil, e.sc.PackCloseCooperative(coop, eth(4), eth(6), sigA, sigB))
			wantBig(t, "a's cooperative payout", new(big.Int).Sub(holdings(a.Address), beforeA), eth(4))
			wantBig(t, "b's cooperative payout", new(big.Int).Sub(holdings(b.Address), beforeB), eth(6))
			wantBig(t, "escrow after both channels", holdings(e.channels), escrowBefore)
		})
	}
}
