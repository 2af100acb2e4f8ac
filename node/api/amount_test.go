package api

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

func TestParseAmountAcceptsDecimalAndHexUpTo2Pow128Minus1(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	tests := []struct {
		in   string
		want *big.Int
	}{
		{"123", big.NewInt(123)},
		{"0x7b", big.NewInt(123)},
		{"0X7B", big.NewInt(123)},
		{"0", big.NewInt(0)},
		{" 42 ", big.NewInt(42)},
		{"007", big.NewInt(7)},
		{max.String(), max},
		{"0xffffffffffffffffffffffffffffffff", max},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if err != nil {
				t.Fatalf("ParseAmount(%q): %v", tt.in, err)
			}
			if got.Cmp(tt.want) != 0 {
				t.Fatalf("ParseAmount(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseAmountRejectsWithReason(t *testing.T) {
	tests := []struct {
		in, reason string
	}{
		{"", "empty"},
		{"-1", "negative"},
		{"+1", "sign"},
		{"1.5", "fractional"},
		{"1,000", "separator"},
		{"1.", "fractional"},
		{"1e18", "exponent"},
		{"abc", "not a decimal"},
		{"0x", "no hex digits"},
		{"0xzz", "not valid hex"},
		{"0x-1", "not valid hex"},
		{"0x+1", "not valid hex"},
		{"340282366920938463463374607431768211456", "exceeds"}, // 2^128
		{"0x100000000000000000000000000000000", "exceeds"},
		{strings.Repeat("9", 200), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.reason+"/"+truncate(tt.in), func(t *testing.T) {
			_, err := ParseAmount(tt.in)
			if err == nil {
				t.Fatalf("ParseAmount(%q) succeeded, want error mentioning %q", tt.in, tt.reason)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("ParseAmount(%q) error %q does not mention %q", tt.in, err, tt.reason)
			}
		})
	}
}

func TestAmountJSONRoundTripsAsDecimalString(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantSet bool
	}{
		{`"123"`, "123", true},
		{`"0x7b"`, "123", true},
		{`123`, "123", true},
		{`null`, "0", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var a Amount
			if err := json.Unmarshal([]byte(tt.in), &a); err != nil {
				t.Fatalf("unmarshal %s: %v", tt.in, err)
			}
			if a.IsSet() != tt.wantSet || a.String() != tt.want {
				t.Fatalf("unmarshal %s = (%s, set=%v), want (%s, set=%v)", tt.in, a, a.IsSet(), tt.want, tt.wantSet)
			}
			out, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != `"`+tt.want+`"` {
				t.Fatalf("marshal = %s, want %q", out, tt.want)
			}
		})
	}
}

func TestAmountJSONRejectsFractionalNumber(t *testing.T) {
	for _, in := range []string{`1.5`, `-3`, `1e3`, `true`, `"1.0"`} {
		var a Amount
		if err := json.Unmarshal([]byte(in), &a); err == nil {
			t.Errorf("unmarshal %s succeeded with %s, want error", in, a)
		}
	}
}
