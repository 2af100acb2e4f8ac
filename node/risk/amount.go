package risk

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strings"
)

// Amount is an unsigned 128-bit token amount. Channel amounts never exceed 2^128-1 (the
// protocol's limit), so sums fit without big.Int allocations on the decision path; sums
// saturate instead of wrapping, which can only make a cap check stricter.
type Amount struct{ hi, lo uint64 }

// maxAmount is 2^128-1.
var maxAmount = Amount{math.MaxUint64, math.MaxUint64}

// AmountFromUint64 returns v as an Amount.
func AmountFromUint64(v uint64) Amount { return Amount{lo: v} }

// AmountFromBig converts x; ok is false for nil, negative or wider than 128 bits.
func AmountFromBig(x *big.Int) (a Amount, ok bool) {
	if x == nil || x.Sign() < 0 || x.BitLen() > 128 {
		return Amount{}, false
	}
	var buf [16]byte
	x.FillBytes(buf[:])
	return Amount{binary.BigEndian.Uint64(buf[:8]), binary.BigEndian.Uint64(buf[8:])}, true
}

// Big returns the amount as a new big.Int.
func (a Amount) Big() *big.Int {
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], a.hi)
	binary.BigEndian.PutUint64(buf[8:], a.lo)
	return new(big.Int).SetBytes(buf[:])
}

// IsZero reports whether a is 0; a zero limit means "no limit".
func (a Amount) IsZero() bool { return a.hi == 0 && a.lo == 0 }

// Cmp compares a and b: -1, 0 or +1.
func (a Amount) Cmp(b Amount) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// Add returns a+b, saturating at 2^128-1.
func (a Amount) Add(b Amount) Amount {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c := bits.Add64(a.hi, b.hi, c)
	if c != 0 {
		return maxAmount
	}
	return Amount{hi, lo}
}

// Sub returns a-b, floored at 0.
func (a Amount) Sub(b Amount) Amount {
	lo, br := bits.Sub64(a.lo, b.lo, 0)
	hi, br := bits.Sub64(a.hi, b.hi, br)
	if br != 0 {
		return Amount{}
	}
	return Amount{hi, lo}
}

// Float is an approximation for the anomaly baseline, where precision does not matter.
func (a Amount) Float() float64 { return float64(a.hi)*0x1p64 + float64(a.lo) }

func (a Amount) String() string { return a.Big().String() }

// MarshalText writes the decimal amount; JSON carries it as a string because wei amounts
// exceed what JavaScript numbers hold.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText accepts a decimal amount of at most 2^128-1.
func (a *Amount) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	x, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return fmt.Errorf("amount %q is not a decimal integer", s)
	}
	v, ok := AmountFromBig(x)
	if !ok {
		return fmt.Errorf("amount %s is negative or exceeds 2^128-1", s)
	}
	*a = v
	return nil
}

func (a Amount) appendBinary(b []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, a.hi)
	return binary.BigEndian.AppendUint64(b, a.lo)
}
