package p2p

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Mediated transfers (issue 18, ADR 0025). Every message that carries a proof carries its
// Locked and LocksRoot explicitly, so the receiver checks the whole proof against its own
// copy of the pending locks whatever the proof codec carries.

// Wire codes of the mediated-transfer messages. Codes 12..15 are taken here.
const (
	TypeLockedTransfer Type = 12
	TypeSecretReveal   Type = 13
	TypeUnlock         Type = 14
	TypeLockExpired    Type = 15
)

// MaxRouteHops bounds the remaining hops a LockedTransfer may name.
const MaxRouteHops = 8

// LockedTransfer carries the payer's proof adding Lock to its pending locks, and what the
// receiver needs to forward it: the final Target, the Amount the target must receive,
// the PaymentID and the Hops still to go after the receiver, ending with the target (empty
// when the receiver is the target).
type LockedTransfer struct {
	Proof     channel.SignedProof
	Lock      channel.Lock
	PaymentID [16]byte
	Target    common.Address
	Amount    *big.Int
	Hops      []common.Address
}

// SecretReveal gives the payer of a pending lock its secret: the payer answers with an
// Unlock. It carries no proof.
type SecretReveal struct {
	Secret [32]byte
}

// Unlock carries the payer's proof moving the lock on keccak256(Secret) from locked to
// transferred.
type Unlock struct {
	Proof  channel.SignedProof
	Secret [32]byte
}

// LockExpired carries the payer's proof removing its lock on SecretHash after the lock's
// expiration passed by chain time.
type LockExpired struct {
	Proof      channel.SignedProof
	SecretHash [32]byte
}

func (*LockedTransfer) Type() Type { return TypeLockedTransfer }
func (*SecretReveal) Type() Type   { return TypeSecretReveal }
func (*Unlock) Type() Type         { return TypeUnlock }
func (*LockExpired) Type() Type    { return TypeLockExpired }

// lockProof writes a lock-aware proof: [channelId, nonce, transferred, locked, locksRoot, sig].
// hops writes a route's remaining nodes (LockedTransfer, InvoiceRequest) as a list of
// addresses; hops reads it back, refusing more than MaxRouteHops.
func (w *bodyWriter) hops(hops []common.Address) {
	l := w.list()
	for i := range hops {
		w.bytes(hops[i][:])
	}
	w.listEnd(l)
}

func (r *bodyReader) hops() []common.Address {
	var out []common.Address
	l := r.list("hops")
	for r.err == nil && len(r.rest) > 0 {
		if len(out) == MaxRouteHops {
			r.fail("hops", fmt.Errorf("more than %d hops", MaxRouteHops))
			break
		}
		var a common.Address
		r.fixed("hop", a[:])
		out = append(out, a)
	}
	r.leave("hops", l)
	return out
}

func (w *bodyWriter) lockProof(p *channel.SignedProof) {
	l := w.list()
	w.bytes(p.Channel[:])
	w.uint64(p.Nonce)
	w.amount(p.Transferred)
	w.amount(p.Locked)
	w.bytes(p.LocksRoot[:])
	w.bytes(p.Sig[:])
	w.listEnd(l)
}

func (r *bodyReader) lockProof(p *channel.SignedProof) {
	outer := r.list("proof")
	r.fixed("channelId", p.Channel[:])
	p.Nonce = r.uint64("nonce")
	p.Transferred = r.amount("transferred")
	p.Locked = r.amount("locked")
	r.fixed("locksRoot", p.LocksRoot[:])
	r.fixed("sig", p.Sig[:])
	r.leave("proof", outer)
	if r.err == nil && p.Locked.Sign() == 0 {
		p.Locked = nil // the channel package's spelling of "no locks"
	}
}

func checkLockProof(kind string, p *channel.SignedProof) error {
	if err := checkAmount(kind+" transferred", p.Transferred); err != nil {
		return err
	}
	return checkAmount(kind+" locked", p.Locked)
}

func (m *LockedTransfer) encodeBody(w *bodyWriter) {
	l := w.list()
	w.lockProof(&m.Proof)
	w.amount(m.Lock.Amount)
	w.uint64(m.Lock.Expiration)
	w.bytes(m.Lock.SecretHash[:])
	w.bytes(m.PaymentID[:])
	w.bytes(m.Target[:])
	w.amount(m.Amount)
	w.hops(m.Hops)
	w.listEnd(l)
}

func (m *LockedTransfer) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.lockProof(&m.Proof)
	m.Lock.Amount = r.amount("lockAmount")
	m.Lock.Expiration = r.uint64("expiration")
	r.fixed("secretHash", m.Lock.SecretHash[:])
	r.fixed("paymentId", m.PaymentID[:])
	r.fixed("target", m.Target[:])
	m.Amount = r.amount("amount")
	m.Hops = r.hops()
	r.leave("body", outer)
}

func (m *LockedTransfer) validate() error {
	if err := checkLockProof("locked transfer", &m.Proof); err != nil {
		return err
	}
	if len(m.Hops) > MaxRouteHops {
		return fmt.Errorf("locked transfer names %d hops, at most %d", len(m.Hops), MaxRouteHops)
	}
	if err := checkAmount("locked transfer amount", m.Amount); err != nil {
		return err
	}
	return checkAmount("lock amount", m.Lock.Amount)
}

func (m *SecretReveal) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.Secret[:])
	w.listEnd(l)
}

func (m *SecretReveal) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("secret", m.Secret[:])
	r.leave("body", outer)
}

func (m *SecretReveal) validate() error { return nil }

func (m *Unlock) encodeBody(w *bodyWriter) {
	l := w.list()
	w.lockProof(&m.Proof)
	w.bytes(m.Secret[:])
	w.listEnd(l)
}

func (m *Unlock) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.lockProof(&m.Proof)
	r.fixed("secret", m.Secret[:])
	r.leave("body", outer)
}

func (m *Unlock) validate() error { return checkLockProof("unlock", &m.Proof) }

func (m *LockExpired) encodeBody(w *bodyWriter) {
	l := w.list()
	w.lockProof(&m.Proof)
	w.bytes(m.SecretHash[:])
	w.listEnd(l)
}

func (m *LockExpired) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.lockProof(&m.Proof)
	r.fixed("secretHash", m.SecretHash[:])
	r.leave("body", outer)
}

func (m *LockExpired) validate() error { return checkLockProof("lock expired", &m.Proof) }
