package node

import (
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// The node is the transport's p2p.Handler. Calls for one peer arrive in order from that
// peer's reader goroutine, which is what keeps a channel's incoming proofs ordered.

// PeerConnected sends Sync for every channel shared with the peer, so both ends converge
// on the latest proofs after any loss.
func (n *Node) PeerConnected(peer common.Address) {
	n.openInbound(peer)
	n.metrics.peers.Inc()
	n.log.Info("peer connected", "peer", peer)
	partner := false
	n.chans.Range(func(_, v any) bool {
		lc := v.(*liveChannel)
		if lc.peer == peer {
			n.sendSync(lc) // our unacknowledged lock proofs first, then the Sync
			partner = true
		}
		return true
	})
	if partner {
		n.keepPartner(peer)
	}
}

// PeerDisconnected only counts: pending payments stay pending, Sync finishes them.
func (n *Node) PeerDisconnected(peer common.Address) {
	n.closeInbound(peer)
	n.metrics.peers.Dec()
	n.log.Info("peer disconnected", "peer", peer)
}

// HandleMessage queues one message from a peer for in-order handling (inbound.go).
func (n *Node) HandleMessage(from common.Address, msg p2p.Message) {
	n.enqueueInbound(from, msg)
}

// handleInOrder dispatches one message from a peer. Nothing a peer sends can panic the
// node: every message is checked against the channel it names and the peer it came from.
func (n *Node) handleInOrder(from common.Address, in *inboundMsg) {
	switch m := in.msg.(type) {
	case *p2p.Pay:
		n.onPay(from, m, in)
	case *p2p.Ack:
		if lc := n.peerChannel(from, m.Channel); lc != nil {
			n.onAck(lc, m.Nonce)
		}
	case *p2p.Reject:
		if lc := n.peerChannel(from, m.Channel); lc != nil {
			n.onReject(lc, m)
		}
	case *p2p.Sync:
		if lc := n.peerChannel(from, m.Channel); lc != nil {
			n.onSync(lc, m)
		}
	case *p2p.CloseRequest:
		n.onCloseRequest(from, m)
	case *p2p.CloseAccept:
		n.onCloseAccept(from, m)
	case *p2p.WithdrawRequest:
		n.onWithdrawRequest(from, m)
	case *p2p.WithdrawAccept:
		n.onWithdrawAccept(from, m)
	case *p2p.LockedTransfer:
		n.onLockedTransfer(from, m, in)
	case *p2p.Unlock:
		n.onUnlock(from, m, in)
	case *p2p.LockExpired:
		n.onLockExpired(from, m, in)
	case *p2p.SecretReveal:
		n.onSecretReveal(from, m)
	case *p2p.InvoiceRequest:
		n.onInvoiceRequest(from, m)
	case *p2p.InvoiceReply:
		n.onInvoiceReply(from, m)
	case *p2p.LockRefused:
		n.onLockRefused(from, m)
	case *p2p.CancelEndorsement:
		n.onCancelEndorsement(from, m)
	default:
		n.log.Debug("ignored message", "peer", from, "type", in.msg.Type())
	}
}

// peerChannel returns the channel only if from is its partner.
func (n *Node) peerChannel(from common.Address, id channel.ID) *liveChannel {
	lc := n.channel(id)
	if lc == nil || lc.peer != from {
		return nil
	}
	return lc
}

// reject refuses a message from to; refusals an honest peer cannot cause in numbers
// count toward its ban (abuse.go).
func (n *Node) reject(to common.Address, ch channel.ID, nonce uint64, err error) {
	n.refuse(to, ch, nonce, err, true)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// onPay applies the payee's rule. The proof is applied in memory at once, so the next
// pipelined proof validates against it, but the Ack leaves only after the durable queue
// stored it.
func (n *Node) onPay(from common.Address, m *p2p.Pay, in *inboundMsg) {
	lc := n.peerChannel(from, m.Proof.Channel)
	if lc == nil {
		err := n.untrackedRefusal(from, m.Proof.Channel)
		if err == nil {
			err = channel.ErrUnknownChannel
		}
		repeat := in.sess != nil && in.sess.lastUnknown == m.Proof.Channel
		if in.sess != nil {
			in.sess.lastUnknown = m.Proof.Channel
		}
		n.refuse(from, m.Proof.Channel, m.Proof.Nonce, err, !repeat)
		return
	}
	// A signature the workers already recovered to the partner need not be checked again.
	verified := in.recovered(lc.peer)
	n.acceptProof(lc, m.Proof, store.PaymentID(m.PaymentID), m.Memo, false, verified)
}

// acceptProof validates and applies a proof from the partner; sync allows a nonce gap
// (a re-sent latest proof covers the ones we never saw).
func (n *Node) acceptProof(lc *liveChannel, proof channel.SignedProof, id store.PaymentID, memo []byte, sync, verified bool) {
	if err := lc.policyRefusal(); err != nil {
		n.reject(lc.peer, lc.id, proof.Nonce, err)
		return
	}
	them := lc.us.Other()
	lc.mu.Lock()
	fillLocks(lc, &proof)
	var (
		outcome channel.Outcome
		err     error
	)
	if sync {
		outcome, err = lc.st.ValidateSync(them, proof)
		if err == nil && outcome == channel.OutcomeNew {
			err = lc.st.CommitProof(them, proof)
		}
	} else if verified && proof.Nonce == lc.st.Nonce(them)+1 {
		// Every rule but the signature, which was recovered to the partner already.
		outcome, err = channel.OutcomeNew, lc.st.CommitProof(them, proof)
	} else {
		outcome, err = lc.st.ApplyIncoming(them, proof)
	}
	if err != nil {
		lc.mu.Unlock()
		n.reject(lc.peer, lc.id, proof.Nonce, err)
		return
	}
	if outcome == channel.OutcomeRepeat {
		// Still through the queue: the first copy may not be on disk yet.
		qerr := n.durable.enqueue(nil, afterCommit{kind: afterSendAck, ch: lc, nonce: proof.Nonce})
		lc.mu.Unlock()
		if qerr != nil {
			n.log.Debug("ack not queued", "channel", lc.id, "err", qerr)
		}
		return
	}
	amount := new(big.Int).Sub(proof.Transferred, lc.received)
	lc.received.Set(proof.Transferred)
	lc.payments++
	lc.lastProof = time.Now()
	if id == (store.PaymentID{}) {
		id = derivedPaymentID(lc.id, proof.Nonce)
	}
	rec := store.PaymentRecord{
		ID: id, Channel: lc.id, Direction: store.Incoming, Nonce: proof.Nonce,
		Amount: amount, Transferred: proof.Transferred, Time: time.Now(), Memo: string(memo), Sig: proof.Sig,
	}
	fill := func(b *store.Batch) error {
		if err := b.PutProof(them, &proof); err != nil {
			return err
		}
		return b.PutPayment(&rec)
	}
	after := afterCommit{kind: afterSendAck, ch: lc, nonce: proof.Nonce}
	if n.subs.paymentListeners.Load() > 0 {
		after.incoming = &PaymentView{
			PaymentID: id, Channel: lc.id, Direction: Incoming, Amount: amount,
			Proof: proof, Time: rec.Time, Memo: rec.Memo,
		}
	}
	qerr := n.durable.enqueue(fill, after)
	lc.mu.Unlock()
	if qerr != nil {
		n.log.Warn("incoming proof not stored", "channel", lc.id, "nonce", proof.Nonce, "err", qerr)
		return
	}
	n.towerProofReceived(lc)
	n.metrics.observePayment(Incoming, amount, 0)
}

// fillLocks gives a direct payment's proof that came without Locked and LocksRoot the
// payer's pending locks as we hold them. Pay and Sync carry the two whenever they are
// not zero (ADR 0031), so this only serves a payer of the version before, which left them
// out (ADR 0025 decision 7); a direct payment must leave them unchanged, and a payer that
// signed other values fails the signature check. Callers hold lc.mu.
func fillLocks(lc *liveChannel, p *channel.SignedProof) {
	if p.Locked != nil || p.LocksRoot != ([32]byte{}) {
		return
	}
	them := lc.us.Other()
	if locked := lc.st.Locked(them); locked.Sign() > 0 {
		latest, _ := lc.st.Latest(them)
		p.Locked, p.LocksRoot = locked, latest.LocksRoot
	}
}

// derivedPaymentID names a payment the payer gave no id (a proof learnt through Sync).
func derivedPaymentID(ch channel.ID, nonce uint64) store.PaymentID {
	var id store.PaymentID
	copy(id[:8], ch[:8])
	for i := range 8 {
		id[8+i] = byte(nonce >> (56 - 8*i))
	}
	return id
}

// onReject fails our pending payments from the rejected nonce on with the peer's reason.
func (n *Node) onReject(lc *liveChannel, m *p2p.Reject) {
	rerr := NewRejectError(lc.id, m.Nonce, m.Code, m.Reason)
	if m.Nonce == 0 {
		// Nonce 0 is never a proof: it refuses a close or withdrawal request.
		n.log.Info("peer refused a request", "channel", lc.id, "code", m.Code, "reason", m.Reason)
		lc.answerRefusal(rerr)
		return
	}
	// A refused proof is signed and sent: it stays spent for us, for the risk engine and on
	// chain (the peer may still use it). A peer that refuses a proof it was sent is out of
	// step or hostile: say so to the operator, and offer our view so an honest peer
	// converges (issue 22, finding 1).
	n.metrics.peerRejects.WithLabelValues(rejectLabel(m.Code)).Inc()
	n.log.Warn("peer refused a proof we signed and sent; it counts as spent", "channel", lc.id, "nonce", m.Nonce, "code", m.Code, "reason", m.Reason)
	if n.failPending(lc, m.Nonce, rerr) == 0 {
		// Nothing of ours was waiting on it: a refusal of the proof our last Sync (or a
		// re-sent lock proof) offered. Answering with another Sync would ping-pong with a
		// peer that refuses it for good; the next payment attempt or reconnect offers it.
		return
	}
	n.sendSync(lc)
}

// sendSync re-sends our unacknowledged lock proofs (stored under lockMsgNamespace), oldest
// first, then offers our view in a Sync: a lock update travels only in its own message,
// so a peer that missed or refused one catches up before it checks the Sync's proofs,
// which sign the locks it adds. Callers do not hold lc.mu.
func (n *Node) sendSync(lc *liveChannel) {
	lc.syncResent.Store(time.Now().UnixNano())
	n.resendLockMsgs(lc)
	n.sendSyncView(lc)
}

// sendSyncView sends our Sync without resending our lock proofs first.
func (n *Node) sendSyncView(lc *liveChannel) {
	lc.mu.Lock()
	sn := lc.st.Snapshot()
	lc.mu.Unlock()
	msg := &p2p.Sync{
		Channel:  lc.id,
		Sent:     *lc.sentDurable.Load(),
		Received: sn.Sides[lc.us.Other()].Sent,
	}
	for i := range 2 {
		msg.Deposits[i] = sn.Sides[i].Deposit
		msg.Withdrawn[i] = sn.Sides[i].Withdrawn
	}
	if err := n.transport.Send(n.ctx, lc.peer, msg); err != nil {
		n.log.Debug("sync not sent", "channel", lc.id, "err", err)
	}
}

// onSync converges both ends. The peer's latest proof rides in the Sync itself: a newer
// one is stored and acknowledged (the payee's side of a lost Pay), an exact repeat is
// re-acknowledged through the durable queue (a lost Ack), so the payer's pending payments
// complete only on an Ack sent after the proof was on disk. If the peer holds an older
// proof of ours than we signed, we answer with our own Sync, which carries it.
func (n *Node) onSync(lc *liveChannel, m *p2p.Sync) {
	lc.mu.Lock()
	theirs := lc.st.Nonce(lc.us.Other())
	lc.mu.Unlock()
	ours := lc.sentDurable.Load().Nonce

	if m.Sent.Nonce > 0 && m.Sent.Nonce >= theirs {
		n.acceptProof(lc, m.Sent, store.PaymentID{}, nil, true, false)
	}
	if m.Received.Nonce < ours {
		n.answerSync(lc) // its lock resend at most once a second (ADR 0041)
	}
}
