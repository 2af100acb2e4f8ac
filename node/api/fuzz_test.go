package api

import (
	"encoding/json"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

func FuzzParseAmount(f *testing.F) {
	for _, seed := range []string{"0", "123", "0x7b", "-1", "1.5", "1e18", "0x", "340282366920938463463374607431768211455", " 7 ", "０", "0x-1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			return
		}
		if v.Sign() < 0 || v.Cmp(channel.MaxAmount()) > 0 {
			t.Fatalf("ParseAmount(%q) = %s, outside 0..2^128-1", s, v)
		}
		again, err := ParseAmount(v.String())
		if err != nil || again.Cmp(v) != 0 {
			t.Fatalf("ParseAmount(%q) = %s does not round-trip: %v, %v", s, v, again, err)
		}
		var a Amount
		if err := json.Unmarshal([]byte(`"`+v.String()+`"`), &a); err != nil || a.Big().Cmp(v) != 0 {
			t.Fatalf("JSON form of %s does not decode: %v", v, err)
		}
	})
}

func FuzzChannelIDJSON(f *testing.F) {
	f.Add([]byte(`"0x` + "ab" + `"`))
	f.Add([]byte(`"0x00000000000000000000000000000000000000000000000000000000000000ff"`))
	f.Add([]byte(`12`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var id ChannelID
		if err := json.Unmarshal(data, &id); err != nil {
			return
		}
		out, err := json.Marshal(id)
		if err != nil {
			t.Fatal(err)
		}
		var back ChannelID
		if err := json.Unmarshal(out, &back); err != nil || back != id {
			t.Fatalf("%s decoded to %s which does not round-trip: %v", data, id, err)
		}
	})
}
