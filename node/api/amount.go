package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/sluicepay/sluice/channel"
)

// maxAmountChars bounds the text ParseAmount will look at, so a hostile request cannot make
// the server parse a megabyte of digits. 2^128-1 has 39 decimal digits; leading zeros and a
// 0x prefix still fit comfortably.
const maxAmountChars = 100

// ParseAmount reads an amount in the token's smallest unit (wei for ETH) written as a
// decimal integer ("123") or 0x-prefixed hex ("0x7b"). It rejects empty, negative,
// fractional, exponent and oversized (> 2^128-1) values with a message that says which.
// Zero is accepted here; callers that need a positive amount use requirePositive.
func ParseAmount(s string) (*big.Int, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, fmt.Errorf("amount is empty")
	case len(s) > maxAmountChars:
		return nil, fmt.Errorf("amount %.20q... is too long (%d characters); the maximum is 2^128-1", s, len(s))
	case strings.HasPrefix(s, "-"):
		return nil, fmt.Errorf("amount %q is negative", s)
	case strings.HasPrefix(s, "+"):
		return nil, fmt.Errorf("amount %q has a sign; write digits only", s)
	}
	v := new(big.Int)
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		digits := s[2:]
		if digits == "" {
			return nil, fmt.Errorf("amount %q has no hex digits after 0x", s)
		}
		// big.Int would also take a sign ("0x-1"); only hex digits are an amount.
		if _, ok := v.SetString(digits, 16); !ok || !allHexDigits(digits) {
			return nil, fmt.Errorf("amount %q is not valid hex", s)
		}
	} else {
		if !allDigits(s) {
			return nil, fmt.Errorf("amount %q %s", s, whyNotDecimal(s))
		}
		v.SetString(s, 10)
	}
	if v.Cmp(channel.MaxAmount()) > 0 {
		return nil, fmt.Errorf("amount %s exceeds the maximum 2^128-1", s)
	}
	return v, nil
}

// Amount is an amount on the wire: a decimal string in results, a decimal or 0x-hex string
// (or a plain JSON integer, for curl users) in requests. The zero value means "absent",
// which lets request validation tell a missing field from an explicit "0".
type Amount struct {
	v *big.Int
}

// NewAmount wraps v; a nil v renders as "0".
func NewAmount(v *big.Int) Amount {
	if v == nil {
		return Amount{v: new(big.Int)}
	}
	return Amount{v: new(big.Int).Set(v)}
}

// Big returns a copy of the value, or nil when the amount was absent.
func (a Amount) Big() *big.Int {
	if a.v == nil {
		return nil
	}
	return new(big.Int).Set(a.v)
}

// IsSet reports whether the amount was present in the request.
func (a Amount) IsSet() bool { return a.v != nil }

func (a Amount) String() string {
	if a.v == nil {
		return "0"
	}
	return a.v.String()
}

// MarshalJSON renders the amount as a decimal string: JavaScript numbers lose precision
// above 2^53, and amounts in wei routinely exceed that.
func (a Amount) MarshalJSON() ([]byte, error) {
	return json.Marshal(a.String())
}

// UnmarshalJSON accepts "123", "0x7b" and 123.
func (a *Amount) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		a.v = nil
		return nil
	}
	var text string
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &text); err != nil {
			return fmt.Errorf("amount: %w", err)
		}
	} else {
		text = string(data)
	}
	v, err := ParseAmount(text)
	if err != nil {
		return err
	}
	a.v = v
	return nil
}

// requirePositive rejects an absent or zero amount for operations where zero means nothing.
func requirePositive(field string, a Amount) (*big.Int, error) {
	if !a.IsSet() {
		return nil, invalidParams("%s is required", field)
	}
	if a.v.Sign() == 0 {
		return nil, invalidParams("%s must be greater than zero", field)
	}
	return a.Big(), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// whyNotDecimal explains the common ways people write amounts that are not integers.
func whyNotDecimal(s string) string {
	mantissa, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	mantissa = strings.NewReplacer(".", "", ",", "", "_", "").Replace(mantissa)
	exp = strings.TrimLeft(exp, "+-")
	switch {
	case hasExp && allDigits(mantissa) && allDigits(exp):
		return "uses an exponent; write all the digits"
	case allDigits(mantissa) && strings.Contains(s, ","):
		return "contains a separator; write digits only"
	case allDigits(mantissa) && strings.Contains(s, "."):
		return "is fractional; amounts are whole numbers in the token's smallest unit (wei for ETH)"
	default:
		return "is not a decimal integer or 0x-prefixed hex"
	}
}

func allHexDigits(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return true
}
