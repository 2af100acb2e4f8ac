package store

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"time"

	"github.com/sluicepay/sluice/channel"
)

// PaymentID makes a payment idempotent end to end (the Pay message's paymentId).
type PaymentID [16]byte

func (id PaymentID) String() string { return hex.EncodeToString(id[:]) }

// Direction says whether this node paid or was paid.
type Direction uint8

const (
	Outgoing Direction = 1
	Incoming Direction = 2
)

func (d Direction) String() string {
	switch d {
	case Outgoing:
		return "outgoing"
	case Incoming:
		return "incoming"
	default:
		return fmt.Sprintf("direction(%d)", uint8(d))
	}
}

// MaxMemoLen is the protocol's memo limit.
const MaxMemoLen = channel.MaxMemoSize

// PaymentRecord is one entry of the payment log.
type PaymentRecord struct {
	ID        PaymentID
	Channel   channel.ID
	Direction Direction
	Nonce     uint64   // nonce of the proof that carried the payment
	Amount    *big.Int // this payment
	// Transferred is the cumulative amount in this direction after the payment.
	Transferred *big.Int
	Time        time.Time // orders the per-channel listing; must be after 1970
	Memo        string
	// Sig is the payer's signature of the proof (Channel, Nonce, Transferred), so every
	// payment in the log stays independently verifiable, not only the latest one.
	Sig channel.Signature
	// Client is the API client that made an outgoing payment (issue 22: after a theft,
	// which token spent). Optional and last in the encoding, so records written before
	// it decode with an empty client.
	Client string
}

// MaxClientLen bounds a payment's client name (the risk engine's names are at most 64).
const MaxClientLen = 64

func (r *PaymentRecord) validate() error {
	if r.Direction != Outgoing && r.Direction != Incoming {
		return fmt.Errorf("payment %s: invalid direction %d", r.ID, r.Direction)
	}
	if len(r.Client) > MaxClientLen {
		return fmt.Errorf("payment %s: client name of %d bytes exceeds %d", r.ID, len(r.Client), MaxClientLen)
	}
	if len(r.Memo) > MaxMemoLen {
		return fmt.Errorf("payment %s: memo of %d bytes exceeds %d", r.ID, len(r.Memo), MaxMemoLen)
	}
	if err := checkAmount("amount", r.Amount); err != nil {
		return fmt.Errorf("payment %s: %w", r.ID, err)
	}
	if err := checkAmount("transferred", r.Transferred); err != nil {
		return fmt.Errorf("payment %s: %w", r.ID, err)
	}
	if r.Time.IsZero() {
		return fmt.Errorf("payment %s: time is not set", r.ID)
	}
	if err := checkTime("time", r.Time); err != nil {
		return fmt.Errorf("payment %s: %w", r.ID, err)
	}
	return nil
}

// appendPayment encodes into buf (reused by the caller) to keep the hot path allocation-light.
func appendPayment(buf []byte, r *PaymentRecord) []byte {
	e := encoder{buf: buf}
	e.fixed(r.Channel[:])
	e.u8(uint8(r.Direction))
	e.u64(r.Nonce)
	e.amount(r.Amount)
	e.amount(r.Transferred)
	e.timestamp(r.Time)
	e.fixed(r.Sig[:])
	e.str(r.Memo)
	if r.Client != "" {
		e.str(r.Client)
	}
	return e.buf
}

func decodePayment(id PaymentID, b []byte) (PaymentRecord, error) {
	r := PaymentRecord{ID: id}
	d := decoder{b: b}
	d.fixed(r.Channel[:])
	r.Direction = Direction(d.u8())
	r.Nonce = d.u64()
	r.Amount = d.amount()
	r.Transferred = d.amount()
	r.Time = d.timestamp()
	d.fixed(r.Sig[:])
	r.Memo = d.str(MaxMemoLen)
	if len(d.b) > 0 && d.err == nil {
		// Written only when set: a present but empty client is not a record this
		// encoder makes (one trailing zero byte would otherwise pass for it).
		if r.Client = d.str(MaxClientLen); r.Client == "" && d.err == nil {
			return r, fmt.Errorf("payment %s: empty client field", id)
		}
	}
	if err := d.finish("payment " + id.String()); err != nil {
		return r, err
	}
	return r, nil
}
