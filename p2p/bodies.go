package p2p

import (
	"errors"
	"fmt"

	"github.com/sluicepay/sluice/channel"
)

// Each body is an RLP list of its fields in the order DESIGN §5 lists them.

func (m *Hello) encodeBody(w *bodyWriter) {
	l := w.list()
	w.uint64(m.Version)
	w.amount(m.ChainID)
	w.bytes(m.Contract[:])
	w.listEnd(l)
}

func (m *Hello) decodeBody(r *bodyReader) {
	outer := r.list("body")
	m.Version = r.uint64("version")
	m.ChainID = r.amount("chainId")
	r.fixed("contract", m.Contract[:])
	r.leave("body", outer)
}

func (m *Hello) validate() error { return checkAmount("hello chain id", m.ChainID) }

func (m *Goodbye) encodeBody(w *bodyWriter) {
	l := w.list()
	w.uint64(uint64(m.Code))
	w.string(m.Reason)
	w.listEnd(l)
}

func (m *Goodbye) decodeBody(r *bodyReader) {
	outer := r.list("body")
	m.Code = r.uint16("code")
	m.Reason = r.text("reason", MaxReasonSize)
	r.leave("body", outer)
}

func (m *Goodbye) validate() error { return checkReason("goodbye", m.Reason) }

func (m *Ping) encodeBody(w *bodyWriter) {
	w.listEnd(w.list())
}

func (m *Ping) decodeBody(r *bodyReader) {
	r.leave("body", r.list("body"))
}

func (m *Ping) validate() error { return nil }

// Pay body: [channelId, nonce, transferred, sig, paymentId, memo], then locked and
// locksRoot only while the payer has locks pending (locksTail).
func (m *Pay) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.Proof.Channel[:])
	w.uint64(m.Proof.Nonce)
	w.amount(m.Proof.Transferred)
	w.bytes(m.Proof.Sig[:])
	w.bytes(m.PaymentID[:])
	w.bytes(m.Memo)
	encodeLocksTail(w, &m.Proof.BalanceProof)
	w.listEnd(l)
}

func (m *Pay) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("channelId", m.Proof.Channel[:])
	m.Proof.Nonce = r.uint64("nonce")
	m.Proof.Transferred = r.amount("transferred")
	r.fixed("sig", m.Proof.Sig[:])
	r.fixed("paymentId", m.PaymentID[:])
	m.Memo = r.variable("memo", MaxMemoSize)
	decodeLocksTail(r, &m.Proof.BalanceProof)
	r.leave("body", outer)
}

func (m *Pay) validate() error {
	if len(m.Memo) > MaxMemoSize {
		return fmt.Errorf("pay memo of %d bytes exceeds %d", len(m.Memo), MaxMemoSize)
	}
	return errors.Join(checkAmount("pay transferred", m.Proof.Transferred), checkAmount("pay locked", m.Proof.Locked))
}

// A direct proof signed while the payer has locks pending signs their total and root
// (ADR 0025, 0031): Pay and Sync carry the two as a tail of the proof, present only when
// either is non-zero, so a channel without locks sends the same bytes as before and the
// receiver recovers the signer without its own copy of the locks.
func hasLocks(p *channel.BalanceProof) bool {
	return (p.Locked != nil && p.Locked.Sign() != 0) || p.LocksRoot != [32]byte{}
}

func encodeLocksTail(w *bodyWriter, p *channel.BalanceProof) {
	if hasLocks(p) {
		w.amount(p.Locked)
		w.bytes(p.LocksRoot[:])
	}
}

// decodeLocksTail reads the tail if the list goes on; an all-zero tail is not canonical
// (the sender must leave it out) and is refused.
func decodeLocksTail(r *bodyReader, p *channel.BalanceProof) {
	if r.err != nil || len(r.rest) == 0 {
		return
	}
	p.Locked = r.amount("locked")
	r.fixed("locksRoot", p.LocksRoot[:])
	if r.err == nil && !hasLocks(p) {
		r.fail("locked", errors.New("zero locks tail"))
	}
}

