package demo

import (
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/contracts/audit"
)

// onChain is one channel rebuilt from the contract's events alone.
type onChain struct {
	token     common.Address
	deposit   [2]*big.Int
	withdrawn [2]*big.Int
	payout    [2]*big.Int // nil until ChannelSettled
	coop      bool
	closed    *contracts.ChannelClosed
	updates   []contracts.ProofUpdated
}

func rebuild(evs []contracts.Event) map[channel.ID]*onChain {
	out := map[channel.ID]*onChain{}
	get := func(id channel.ID) *onChain {
		if out[id] == nil {
			out[id] = &onChain{deposit: [2]*big.Int{new(big.Int), new(big.Int)}, withdrawn: [2]*big.Int{new(big.Int), new(big.Int)}}
		}
		return out[id]
	}
	parties := map[channel.ID][2]common.Address{}
	party := func(id channel.ID, a common.Address) int {
		if parties[id][1] == a {
			return 1
		}
		return 0
	}
	for _, e := range evs {
		switch ev := e.(type) {
		case contracts.ChannelOpened:
			parties[ev.ID] = [2]common.Address{ev.A, ev.B}
			c := get(ev.ID)
			c.token, c.deposit[0] = ev.Token, ev.Deposit
		case contracts.Deposited:
			get(ev.ID).deposit[party(ev.ID, ev.Participant)] = ev.TotalDeposit
		case contracts.Withdrawn:
			get(ev.ID).withdrawn[party(ev.ID, ev.Participant)] = ev.TotalWithdrawn
		case contracts.ChannelClosed:
			get(ev.ID).closed = &ev
		case contracts.ProofUpdated:
			c := get(ev.ID)
			c.updates = append(c.updates, ev)
		case contracts.ChannelSettled:
			c := get(ev.ID)
			c.payout, c.coop = [2]*big.Int{ev.BalanceA, ev.BalanceB}, ev.Cooperative
		}
	}
	return out
}

// verify compares the chain with the books: per channel, per account, and the dispute.
func (r *run) verify(ctx context.Context) error {
	evs, err := r.c.Events(ctx)
	if err != nil {
		return err
	}
	chans := rebuild(evs)
	for _, ch := range []struct {
		id      channel.ID
		name    string
		asset   string
		partner int
	}{{r.eth, "hub<->alice", "ETH", alice}, {r.tok, "hub<->bob", "TST", bob}} {
		oc := chans[ch.id]
		if oc == nil || oc.payout[0] == nil {
			r.rep.check(ch.name+" settled on chain", false, "no ChannelSettled event for %s", ch.id)
			continue
		}
		cr := ChannelReport{Name: ch.name, ID: ch.id.String(), Asset: ch.asset, Closing: "unilateral (forged proof refused)"}
		if oc.coop {
			cr.Closing = "cooperative"
		}
		paid := r.books.paid[ch.id]
		for p, role := range []int{hub, ch.partner} {
			exp := new(big.Int).Sub(oc.deposit[p], oc.withdrawn[p])
			exp.Sub(exp, paid[p]).Add(exp, paid[1-p])
			row := PartyRow{
				Party: roleNames[role], Deposit: oc.deposit[p].String(), Withdrawn: oc.withdrawn[p].String(),
				Paid: paid[p].String(), Received: paid[1-p].String(), Expected: exp.String(), OnChain: oc.payout[p].String(),
				OK: exp.Cmp(oc.payout[p]) == 0,
			}
			cr.Parties = append(cr.Parties, row)
			r.rep.check(fmt.Sprintf("%s: %s's payout", ch.name, roleNames[role]), row.OK, "expected %s, ChannelSettled %s", exp, oc.payout[p])
		}
		r.rep.Channels = append(r.rep.Channels, cr)
	}
	if tc, ec := chans[r.tok], chans[r.eth]; tc != nil && ec != nil {
		r.rep.check("hub<->bob closed cooperatively", tc.coop, "")
		r.rep.check("hub<->bob: bob's withdrawal on chain", tc.withdrawn[1].Cmp(ether(5)) == 0, "Withdrawn total %s", tc.withdrawn[1])
		r.rep.check("hub<->alice: alice's top-up on chain", ec.deposit[1].Cmp(ether(23)) == 0, "Deposited total %s", ec.deposit[1])
	}
	if err := r.verifyDispute(ctx, chans[r.eth]); err != nil {
		return err
	}
	if err := r.verifyAccounts(ctx, chans); err != nil {
		return err
	}
	if err := r.runAuditor(ctx); err != nil {
		return err
	}
	return r.gasTable(ctx, evs, chans)
}

