package api

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sluicepay/sluice/channel"
)

// ChannelID is a channel id on the wire: "0x" followed by 64 hex digits.
type ChannelID channel.ID

// ParseChannelID reads a 0x-prefixed 32-byte hex channel id.
func ParseChannelID(s string) (channel.ID, error) {
	var id channel.ID
	if err := decodeFixedHex("channel id", s, id[:]); err != nil {
		return channel.ID{}, err
	}
	return id, nil
}

func (id ChannelID) String() string { return channel.ID(id).String() }

// MarshalJSON renders the id as 0x hex.
func (id ChannelID) MarshalJSON() ([]byte, error) { return json.Marshal(id.String()) }

// UnmarshalJSON accepts exactly "0x" + 64 hex digits.
func (id *ChannelID) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("channel id must be a 0x-prefixed hex string, got %s", truncate(string(data)))
	}
	parsed, err := ParseChannelID(s)
	if err != nil {
		return err
	}
	*id = ChannelID(parsed)
	return nil
}

// PaymentID is an idempotency key on the wire: "0x" followed by 32 hex digits (16 bytes).
type PaymentID [16]byte

// ParsePaymentID reads a 0x-prefixed 16-byte hex payment id.
func ParsePaymentID(s string) (PaymentID, error) {
	var id PaymentID
	if err := decodeFixedHex("payment id", s, id[:]); err != nil {
		return PaymentID{}, err
	}
	return id, nil
}

func (id PaymentID) String() string { return "0x" + hex.EncodeToString(id[:]) }

// IsZero reports the all-zero id, which sluice_pay refuses: to the node it means "none".
func (id PaymentID) IsZero() bool { return id == PaymentID{} }

// MarshalJSON renders the id as 0x hex.
func (id PaymentID) MarshalJSON() ([]byte, error) { return json.Marshal(id.String()) }

// UnmarshalJSON accepts exactly "0x" + 32 hex digits.
func (id *PaymentID) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("payment id must be a 0x-prefixed hex string, got %s", truncate(string(data)))
	}
	parsed, err := ParsePaymentID(s)
	if err != nil {
		return err
	}
	*id = parsed
	return nil
}

// Signature is a 65-byte r || s || v signature rendered as 0x hex.
type Signature channel.Signature

// MarshalJSON renders the signature as 0x hex.
func (s Signature) MarshalJSON() ([]byte, error) {
	return json.Marshal("0x" + hex.EncodeToString(s[:]))
}

// UnmarshalJSON accepts exactly "0x" + 130 hex digits.
func (s *Signature) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err != nil {
		return fmt.Errorf("signature must be a 0x-prefixed hex string, got %s", truncate(string(data)))
	}
	return decodeFixedHex("signature", text, s[:])
}

func decodeFixedHex(what, s string, dst []byte) error {
	want := 2 * len(dst)
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		return fmt.Errorf("%s %q must start with 0x followed by %d hex digits", what, truncate(s), want)
	}
	digits := s[2:]
	if len(digits) != want {
		return fmt.Errorf("%s %q has %d hex digits, want %d", what, truncate(s), len(digits), want)
	}
	if _, err := hex.Decode(dst, []byte(digits)); err != nil {
		return fmt.Errorf("%s %q is not valid hex", what, truncate(s))
	}
	return nil
}

// truncate keeps error messages short when a caller sends something huge.
func truncate(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
