package node

import (
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/store"
)

// liveChannel is one channel's hot state. mu is its single owner: the payment path of one
// channel never waits for another channel. Everything the payment path needs is here, in
// memory; the store only ever receives compact deltas (one proof record and one payment
// record per payment).
type liveChannel struct {
	id   channel.ID
	us   channel.Party
	peer common.Address // the partner's Ethereum address: the only peer that may speak for it

	// slots bounds unacknowledged outgoing proofs (the pipelining window). A payer takes a
	// slot before signing and the Ack (or a failure) gives it back.
	slots chan struct{}

	// answeringWithdraw is set while a partner's WithdrawRequest is being answered (a
	// chain read and a signature, off the session goroutine): one at a time per channel,
	// so a flood of requests costs one goroutine, not one each.
	answeringWithdraw atomic.Bool

	mu          sync.Mutex
	st          *channel.State
	settleAfter uint64
	// settlement holds the signatures collected for a cooperative close, once we signed.
	settlement *store.SettlementRecord
	// withdrawals are signed withdrawals with their signatures (reservations).
	withdrawals []store.WithdrawalRecord
	// received mirrors st.Latest(them).Transferred without a copy per payment.
	received *big.Int
	// pending are our proofs the peer has not acknowledged yet, oldest (lowest nonce) first.
	pending []*outgoingPayment
	// inflight finds a pending payment by id, so a concurrent retry joins it.
	inflight map[store.PaymentID]*outgoingPayment
	// acked is the highest nonce of ours the peer acknowledged: every payment with a nonce
	// up to it is complete. It is never above what the peer really acknowledged, so a
	// retry that trusts it never reports an unacknowledged payment (pay_retry.go).
	acked uint64
	// ackedStored is the acked nonce last written to the store.
	ackedStored uint64
	// ackWake is closed (and cleared) when acked rises; retries waiting for an Ack make it.
	ackWake chan struct{}
	// desync is set when the peer rejected one of our proofs: our latest signed proof is
	// ahead of what the peer accepted, so new payments wait for a Sync to reconcile.
	desync   error
	payments uint64
	// settling is set once the watcher started settling, so polls do not pile up.
	settling bool
	// defending is set while a defense of a close (updateProof) is being driven.
	defending bool
	// undefended is set while the undefended-close gauge carries this channel.
	undefended bool
	// defenseLost is set once the challenge period ended with our best proof off chain.
	defenseLost bool
	// defended is set once the watcher saw the partner's best proof (nonce > 0) on chain
	// during a close.
	defended bool
	// lastProof is when the latest proof of either side was signed or accepted here
	// (zero: none since the node started).
	lastProof time.Time
	// closeWaiter receives the partner's CloseAccept while we wait for it.
	closeWaiter chan *closeAnswer
	// withdrawWaiter receives the partner's WithdrawAccept while we wait for it.
	withdrawWaiter chan *withdrawAnswer
	// sentDurable is our latest proof that is on disk and queued to the peer: the one a Sync
	// may reveal. The in-memory latest can be ahead of it and must not leave the node
	// before it is durable (a crash would let us sign a different proof with its nonce).
	sentDurable atomic.Pointer[channel.SignedProof]
	// ackStamp is touched only by the durable queue's goroutine; see durableQueue.run.
	ackStamp uint64
	// outOfPolicy names why the channel is outside the node's channel policy (nil: it is
	// within it); payments on it are refused (channel_policy.go).
	outOfPolicy atomic.Pointer[string]
	// lockMsgs are our lock proofs the peer may not have acknowledged (mediated.go).
	lockMsgs []lockMsg
	// syncResent is when a Sync of ours last resent lockMsgs (unix ns; answerSync).
	syncResent atomic.Int64
	// unackedCapped: the refusal of new locks at CheckpointConfig.MaxUnacked was logged.
	unackedCapped atomic.Bool
}

func newLiveChannel(st *channel.State, us channel.Party, window int) *liveChannel {
	p := st.Params()
	lc := &liveChannel{
		id:       p.ID,
		us:       us,
		peer:     p.Participants[us.Other()],
		slots:    make(chan struct{}, window),
		st:       st,
		inflight: make(map[store.PaymentID]*outgoingPayment),
		received: new(big.Int),
	}
	if latest, ok := st.Latest(us.Other()); ok {
		lc.received.Set(latest.Transferred)
	}
	mine, _ := st.Latest(us)
	lc.sentDurable.Store(&mine)
	return lc
}

