package p2p

import (
	"github.com/sluicepay/sluice/channel"
)

// TypeCancelEndorsement is the wire code of CancelEndorsement (ADR 0032).
const TypeCancelEndorsement Type = 19

// CancelEndorsement is the receiver's EIP-712 ProofEndorsement of the payer's proof with
// Nonce in Channel: the cancel proof (a LockExpired that removed a lock the receiver
// refused) it has just stored and acknowledged. With it the payer can put that proof on
// chain itself (updateProofFor), so the receiver can no longer settle on an older proof
// that still carries the refused lock. Fixed size: channel id, nonce, 65-byte signature.
// The payer checks the signature against the proof it stored with that nonce; the
// message carries no proof of its own.
type CancelEndorsement struct {
	Channel channel.ID
	Nonce   uint64
	Sig     channel.Signature
}

func (*CancelEndorsement) Type() Type { return TypeCancelEndorsement }

func (m *CancelEndorsement) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.Channel[:])
	w.uint64(m.Nonce)
	w.bytes(m.Sig[:])
	w.listEnd(l)
}

func (m *CancelEndorsement) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("channelId", m.Channel[:])
	m.Nonce = r.uint64("nonce")
	r.fixed("sig", m.Sig[:])
	r.leave("body", outer)
}

func (m *CancelEndorsement) validate() error { return nil }
