package p2p

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Invoices over the wire (issue 18, ADR 0028): a payer asks the target of a route for a
// fresh invoice; the request travels hop by hop along the route like a LockedTransfer and
// the target's signed reply comes back the same way.

// Wire codes of the invoice exchange. Codes 17 and 18 are taken here.
const (
	TypeInvoiceRequest Type = 17
	TypeInvoiceReply   Type = 18
)

// InvoiceRequest asks Target for an invoice of Amount payable by Payer. Hops are the
// nodes after the receiver, ending with the target (empty when the receiver is the
// target), at most MaxRouteHops. Memo (at most MaxMemoSize) is kept by the target with
// the invoice. PayerSig, an optional tail (absent in frames of older payers; all zero
// means absent), is Payer's EIP-712 signature of the request (invoicing.RequestType:
// id, payer, target, amount, memo hash); hubs relay it unchanged, so the target can count
// the request against the payer it names (ADR 0035 amendment).
type InvoiceRequest struct {
	RequestID [16]byte
	Payer     common.Address
	Target    common.Address
	Amount    *big.Int
	Hops      []common.Address
	Memo      []byte
	PayerSig  channel.Signature
}

// Signed reports whether the request carries the payer's signature tail.
func (m *InvoiceRequest) Signed() bool { return m.PayerSig != (channel.Signature{}) }

// InvoiceReply answers the request with RequestID. Code 0: the target's invoice
// (SecretHash, Amount, Expiry in unix seconds) with its EIP-712 signature, which the
// payer checks itself; any other Code is a refusal (Reason says why, nothing is signed).
type InvoiceReply struct {
	RequestID  [16]byte
	Code       uint16
	Reason     string
	SecretHash [32]byte
	Amount     *big.Int
	Expiry     uint64
	Sig        channel.Signature
}

func (*InvoiceRequest) Type() Type { return TypeInvoiceRequest }
func (*InvoiceReply) Type() Type   { return TypeInvoiceReply }

func (m *InvoiceRequest) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.RequestID[:])
	w.bytes(m.Payer[:])
	w.bytes(m.Target[:])
	w.amount(m.Amount)
	w.hops(m.Hops)
	w.bytes(m.Memo)
	if m.Signed() {
		w.bytes(m.PayerSig[:])
	}
	w.listEnd(l)
}

func (m *InvoiceRequest) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("requestId", m.RequestID[:])
	r.fixed("payer", m.Payer[:])
	r.fixed("target", m.Target[:])
	m.Amount = r.amount("amount")
	m.Hops = r.hops()
	m.Memo = r.variable("memo", MaxMemoSize)
	if r.err == nil && len(r.rest) > 0 {
		r.fixed("payerSig", m.PayerSig[:])
		if r.err == nil && !m.Signed() {
			r.fail("payerSig", errors.New("zero signature tail")) // not canonical: leave it out
		}
	}
	r.leave("body", outer)
}

func (m *InvoiceRequest) validate() error {
	if len(m.Hops) > MaxRouteHops {
		return fmt.Errorf("invoice request names %d hops, at most %d", len(m.Hops), MaxRouteHops)
	}
	if len(m.Memo) > MaxMemoSize {
		return fmt.Errorf("invoice request memo of %d bytes exceeds %d", len(m.Memo), MaxMemoSize)
	}
	return checkAmount("invoice request amount", m.Amount)
}

func (m *InvoiceReply) encodeBody(w *bodyWriter) {
	l := w.list()
	w.bytes(m.RequestID[:])
	w.uint64(uint64(m.Code))
	w.string(m.Reason)
	w.bytes(m.SecretHash[:])
	w.amount(m.Amount)
	w.uint64(m.Expiry)
	w.bytes(m.Sig[:])
	w.listEnd(l)
}

func (m *InvoiceReply) decodeBody(r *bodyReader) {
	outer := r.list("body")
	r.fixed("requestId", m.RequestID[:])
	m.Code = r.uint16("code")
	m.Reason = r.text("reason", MaxReasonSize)
	r.fixed("secretHash", m.SecretHash[:])
	m.Amount = r.amount("amount")
	m.Expiry = r.uint64("expiry")
	r.fixed("sig", m.Sig[:])
	r.leave("body", outer)
}

func (m *InvoiceReply) validate() error {
	if err := checkReason("invoice reply", m.Reason); err != nil {
		return err
	}
	return checkAmount("invoice amount", m.Amount)
}