// record is the persisted, slowly changing part of the channel. Callers hold mu.
func (lc *liveChannel) record() *store.ChannelRecord {
	sn := lc.st.Snapshot()
	r := &store.ChannelRecord{
		Params:      sn.Params,
		Self:        lc.us,
		Status:      sn.Status,
		SettleAfter: lc.settleAfter,
		Withdrawals: lc.withdrawals,
		Settlement:  lc.settlement,
	}
	for i := range 2 {
		r.Deposit[i] = sn.Sides[i].Deposit
		r.Withdrawn[i] = sn.Sides[i].Withdrawn
	}
	return r
}

// restoreChannel rebuilds a live channel from its stored record and latest proofs.
// locks are each direction's pending lock set as stored with the proof that last changed
// it; a proof record that does not carry Locked and LocksRoot gets them from its set.
func restoreChannel(r store.ChannelRecord, proofs [2]channel.SignedProof, locks [2][]channel.Lock, window int) (*liveChannel, error) {
	sn := channel.Snapshot{Params: r.Params, Status: r.Status}
	for i := range 2 {
		p := proofs[i]
		if len(locks[i]) > 0 && p.Locked == nil && p.LocksRoot == ([32]byte{}) {
			sum := new(big.Int)
			for _, l := range locks[i] {
				sum.Add(sum, l.Amount)
			}
			root, err := channel.LocksRoot(locks[i])
			if err != nil {
				return nil, err
			}
			p.Locked, p.LocksRoot = sum, root
		}
		sn.Sides[i] = channel.Side{Deposit: r.Deposit[i], Withdrawn: r.Withdrawn[i], Sent: p, Locks: locks[i]}
	}
	for _, w := range r.Withdrawals {
		sn.Pending = append(sn.Pending, w.Withdrawal)
	}
	if r.Settlement != nil {
		s := r.Settlement.Settlement
		sn.Settlement = &s
	}
	st, err := channel.Restore(sn)
	if err != nil {
		return nil, err
	}
	lc := newLiveChannel(st, r.Self, window)
	lc.settleAfter = r.SettleAfter
	lc.settlement = r.Settlement
	lc.withdrawals = r.Withdrawals
	return lc, nil
}

// view snapshots the channel for the API. Callers hold mu.
func (lc *liveChannel) view() ChannelView {
	sn := lc.st.Snapshot()
	v := ChannelView{
		ID:               sn.Params.ID,
		Domain:           sn.Params.Domain,
		Participants:     sn.Params.Participants,
		Us:               lc.us,
		Token:            sn.Params.Token,
		ChallengePeriod:  sn.Params.ChallengePeriod,
		Status:           sn.Status,
		SettleAfter:      lc.settleAfter,
		SettlementSigned: sn.Settlement != nil,
		Payments:         lc.payments,
	}
	if r := lc.outOfPolicy.Load(); r != nil {
		v.OutOfPolicy = *r
	}
	for i := range 2 {
		p := channel.Party(i)
		v.Deposit[i] = sn.Sides[i].Deposit
		v.Withdrawn[i] = sn.Sides[i].Withdrawn
		v.Balance[i] = lc.st.Balance(p)
		v.Reserved[i] = lc.st.Reserved(p)
		v.Sent[i] = sn.Sides[i].Sent
		v.Locks[i] = sn.Sides[i].Locks
	}
	v.LastProofAt = lc.lastProof
	v.Defense = lc.defenseState(sn.Status)
	return v
}

// defenseState names where the watcher's defense of a close stands (ChannelView.Defense).
// Callers hold mu.
func (lc *liveChannel) defenseState(st channel.Status) string {
	switch {
	case st != channel.StatusClosing:
		return ""
	case lc.defenseLost:
		return DefenseLost
	case lc.defending:
		return DefenseSubmitting
	case lc.undefended:
		return DefenseOutstanding
	case lc.defended:
		return DefenseOnChain
	}
	return ""
}
