package node

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// closeAnswer and withdrawAnswer carry the partner's co-signature (or refusal) from the
// peer's reader goroutine to the caller waiting for it.
type closeAnswer struct {
	st  channel.Settlement
	sig channel.Signature
	err error
}

type withdrawAnswer struct {
	w   channel.Withdrawal
	sig channel.Signature
	err error
}

// withdrawalLifetime bounds how long a co-signed withdrawal may execute; until then it
// reserves the withdrawer's balance on both sides.
const withdrawalLifetime = time.Hour

// CloseChannel closes cooperatively (both sign a Settlement, one transaction pays out at
// once) unless force, which starts the challenge period with the partner's best proof.
func (n *Node) CloseChannel(ctx context.Context, id channel.ID, force bool) (CloseResult, error) {
	lc := n.channel(id)
	if lc == nil {
		return CloseResult{}, fmt.Errorf("close channel %s: %w", id, channel.ErrUnknownChannel)
	}
	if force {
		return n.closeUnilateral(ctx, lc)
	}
	return n.closeCooperative(ctx, lc)
}

func (n *Node) closeUnilateral(ctx context.Context, lc *liveChannel) (CloseResult, error) {
	lc.mu.Lock()
	best, _ := lc.st.Latest(lc.us.Other())
	lc.mu.Unlock()
	if best.Transferred == nil {
		best.Transferred = new(big.Int)
	}
	best.Channel = lc.id
	rcpt, err := n.ops.submit(ctx, ChainCall{Kind: CallClose, Channel: lc.id, Proof: best}, opIdentity{})
	if err != nil {
		return CloseResult{}, WrapChannelError(lc.id, err, "close channel %s", lc.id)
	}
	res := CloseResult{TxResult: rcpt.TxResult}
	for _, ev := range rcpt.Events {
		if ev.Kind == EventClosed {
			res.SettleAfter = ev.SettleAfter
		}
	}
	return res, n.waitApplied(ctx, rcpt.Block)
}

func (n *Node) closeCooperative(ctx context.Context, lc *liveChannel) (CloseResult, error) {
	answer := make(chan *closeAnswer, 1)
	lc.mu.Lock()
	if len(lc.pending) > 0 {
		lc.mu.Unlock()
		return CloseResult{}, fmt.Errorf("close channel %s: %d payments await acknowledgement; retry when they complete", lc.id, len(lc.pending))
	}
	st, err := lc.st.ProposeSettlement()
	var sig channel.Signature
	if err == nil {
		sig, err = lc.st.SignSettlement(st, n.signer)
	}
	if err == nil {
		err = lc.st.CommitSettlement(st)
	}
	if err != nil {
		lc.mu.Unlock()
		return CloseResult{}, WrapChannelError(lc.id, err, "close channel %s", lc.id)
	}
	rec := &store.SettlementRecord{Settlement: st}
	rec.Sigs[lc.us] = sig
	lc.settlement = rec
	lc.closeWaiter = answer
	lc.mu.Unlock()
	defer func() {
		lc.mu.Lock()
		lc.closeWaiter = nil
		lc.mu.Unlock()
	}()
	// Signed means bound: the record is durable before the signature leaves the node.
	if err := n.persist(ctx, lc); err != nil {
		return CloseResult{}, err
	}
	n.subs.publishEvent(ChannelEvent{Channel: lc.id, Kind: "settlement_signed", Status: channel.StatusOpen, Time: time.Now()})
	if err := n.transport.Send(ctx, lc.peer, &p2p.CloseRequest{Settlement: st, Sig: sig}); err != nil {
		return CloseResult{}, fmt.Errorf("close channel %s: %w: %w", lc.id, ErrPeerUnreachable, err)
	}
	var a *closeAnswer
	select {
	case a = <-answer:
	case <-ctx.Done():
		return CloseResult{}, fmt.Errorf("close channel %s: waiting for the partner's signature: %w (force-close is possible)", lc.id, ctx.Err())
	}
	if a.err != nil {
		return CloseResult{}, fmt.Errorf("close channel %s: %w", lc.id, a.err)
	}
	lc.mu.Lock()
	err = lc.st.VerifySettlement(st, lc.us.Other(), a.sig)
	if err == nil && (a.st.BalanceA.Cmp(st.BalanceA) != 0 || a.st.BalanceB.Cmp(st.BalanceB) != 0) {
		err = channel.ErrBalanceMismatch
	}
	if err == nil {
		rec.Sigs[lc.us.Other()] = a.sig
	}
	lc.mu.Unlock()
	if err != nil {
		return CloseResult{}, fmt.Errorf("close channel %s: partner's settlement signature: %w", lc.id, err)
	}
	if err := n.persist(ctx, lc); err != nil {
		return CloseResult{}, err
	}
	rcpt, err := n.ops.submit(ctx, ChainCall{Kind: CallCloseCooperative, Channel: lc.id, Settlement: st, Sigs: rec.Sigs}, opIdentity{})
	if err != nil {
		return CloseResult{}, WrapChannelError(lc.id, err, "close channel %s", lc.id)
	}
	res := CloseResult{TxResult: rcpt.TxResult, Cooperative: true, Balances: [2]*big.Int{st.BalanceA, st.BalanceB}}
	return res, n.waitApplied(ctx, rcpt.Block)
}

