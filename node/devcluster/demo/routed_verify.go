package demo

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/audit"
)

// snapshot reads every role's ETH balance at the baseline block.
func (rr *routedRun) snapshot(ctx context.Context) error {
	num := new(big.Int).SetUint64(rr.baseline)
	for i := range routedNodes {
		b, err := rr.c.Chain().Client().BalanceAt(ctx, rr.address(i), num)
		if err != nil {
			return fmt.Errorf("demo: ETH balance of %s: %w", routedNames[i], err)
		}
		rr.before[i] = b
	}
	return nil
}

// checkLedgers: both nodes of every channel hold, as the latest signed cumulative amounts,
// exactly the demo's tally of the routed payments, and no open channel has a lock left.
// Then the tally itself: what the wallets spent is what the merchants received plus the
// hub's fees.
func (rr *routedRun) checkLedgers(ctx context.Context) error {
	for _, spoke := range append(append([]int{}, routedWallets...), routedMerchants...) {
		id := rr.chans[spoke]
		ok, detail := true, ""
		for _, viewer := range []int{rHub, spoke} {
			v, err := rr.view(ctx, viewer, spoke)
			if err != nil {
				return err
			}
			for p := range 2 {
				want := rr.paid[id][v.Participants[p]]
				if want == nil {
					want = new(big.Int)
				}
				got := v.Sent[p].Transferred
				if got == nil {
					got = new(big.Int)
				}
				if got.Cmp(want) != 0 || (v.Status == channel.StatusOpen && len(v.Locks[p]) != 0) {
					ok = false
				}
				detail += fmt.Sprintf("%s sees %s paid %s (tally %s, %d locks); ", routedNames[viewer], rr.name(v.Participants[p]), got, want, len(v.Locks[p]))
			}
		}
		rr.check(fmt.Sprintf("hub<->%s: both nodes hold the tally of the routed payments", routedNames[spoke]), ok, "%s", detail)
	}
	wallets, merchants := new(big.Int), new(big.Int)
	for _, w := range routedWallets {
		wallets.Add(wallets, rr.spent[w])
	}
	for _, m := range routedMerchants {
		merchants.Add(merchants, rr.spent[m])
	}
	sum := new(big.Int).Add(merchants, rr.spent[rHub])
	rr.check("wallets' spend = merchants' receipts + hub's fees", wallets.Cmp(sum) == 0 && rr.spent[rHub].Sign() > 0,
		"wallets spent %s, merchants received %s, hub's fees %s", wallets, merchants, rr.spent[rHub])
	return nil
}

// settleAll closes every channel still open cooperatively, from the hub's node.
func (rr *routedRun) settleAll(ctx context.Context) error {
	rr.stage("the hub closes its open channels cooperatively (both sign the final balances)")
	for _, spoke := range append(append([]int{}, routedWallets...), routedMerchants...) {
		v, err := rr.view(ctx, rHub, spoke)
		if err != nil {
			return err
		}
		if v.Status != channel.StatusOpen {
			continue
		}
		if _, err := rr.node(rHub).CloseChannel(ctx, v.ID, false); err != nil {
			return fmt.Errorf("demo: close hub<->%s: %w", routedNames[spoke], err)
		}
	}
	return nil
}

func (rr *routedRun) name(a common.Address) string {
	for i := range routedNodes {
		if rr.address(i) == a {
			return routedNames[i]
		}
	}
	return a.Hex()
}

// verify reads the routed chain's events and balances and checks them against the tally:
// every payout, every role's gain, every account's balance change with its gas, and an
// independent audit.
func (rr *routedRun) verify(ctx context.Context) error {
	evs, err := rr.c.Events(ctx)
	if err != nil {
		return err
	}
	chans := rebuild(evs)
	gain := [routedNodes]*big.Int{}
	for i := range gain {
		gain[i] = new(big.Int)
	}
	for _, e := range evs {
		if u, ok := e.(contracts.Unlocked); ok && rr.claim != nil && u.ID == rr.claim.channel {
			gain[rHub].Add(gain[rHub], u.ToReceiver)
			gain[rErin].Add(gain[rErin], u.ToSender)
		}
	}
	for _, spoke := range append(append([]int{}, routedWallets...), routedMerchants...) {
		rr.verifyChannel(spoke, chans[rr.chans[spoke]], &gain)
	}
	head, err := rr.c.Funder().Head(ctx)
	if err != nil {
		return err
	}
	gas, err := rr.gasFees(ctx, head.Number)
	if err != nil {
		return err
	}
	lost, got := new(big.Int), new(big.Int)
	for role := range routedNodes {
		want := new(big.Int).Set(rr.spent[role])
		what := "received"
		switch {
		case role == rHub:
			what = "fees"
			got.Add(got, gain[role])
		case isWallet(role):
			want.Neg(want)
			what = "spent"
			lost.Sub(lost, gain[role])
		default:
			got.Add(got, gain[role])
		}
		bal, err := rr.c.Chain().Client().BalanceAt(ctx, rr.address(role), new(big.Int).SetUint64(head.Number))
		if err != nil {
			return fmt.Errorf("demo: ETH balance of %s: %w", routedNames[role], err)
		}
		change := new(big.Int).Sub(bal, rr.before[role])
		expChange := new(big.Int).Sub(gain[role], gas[role])
		row := RoutedParty{Party: routedNames[role], Books: what + " " + rr.spent[role].String(), Expected: want.String(), OnChain: gain[role].String(),
			Gas: gas[role].String(), ExpectedChange: expChange.String(), OnChainChange: change.String()}
		row.OK = want.Cmp(gain[role]) == 0 && expChange.Cmp(change) == 0
		rr.out.Parties = append(rr.out.Parties, row)
		rr.check(fmt.Sprintf("%s's gain on chain equals the tally", routedNames[role]), want.Cmp(gain[role]) == 0, "tally %s, payouts minus deposits %s", want, gain[role])
		rr.check(fmt.Sprintf("%s's ETH balance (incl. gas)", routedNames[role]), expChange.Cmp(change) == 0, "expected change %s, chain %s", expChange, change)
	}
	rr.check("on chain, the wallets' loss = the merchants' gain + the hub's fees", lost.Cmp(got) == 0 && lost.Sign() > 0, "wallets lost %s, merchants and hub gained %s", lost, got)
	return rr.audit(ctx, len(rr.chans))
}

