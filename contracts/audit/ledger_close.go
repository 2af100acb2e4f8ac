package audit

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
)

func (l *ledger) closedEvent(r *rebuilt, e contracts.ChannelClosed) {
	where := atEvent(&r.id, e.EventMeta)
	if r.status != channel.StatusOpen {
		l.found.fail(where.finding(CodeWrongStatus, "ChannelClosed while the channel is %s", r.status))
	}
	closer, ok := r.partyOf(e.Closer)
	if !ok {
		l.found.fail(where.finding(CodeBadParticipant, "closed by %s, not a participant", e.Closer))
		return
	}
	r.status, r.closer, r.settleAfter = channel.StatusClosing, closer, e.SettleAfter
	r.closed = eventRef{e.Block, e.TxHash}
	l.timing.add(timingCheck{rule: closeSetsDeadline, ch: r, ref: r.closed, settleAfter: e.SettleAfter, period: r.challengePeriod})
	if e.Nonce == 0 {
		if e.Transferred.Sign() != 0 {
			l.found.fail(where.finding(CodeCalldataMismatch, "close without a proof (nonce 0) records transferred %s", e.Transferred))
		}
		return
	}
	// The closer submits its partner's proof: the contract credits it to the partner.
	signer := closer.Other()
	r.nonce[signer], r.transferred[signer] = e.Nonce, new(big.Int).Set(e.Transferred)
	l.sigs.add(sigJob{kind: callClose, ch: r, ref: r.closed, closer: e.Closer,
		signer: r.participants[signer], nonce: e.Nonce, amount: new(big.Int).Set(e.Transferred)})
}

func (l *ledger) proofUpdated(r *rebuilt, e contracts.ProofUpdated) {
	where := atEvent(&r.id, e.EventMeta)
	if r.status != channel.StatusClosing {
		l.found.fail(where.finding(CodeWrongStatus, "ProofUpdated while the channel is %s", r.status))
	}
	p, ok := r.partyOf(e.Signer)
	if !ok {
		l.found.fail(where.finding(CodeBadParticipant, "proof credited to %s, not a participant", e.Signer))
		return
	}
	if e.Nonce <= r.nonce[p] {
		l.found.fail(where.finding(CodeStaleProof, "party %s proof nonce %d recorded over nonce %d", p, e.Nonce, r.nonce[p]))
	}
	r.nonce[p], r.transferred[p] = e.Nonce, new(big.Int).Set(e.Transferred)
	l.timing.add(timingCheck{rule: updateBeforeDeadline, ch: r, ref: eventRef{e.Block, e.TxHash}, settleAfter: r.settleAfter})
	l.sigs.add(sigJob{kind: callUpdateProof, ch: r, ref: eventRef{e.Block, e.TxHash},
		signer: e.Signer, receiver: r.participants[p.Other()], nonce: e.Nonce, amount: new(big.Int).Set(e.Transferred)})
}

