package p2p

import (
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// TypeLockRefused is the wire code of LockRefused (ADR 0026).
const TypeLockRefused Type = 16

// LockRefused tells the payer of a pending lock that its receiver will not forward or
// accept it, and has durably given it up: the payer may now remove it before its
// expiration (a cancel proof, sent as LockExpired). It carries no proof: the session
// authenticates the sender, and the payer acts on it only for a lock it pays to that
// sender. Reason is one of mediate's refusal reasons; FailedChannel and FailedNode say
// where the route broke (zero when not known) so the initiator can route around it.
type LockRefused struct {
	Channel       channel.ID
	SecretHash    [32]byte
	Reason        uint16
	FailedChannel channel.ID
	FailedNode    common.Address
}

func (*LockRefused) Type() Type { return TypeLockRefused }

func (m *LockRefused) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.Channel[:])
	w.bytes(m.SecretHash[:])
	w.uint64(uint64(m.Reason))
	w.bytes(m.FailedChannel[:])
	w.bytes(m.FailedNode[:])
	w.listEnd(l)
}

func (m *LockRefused) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("channelId", m.Channel[:])
	r.fixed("secretHash", m.SecretHash[:])
	m.Reason = r.uint16("reason")
	r.fixed("failedChannel", m.FailedChannel[:])
	r.fixed("failedNode", m.FailedNode[:])
	r.leave("body", outer)
}

func (m *LockRefused) validate() error { return nil }