// onCloseRequest co-signs a settlement that matches our balances exactly. Signing binds
// us, so the signature is stored before it is sent; off the reader goroutine because the
// wait for the disk must not stall the peer's other traffic.
func (n *Node) onCloseRequest(from common.Address, m *p2p.CloseRequest) {
	lc := n.peerChannel(from, m.Settlement.Channel)
	if lc == nil {
		n.reject(from, m.Settlement.Channel, 0, channel.ErrUnknownChannel)
		return
	}
	lc.mu.Lock()
	err := lc.st.VerifySettlement(m.Settlement, lc.us.Other(), m.Sig)
	var sig channel.Signature
	if err == nil {
		sig, err = lc.st.SignSettlement(m.Settlement, n.signer)
	}
	if err == nil {
		err = lc.st.CommitSettlement(m.Settlement)
	}
	if err != nil {
		lc.mu.Unlock()
		n.reject(from, lc.id, 0, err)
		return
	}
	rec := &store.SettlementRecord{Settlement: m.Settlement}
	rec.Sigs[lc.us] = sig
	rec.Sigs[lc.us.Other()] = m.Sig
	lc.settlement = rec
	done, qerr := n.persistLocked(lc)
	lc.mu.Unlock()
	if qerr != nil {
		n.log.Warn("settlement not stored", "channel", lc.id, "err", qerr)
		return
	}
	n.goTracked(func() {
		select {
		case err := <-done:
			if err != nil {
				n.log.Warn("settlement not stored", "channel", lc.id, "err", err)
				return
			}
		case <-n.ctx.Done():
			return
		}
		n.subs.publishEvent(ChannelEvent{Channel: lc.id, Kind: "settlement_signed", Status: channel.StatusOpen, Time: time.Now()})
		if err := n.transport.Send(n.ctx, from, &p2p.CloseAccept{Settlement: m.Settlement, Sig: sig}); err != nil {
			n.log.Warn("close accept not sent", "channel", lc.id, "err", err)
		}
	})
}

func (n *Node) onCloseAccept(from common.Address, m *p2p.CloseAccept) {
	lc := n.peerChannel(from, m.Settlement.Channel)
	if lc == nil {
		return
	}
	lc.mu.Lock()
	w := lc.closeWaiter
	lc.mu.Unlock()
	if w != nil {
		select {
		case w <- &closeAnswer{st: m.Settlement, sig: m.Sig}:
		default:
		}
	}
}

// Withdraw takes amount out of our side of an open channel: the partner co-signs the
// Withdrawal (reserving it on its side), then we submit it.
func (n *Node) Withdraw(ctx context.Context, id channel.ID, amount *big.Int) (TxResult, error) {
	lc := n.channel(id)
	if lc == nil {
		return TxResult{}, fmt.Errorf("withdraw from channel %s: %w", id, channel.ErrUnknownChannel)
	}
	if amount == nil || amount.Sign() <= 0 {
		return TxResult{}, fmt.Errorf("withdraw from channel %s: amount %v: %w", id, amount, channel.ErrInvalidAmount)
	}
	_, now, err := n.chain.Head(ctx)
	if err != nil {
		return TxResult{}, fmt.Errorf("withdraw from channel %s: chain time: %w", id, err)
	}
	answer := make(chan *withdrawAnswer, 1)
	lc.mu.Lock()
	side := lc.st.Side(lc.us)
	base := new(big.Int).Add(side.Withdrawn, lc.st.Reserved(lc.us))
	w := channel.Withdrawal{Channel: id, Participant: n.signer.Address(), TotalWithdrawn: base.Add(base, amount), Expiry: now + uint64(withdrawalLifetime/time.Second)}
	sig, err := lc.st.SignWithdrawal(w, now, n.signer)
	if err == nil {
		err = lc.st.ReserveWithdrawal(w, now)
	}
	if err != nil {
		lc.mu.Unlock()
		return TxResult{}, WrapChannelError(id, err, "withdraw from channel %s", id)
	}
	rec := store.WithdrawalRecord{Withdrawal: w}
	rec.Sigs[lc.us] = sig
	lc.withdrawals = append(lc.withdrawals, rec)
	idx := len(lc.withdrawals) - 1
	lc.withdrawWaiter = answer
	lc.mu.Unlock()
	defer func() {
		lc.mu.Lock()
		lc.withdrawWaiter = nil
		lc.mu.Unlock()
	}()
	if err := n.persist(ctx, lc); err != nil {
		return TxResult{}, err
	}
	if err := n.transport.Send(ctx, lc.peer, &p2p.WithdrawRequest{Withdrawal: w, Sig: sig}); err != nil {
		return TxResult{}, fmt.Errorf("withdraw from channel %s: %w: %w", id, ErrPeerUnreachable, err)
	}
	var a *withdrawAnswer
	select {
	case a = <-answer:
	case <-ctx.Done():
		return TxResult{}, fmt.Errorf("withdraw from channel %s: waiting for the partner's signature: %w", id, ctx.Err())
	}
	if a.err != nil {
		return TxResult{}, fmt.Errorf("withdraw from channel %s: %w", id, a.err)
	}
	lc.mu.Lock()
	err = lc.st.VerifyWithdrawal(w, lc.us.Other(), a.sig)
	if err == nil && idx < len(lc.withdrawals) {
		lc.withdrawals[idx].Sigs[lc.us.Other()] = a.sig
	}
	lc.mu.Unlock()
	if err != nil {
		return TxResult{}, fmt.Errorf("withdraw from channel %s: partner's signature: %w", id, err)
	}
	var sigs [2]channel.Signature
	sigs[lc.us], sigs[lc.us.Other()] = sig, a.sig
	rcpt, err := n.ops.submit(ctx, ChainCall{Kind: CallWithdraw, Channel: id, Participant: w.Participant, Withdrawal: w, Sigs: sigs}, opIdentity{})
	if err != nil {
		return TxResult{}, err
	}
	return rcpt.TxResult, n.waitApplied(ctx, rcpt.Block)
}