func (m *Ack) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.Channel[:])
	w.uint64(m.Nonce)
	w.listEnd(l)
}

func (m *Ack) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("channelId", m.Channel[:])
	m.Nonce = r.uint64("nonce")
	r.leave("body", outer)
}

func (m *Ack) validate() error { return nil }

func (m *Reject) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.Channel[:])
	w.uint64(m.Nonce)
	w.uint64(uint64(m.Code))
	w.string(m.Reason)
	w.listEnd(l)
}

func (m *Reject) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("channelId", m.Channel[:])
	m.Nonce = r.uint64("nonce")
	m.Code = r.uint16("code")
	m.Reason = r.text("reason", MaxReasonSize)
	r.leave("body", outer)
}

func (m *Reject) validate() error { return checkReason("reject", m.Reason) }

func encodeSettlement(w *bodyWriter, s *channel.Settlement, sig *channel.Signature) {
	l := w.list()
	w.bytes(s.Channel[:])
	w.amount(s.BalanceA)
	w.amount(s.BalanceB)
	w.bytes(sig[:])
	w.listEnd(l)
}

func decodeSettlement(r *bodyReader, s *channel.Settlement, sig *channel.Signature) {
	outer := r.list("body")
	r.fixed("channelId", s.Channel[:])
	s.BalanceA = r.amount("balanceA")
	s.BalanceB = r.amount("balanceB")
	r.fixed("sig", sig[:])
	r.leave("body", outer)
}

func validateSettlement(s *channel.Settlement) error {
	return errors.Join(checkAmount("settlement balanceA", s.BalanceA), checkAmount("settlement balanceB", s.BalanceB))
}

func (m *CloseRequest) encodeBody(w *bodyWriter) { encodeSettlement(w, &m.Settlement, &m.Sig) }
func (m *CloseRequest) decodeBody(r *bodyReader) { decodeSettlement(r, &m.Settlement, &m.Sig) }
func (m *CloseRequest) validate() error          { return validateSettlement(&m.Settlement) }
func (m *CloseAccept) encodeBody(w *bodyWriter)  { encodeSettlement(w, &m.Settlement, &m.Sig) }
func (m *CloseAccept) decodeBody(r *bodyReader)  { decodeSettlement(r, &m.Settlement, &m.Sig) }
func (m *CloseAccept) validate() error           { return validateSettlement(&m.Settlement) }

func encodeWithdrawal(w *bodyWriter, wd *channel.Withdrawal, sig *channel.Signature) {
	l := w.list()
	w.bytes(wd.Channel[:])
	w.bytes(wd.Participant[:])
	w.amount(wd.TotalWithdrawn)
	w.uint64(wd.Expiry)
	w.bytes(sig[:])
	w.listEnd(l)
}

func decodeWithdrawal(r *bodyReader, wd *channel.Withdrawal, sig *channel.Signature) {
	outer := r.list("body")
	r.fixed("channelId", wd.Channel[:])
	r.fixed("participant", wd.Participant[:])
	wd.TotalWithdrawn = r.amount("totalWithdrawn")
	wd.Expiry = r.uint64("expiry")
	r.fixed("sig", sig[:])
	r.leave("body", outer)
}

func (m *WithdrawRequest) encodeBody(w *bodyWriter) { encodeWithdrawal(w, &m.Withdrawal, &m.Sig) }
func (m *WithdrawRequest) decodeBody(r *bodyReader) { decodeWithdrawal(r, &m.Withdrawal, &m.Sig) }
func (m *WithdrawRequest) validate() error {
	return checkAmount("withdrawal totalWithdrawn", m.Withdrawal.TotalWithdrawn)
}
func (m *WithdrawAccept) encodeBody(w *bodyWriter) { encodeWithdrawal(w, &m.Withdrawal, &m.Sig) }
func (m *WithdrawAccept) decodeBody(r *bodyReader) { decodeWithdrawal(r, &m.Withdrawal, &m.Sig) }
func (m *WithdrawAccept) validate() error {
	return checkAmount("withdrawal totalWithdrawn", m.Withdrawal.TotalWithdrawn)
}