func (l *ledger) settledEvent(r *rebuilt, e contracts.ChannelSettled) {
	where := atEvent(&r.id, e.EventMeta)
	wasStatus := r.status
	r.status, r.cooperative = channel.StatusSettled, e.Cooperative
	r.settled = eventRef{e.Block, e.TxHash}
	r.final = [2]*big.Int{new(big.Int).Set(e.BalanceA), new(big.Int).Set(e.BalanceB)}
	l.expectPayout(e.TxHash, r.participants[0], r.token, e.BalanceA)
	l.expectPayout(e.TxHash, r.participants[1], r.token, e.BalanceB)
	total := r.locked()
	if e.Cooperative {
		if wasStatus != channel.StatusOpen {
			l.found.fail(where.finding(CodeWrongStatus, "cooperative settlement while the channel was %s", wasStatus))
		}
		if sum := new(big.Int).Add(e.BalanceA, e.BalanceB); sum.Cmp(total) != 0 {
			l.found.fail(where.finding(CodeSettlementMismatch, "cooperative balances A %s + B %s = %s, channel holds %s", e.BalanceA, e.BalanceB, sum, total))
		}
		l.sigs.add(sigJob{kind: callCloseCooperative, ch: r, ref: r.settled,
			balA: r.final[0], balB: r.final[1]})
		return
	}
	if wasStatus != channel.StatusClosing {
		l.found.fail(where.finding(CodeWrongStatus, "settlement after a challenge while the channel was %s", wasStatus))
	} else {
		l.timing.add(timingCheck{rule: settleAfterDeadline, ch: r, ref: r.settled, settleAfter: r.settleAfter})
	}
	balA, balB := channel.ComputeSettlement(r.deposit[0], r.deposit[1], r.withdrawn[0], r.withdrawn[1], r.transferred[0], r.transferred[1])
	// Pending locks are held back from their sender's balance, at most all of it.
	held := l.heldIn(r, e.TxHash, [2]*big.Int{balA, balB})
	for p, bal := range []*big.Int{balA, balB} {
		if held[p].Cmp(bal) > 0 {
			l.found.fail(where.finding(CodeBadUnlock, "held %s of party %s's locks, its balance is %s", held[p], channel.Party(p), bal))
		}
	}
	balA, balB = new(big.Int).Sub(balA, held[0]), new(big.Int).Sub(balB, held[1])
	if balA.Cmp(e.BalanceA) != 0 || balB.Cmp(e.BalanceB) != 0 {
		l.found.fail(where.finding(CodeSettlementMismatch,
			"paid A %s B %s, the formula gives A %s B %s (deposits %s/%s, withdrawn %s/%s, transferred A %s nonce %d, B %s nonce %d)",
			e.BalanceA, e.BalanceB, balA, balB, r.deposit[0], r.deposit[1], r.withdrawn[0], r.withdrawn[1],
			r.transferred[0], r.nonce[0], r.transferred[1], r.nonce[1]))
	}
	return
}

// expectPayout records a transfer the contract attempts in tx; zero amounts are never pushed.
func (l *ledger) expectPayout(tx common.Hash, to, token common.Address, amount *big.Int) {
	if amount == nil || amount.Sign() == 0 {
		return
	}
	if tx != l.payoutTx {
		l.payoutTx, l.payouts = tx, l.payouts[:0]
	}
	l.payouts = append(l.payouts, payout{to: to, token: token, amount: new(big.Int).Set(amount)})
}

func (l *ledger) credited(e contracts.Credited) {
	where := atEvent(nil, e.EventMeta)
	matched := false
	for i, p := range l.payouts {
		if p.to == e.Account && p.token == e.Token && p.amount.Cmp(e.Amount) == 0 {
			l.payouts = append(l.payouts[:i], l.payouts[i+1:]...)
			matched = true
			break
		}
	}
	if !matched {
		l.found.fail(where.finding(CodeBadCredit, "credit of %s %s to %s matches no payout in its transaction", e.Amount, tokenName(e.Token), e.Account))
	}
	k := creditKey{e.Account, e.Token}
	if l.credits[k] == nil {
		l.credits[k] = new(big.Int)
	}
	l.credits[k].Add(l.credits[k], e.Amount)
}

func (l *ledger) claimed(e contracts.Claimed) {
	where := atEvent(nil, e.EventMeta)
	k := creditKey{e.Account, e.Token}
	have := l.credits[k]
	if have == nil {
		have = new(big.Int)
	}
	if have.Cmp(e.Amount) != 0 {
		if l.fullScan {
			l.found.fail(where.finding(CodeBadCredit, "%s claimed %s %s but was credited %s", e.Account, e.Amount, tokenName(e.Token), have))
		} else {
			l.found.warn(where.finding(CodeSkipped, "%s claimed %s %s; credits before the scan are unknown", e.Account, e.Amount, tokenName(e.Token)))
		}
	}
	delete(l.credits, k)
}

func tokenName(token common.Address) string {
	if token == (common.Address{}) {
		return "ETH"
	}
	return "token " + token.Hex()
}
