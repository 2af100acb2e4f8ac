package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseChannelIDRequires0xAnd64HexDigits(t *testing.T) {
	good := "0x" + strings.Repeat("ab", 32)
	if id, err := ParseChannelID(good); err != nil || id.String() != good {
		t.Fatalf("ParseChannelID(%q) = %v, %v", good, id, err)
	}
	tests := []struct{ in, reason string }{
		{strings.Repeat("ab", 32), "must start with 0x"},
		{"0x1234", "has 4 hex digits, want 64"},
		{"0x" + strings.Repeat("zz", 32), "not valid hex"},
		{"", "must start with 0x"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			_, err := ParseChannelID(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.reason) || !strings.Contains(err.Error(), "channel id") {
				t.Fatalf("ParseChannelID(%q) error = %v, want one naming the channel id and %q", tt.in, err, tt.reason)
			}
		})
	}
}

func TestPaymentIDJSONIs16BytesHex(t *testing.T) {
	var id PaymentID
	in := `"0x000102030405060708090a0b0c0d0e0f"`
	if err := json.Unmarshal([]byte(in), &id); err != nil {
		t.Fatal(err)
	}
	if id[15] != 0x0f {
		t.Fatalf("decoded %x", id)
	}
	out, _ := json.Marshal(id)
	if string(out) != in {
		t.Fatalf("marshal = %s, want %s", out, in)
	}
	for _, bad := range []string{`"0x00"`, `12`, `"0x` + strings.Repeat("00", 32) + `"`} {
		if err := json.Unmarshal([]byte(bad), &id); err == nil {
			t.Errorf("unmarshal %s succeeded, want error", bad)
		}
	}
}