// Sync body: [channelId, [sentNonce, sentTransferred, sentSig, (locked, locksRoot)],
// [receivedNonce, receivedTransferred, receivedSig, (locked, locksRoot)],
// [depositA, depositB, withdrawnA, withdrawnB]]; the locks tail as in Pay.
func (m *Sync) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.Channel[:])
	for _, p := range [2]*channel.SignedProof{&m.Sent, &m.Received} {
		pl := w.list()
		w.uint64(p.Nonce)
		w.amount(p.Transferred)
		w.bytes(p.Sig[:])
		encodeLocksTail(w, &p.BalanceProof)
		w.listEnd(pl)
	}
	vl := w.list()
	w.amount(m.Deposits[0])
	w.amount(m.Deposits[1])
	w.amount(m.Withdrawn[0])
	w.amount(m.Withdrawn[1])
	w.listEnd(vl)
	w.listEnd(l)
}

func (m *Sync) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("channelId", m.Channel[:])
	for _, p := range [2]*channel.SignedProof{&m.Sent, &m.Received} {
		po := r.list("proof")
		p.Channel = m.Channel
		p.Nonce = r.uint64("proof.nonce")
		p.Transferred = r.amount("proof.transferred")
		r.fixed("proof.sig", p.Sig[:])
		decodeLocksTail(r, &p.BalanceProof)
		r.leave("proof", po)
	}
	vo := r.list("chainView")
	m.Deposits[0] = r.amount("depositA")
	m.Deposits[1] = r.amount("depositB")
	m.Withdrawn[0] = r.amount("withdrawnA")
	m.Withdrawn[1] = r.amount("withdrawnB")
	r.leave("chainView", vo)
	r.leave("body", outer)
}

func (m *Sync) validate() error {
	return errors.Join(
		checkAmount("sync sent transferred", m.Sent.Transferred),
		checkAmount("sync received transferred", m.Received.Transferred),
		checkAmount("sync sent locked", m.Sent.Locked),
		checkAmount("sync received locked", m.Received.Locked),
		checkAmount("sync depositA", m.Deposits[0]),
		checkAmount("sync depositB", m.Deposits[1]),
		checkAmount("sync withdrawnA", m.Withdrawn[0]),
		checkAmount("sync withdrawnB", m.Withdrawn[1]),
	)
}

func checkReason(msg, reason string) error {
	if len(reason) > MaxReasonSize {
		return fmt.Errorf("%s reason of %d bytes exceeds %d", msg, len(reason), MaxReasonSize)
	}
	return nil
}

func (m *OpenPropose) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.ProposalID[:])
	w.bytes(m.Token[:])
	w.amount(m.Deposit)
	w.uint64(m.ChallengePeriod)
	w.listEnd(l)
}

func (m *OpenPropose) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("proposalId", m.ProposalID[:])
	r.fixed("token", m.Token[:])
	m.Deposit = r.amount("deposit")
	m.ChallengePeriod = r.uint64("challengePeriod")
	r.leave("body", outer)
}

func (m *OpenPropose) validate() error { return checkAmount("open proposal deposit", m.Deposit) }

func (m *OpenAccept) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.ProposalID[:])
	w.listEnd(l)
}

func (m *OpenAccept) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("proposalId", m.ProposalID[:])
	r.leave("body", outer)
}

func (m *OpenAccept) validate() error { return nil }

func (m *OpenDecline) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.ProposalID[:])
	w.uint64(uint64(m.Code))
	w.string(m.Reason)
	w.listEnd(l)
}

func (m *OpenDecline) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("proposalId", m.ProposalID[:])
	m.Code = r.uint16("code")
	m.Reason = r.text("reason", MaxReasonSize)
	r.leave("body", outer)
}

func (m *OpenDecline) validate() error { return checkReason("open decline", m.Reason) }