// onWithdrawRequest co-signs an affordable withdrawal by the partner and reserves it.
func (n *Node) onWithdrawRequest(from common.Address, m *p2p.WithdrawRequest) {
	lc := n.peerChannel(from, m.Withdrawal.Channel)
	if lc == nil {
		n.reject(from, m.Withdrawal.Channel, 0, channel.ErrUnknownChannel)
		return
	}
	if !lc.answeringWithdraw.CompareAndSwap(false, true) {
		n.reject(from, lc.id, 0, fmt.Errorf("a withdrawal request of this channel is still being answered: %w", channel.ErrRateLimited))
		return
	}
	n.goTracked(func() {
		defer lc.answeringWithdraw.Store(false)
		_, now, err := n.chain.Head(n.ctx)
		if err != nil {
			n.reject(from, lc.id, 0, fmt.Errorf("chain time: %v: %w", err, channel.ErrInternal))
			return
		}
		w := m.Withdrawal
		lc.mu.Lock()
		if w.Participant != lc.peer {
			err = fmt.Errorf("withdrawal for %s requested by %s: %w", w.Participant, from, channel.ErrNotParticipant)
		}
		if err == nil {
			err = lc.st.VerifyWithdrawal(w, lc.us.Other(), m.Sig)
		}
		var sig channel.Signature
		if err == nil {
			sig, err = lc.st.SignWithdrawal(w, now, n.signer)
		}
		if err == nil {
			err = lc.st.ReserveWithdrawal(w, now)
		}
		if err != nil {
			lc.mu.Unlock()
			n.reject(from, lc.id, 0, err)
			return
		}
		rec := store.WithdrawalRecord{Withdrawal: w}
		rec.Sigs[lc.us], rec.Sigs[lc.us.Other()] = sig, m.Sig
		lc.withdrawals = append(lc.withdrawals, rec)
		lc.mu.Unlock()
		if err := n.persist(n.ctx, lc); err != nil {
			n.log.Warn("withdrawal reservation not stored", "channel", lc.id, "err", err)
			return
		}
		if err := n.transport.Send(n.ctx, from, &p2p.WithdrawAccept{Withdrawal: w, Sig: sig}); err != nil {
			n.log.Warn("withdraw accept not sent", "channel", lc.id, "err", err)
		}
	})
}

func (n *Node) onWithdrawAccept(from common.Address, m *p2p.WithdrawAccept) {
	lc := n.peerChannel(from, m.Withdrawal.Channel)
	if lc == nil {
		return
	}
	lc.mu.Lock()
	w := lc.withdrawWaiter
	lc.mu.Unlock()
	if w != nil {
		select {
		case w <- &withdrawAnswer{w: m.Withdrawal, sig: m.Sig}:
		default:
		}
	}
}

// answerRefusal hands a Reject of a close or withdrawal request (nonce 0) to its waiter.
func (lc *liveChannel) answerRefusal(err error) bool {
	lc.mu.Lock()
	cw, ww := lc.closeWaiter, lc.withdrawWaiter
	lc.mu.Unlock()
	delivered := false
	if cw != nil {
		select {
		case cw <- &closeAnswer{err: err}:
			delivered = true
		default:
		}
	}
	if ww != nil {
		select {
		case ww <- &withdrawAnswer{err: err}:
			delivered = true
		default:
		}
	}
	return delivered
}
