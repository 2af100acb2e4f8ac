package routing

import (
	"math/big"
	"testing"
)

// TestForwardableInvertsFee: for every priced hop in = out + Fee(out), Forwardable(in)
// gives back exactly out, and one wei less incoming forwards less.
func TestForwardableInvertsFee(t *testing.T) {
	policies := []FeePolicy{{}, {Flat: big.NewInt(1000), PPM: 2500}, {PPM: 1}, {Flat: big.NewInt(7)}, {PPM: MaxFeePPM}, {Flat: big.NewInt(3), PPM: 999_999}}
	for _, f := range policies {
		for _, out := range []int64{1, 2, 3, 999, 1000, 1001, 123_456, 1_000_000, 987_654_321_987} {
			o := big.NewInt(out)
			in := new(big.Int).Add(o, f.Fee(o))
			got, ok := f.Forwardable(in)
			if !ok || got.Cmp(o) != 0 {
				t.Fatalf("%s: Forwardable(%s) = %s %v, want %d", f, in, got, ok, out)
			}
			less, ok := f.Forwardable(new(big.Int).Sub(in, big.NewInt(1)))
			if ok && less.Cmp(o) >= 0 {
				t.Fatalf("%s: Forwardable(%s-1) = %s, want < %d", f, in, less, out)
			}
		}
	}
	if _, ok := (FeePolicy{Flat: big.NewInt(1000)}).Forwardable(big.NewInt(1000)); ok {
		t.Fatal("an incoming amount equal to the flat fee forwards nothing")
	}
}