// runAuditor runs the auditor of `sluice audit` over the chain: it trusts nothing but
// chain data, re-verifies every proof signature submitted on chain, recomputes every
// settlement and checks the contract's solvency.
func (r *run) runAuditor(ctx context.Context) error {
	rep, err := audit.Run(ctx, audit.Config{RPC: r.c.Chain().Client().Client(), Contract: r.c.Chain().Contract()})
	if err != nil {
		return fmt.Errorf("demo: audit: %w", err)
	}
	detail := fmt.Sprintf("%d channels, %d events, %d signatures verified, %d discrepancies", rep.Totals.Channels, rep.Totals.Events, rep.Totals.Signatures, len(rep.Discrepancies))
	if len(rep.Discrepancies) > 0 {
		detail += fmt.Sprintf("; first: %+v", rep.Discrepancies[0])
	}
	r.rep.Audit = detail
	r.rep.check("independent audit of the chain (sluice audit) is clean", rep.OK() && rep.Totals.Settled == 2, "%s", detail)
	return nil
}

// verifyAccounts checks every role's ETH and TST balance change over the run against
// its deposits, withdrawals, payouts and transaction fees.
func (r *run) verifyAccounts(ctx context.Context, chans map[channel.ID]*onChain) error {
	head, err := r.c.Funder().Head(ctx)
	if err != nil {
		return err
	}
	ethAfter, tokAfter, err := r.balancesAt(ctx, head.Number)
	if err != nil {
		return err
	}
	fees, err := r.fees(ctx, r.baseline, head.Number)
	if err != nil {
		return err
	}
	for role := range roleNames {
		expEth := new(big.Int).Neg(fees[role])
		expTok := new(big.Int)
		for id, oc := range chans {
			p := r.partyIn(id, role)
			if p < 0 || oc.payout[0] == nil {
				continue
			}
			delta := new(big.Int).Sub(oc.payout[p], oc.deposit[p])
			delta.Add(delta, oc.withdrawn[p])
			if oc.token == (common.Address{}) {
				expEth.Add(expEth, delta)
			} else {
				expTok.Add(expTok, delta)
			}
		}
		gotEth := new(big.Int).Sub(ethAfter[role], r.books.ethBefore[role])
		gotTok := new(big.Int).Sub(tokAfter[role], r.books.tokBefore[role])
		for _, a := range []AccountCheck{
			{Party: roleNames[role], Asset: "ETH (incl. gas)", Expected: expEth.String(), OnChain: gotEth.String(), OK: expEth.Cmp(gotEth) == 0},
			{Party: roleNames[role], Asset: "TST", Expected: expTok.String(), OnChain: gotTok.String(), OK: expTok.Cmp(gotTok) == 0},
		} {
			r.rep.Accounts = append(r.rep.Accounts, a)
			r.rep.check(fmt.Sprintf("%s's %s balance", a.Party, a.Asset), a.OK, "expected change %s, chain %s", a.Expected, a.OnChain)
		}
	}
	return nil
}

// partyIn is role's side in channel id, or -1.
func (r *run) partyIn(id channel.ID, role int) int {
	switch {
	case role == hub && (id == r.eth || id == r.tok):
		return 0
	case role == alice && id == r.eth, role == bob && id == r.tok:
		return 1
	}
	return -1
}

// gasTable classifies every contract transaction by what it did and averages its gas.
func (r *run) gasTable(ctx context.Context, evs []contracts.Event, chans map[channel.ID]*onChain) error {
	kinds := map[common.Hash]string{}
	rank := map[string]int{}
	set := func(tx common.Hash, kind string, prio int) {
		if cur, ok := kinds[tx]; !ok || rank[cur] < prio {
			kinds[tx], rank[kind] = kind, prio
		}
	}
	asset := func(id channel.ID) string {
		if oc := chans[id]; oc != nil && oc.token != (common.Address{}) {
			return " (ERC-20)"
		}
		return " (ETH)"
	}
	for _, e := range evs {
		tx := e.Meta().TxHash
		switch ev := e.(type) {
		case contracts.ChannelOpened:
			set(tx, "open"+asset(ev.ID), 6)
		case contracts.ChannelSettled:
			if ev.Cooperative {
				set(tx, "closeCooperative"+asset(ev.ID), 5)
			} else {
				set(tx, "settle"+asset(ev.ID), 5)
			}
		case contracts.ChannelClosed:
			set(tx, "close", 4)
		case contracts.Withdrawn:
			set(tx, "withdraw"+asset(ev.ID), 3)
		case contracts.ProofUpdated:
			set(tx, "updateProof", 2)
		case contracts.Deposited:
			set(tx, "deposit"+asset(ev.ID), 1)
		}
	}
	sum := map[string]uint64{}
	count := map[string]int{}
	for tx, kind := range kinds {
		g, err := r.c.GasUsed(ctx, tx)
		if err != nil {
			return err
		}
		sum[kind] += g
		count[kind]++
	}
	for kind, n := range count {
		r.rep.Gas = append(r.rep.Gas, GasRow{Operation: kind, Count: n, GasEach: sum[kind] / uint64(n)})
	}
	sort.Slice(r.rep.Gas, func(i, j int) bool { return r.rep.Gas[i].Operation < r.rep.Gas[j].Operation })
	return nil
}