func isWallet(role int) bool { return role == rCarol || role == rDave || role == rErin }

// verifyChannel checks the two payouts of the hub's channel with spoke against the tally
// (less a lock held back for the on-chain claim) and adds them to the roles' gains.
func (rr *routedRun) verifyChannel(spoke int, oc *onChain, gain *[routedNodes]*big.Int) {
	name := "hub<->" + routedNames[spoke]
	id := rr.chans[spoke]
	if oc == nil || oc.payout[0] == nil {
		rr.check(name+" settled on chain", false, "no ChannelSettled event for %s", id)
		return
	}
	roles := [2]int{spoke, rHub}
	if !isWallet(spoke) {
		roles = [2]int{rHub, spoke}
	}
	cr := ChannelReport{Name: name, ID: id.String(), Asset: "ETH", Closing: "unilateral, lock claimed on chain"}
	if oc.coop {
		cr.Closing = "cooperative"
	}
	for p, role := range roles {
		paid, recv := rr.paidBy(id, role), rr.paidBy(id, roles[1-p])
		exp := new(big.Int).Sub(oc.deposit[p], oc.withdrawn[p])
		exp.Sub(exp, paid).Add(exp, recv)
		if rr.claim != nil && rr.claim.channel == id && role == rErin {
			exp.Sub(exp, rr.claim.lock.Amount) // held in the escrow until unlock
		}
		row := PartyRow{Party: routedNames[role], Deposit: oc.deposit[p].String(), Withdrawn: oc.withdrawn[p].String(),
			Paid: paid.String(), Received: recv.String(), Expected: exp.String(), OnChain: oc.payout[p].String(), OK: exp.Cmp(oc.payout[p]) == 0}
		cr.Parties = append(cr.Parties, row)
		rr.check(fmt.Sprintf("%s: %s's payout", name, routedNames[role]), row.OK, "expected %s, ChannelSettled %s", exp, oc.payout[p])
		g := new(big.Int).Sub(oc.payout[p], oc.deposit[p])
		gain[role].Add(gain[role], g.Add(g, oc.withdrawn[p]))
	}
	rr.out.Channels = append(rr.out.Channels, cr)
}

// gasFees sums, per role, what its transactions since the baseline cost in gas.
func (rr *routedRun) gasFees(ctx context.Context, to uint64) ([routedNodes]*big.Int, error) {
	cl := rr.c.Chain().Client()
	var out [routedNodes]*big.Int
	for i := range out {
		out[i] = new(big.Int)
	}
	signer := types.LatestSignerForChainID(rr.c.Chain().ChainID())
	roles := map[common.Address]int{}
	for i := range routedNodes {
		roles[rr.address(i)] = i
	}
	for b := rr.baseline + 1; b <= to; b++ {
		blk, err := cl.BlockByNumber(ctx, new(big.Int).SetUint64(b))
		if err != nil {
			return out, fmt.Errorf("demo: block %d: %w", b, err)
		}
		for _, tx := range blk.Transactions() {
			sender, err := types.Sender(signer, tx)
			if err != nil {
				return out, fmt.Errorf("demo: sender of %s: %w", tx.Hash(), err)
			}
			role, ok := roles[sender]
			if !ok {
				continue
			}
			rc, err := cl.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				return out, fmt.Errorf("demo: receipt of %s: %w", tx.Hash(), err)
			}
			out[role].Add(out[role], new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice))
		}
	}
	return out, nil
}

// audit runs `sluice audit`'s auditor over the routed chain.
func (rr *routedRun) audit(ctx context.Context, channels int) error {
	rep, err := audit.Run(ctx, audit.Config{RPC: rr.c.Chain().Client().Client(), Contract: rr.c.Chain().Contract()})
	if err != nil {
		return fmt.Errorf("demo: audit of the routed chain: %w", err)
	}
	detail := fmt.Sprintf("%d channels, %d events, %d signatures verified, %d discrepancies", rep.Totals.Channels, rep.Totals.Events, rep.Totals.Signatures, len(rep.Discrepancies))
	if len(rep.Discrepancies) > 0 {
		detail += fmt.Sprintf("; first: %+v", rep.Discrepancies[0])
	}
	rr.out.Audit = detail
	rr.check("independent audit of the routed chain is clean", rep.OK() && rep.Totals.Settled == channels, "%s", detail)
	return nil
}
