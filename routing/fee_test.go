package routing

import (
	"errors"
	"math/big"
	"testing"
)

func TestFeeRoundsProportionalPartUp(t *testing.T) {
	for _, tc := range []struct {
		flat   int64
		ppm    uint32
		amount int64
		want   int64
	}{
		{0, 0, 1_000, 0},
		{7, 0, 1_000, 7},
		{0, 1, 1, 1},                  // 1e-6 wei rounds up to 1
		{0, 1, 1_000_000, 1},          // exact
		{0, 1, 1_000_001, 2},          // just over: up
		{0, 2_500, 400, 1},            // 1.0 exactly
		{0, 2_500, 401, 2},            // 1.0025 up
		{100, 10_000, 123_456, 1_335}, // 100 + ceil(1234.56)
		{0, MaxFeePPM, 999, 999},      // 100%
	} {
		got := FeePolicy{Flat: big.NewInt(tc.flat), PPM: tc.ppm}.Fee(big.NewInt(tc.amount))
		if got.Int64() != tc.want {
			t.Errorf("flat %d ppm %d of %d: got %s, want %d", tc.flat, tc.ppm, tc.amount, got, tc.want)
		}
	}
}

func TestFeeIsExactBeyond64Bits(t *testing.T) {
	amount, _ := new(big.Int).SetString("340282366920938463463374607431768211455", 10) // 2^128-1
	got := FeePolicy{Flat: big.NewInt(1), PPM: 3}.Fee(amount)
	// ceil((2^128-1)*3/1e6) + 1, computed independently with Rat.
	r := new(big.Rat).SetFrac(new(big.Int).Mul(amount, big.NewInt(3)), big.NewInt(1_000_000))
	want := new(big.Int).Quo(r.Num(), r.Denom())
	if !r.IsInt() {
		want.Add(want, big.NewInt(1))
	}
	want.Add(want, big.NewInt(1))
	if got.Cmp(want) != 0 {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestFeePolicyRefusesOutOfRange(t *testing.T) {
	for name, f := range map[string]FeePolicy{
		"negative flat": {Flat: big.NewInt(-1)},
		"flat > 2^128":  {Flat: new(big.Int).Lsh(big.NewInt(1), 128)},
		"ppm > 100%":    {PPM: MaxFeePPM + 1},
	} {
		if err := f.Validate(); !errors.Is(err, ErrInvalidEdge) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := (FeePolicy{PPM: MaxFeePPM}).Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestBucketKeepsFourLeadingBitsAndRoundsDown(t *testing.T) {
	for _, tc := range []struct{ in, want int64 }{
		{0, 0}, {-5, 0}, {1, 1}, {15, 15}, {16, 16}, {17, 16}, {31, 30}, {33, 32},
		{1_000_000, 983_040}, // 0b11110100001001000000 -> 0b1111 << 16
	} {
		got := Bucket(big.NewInt(tc.in))
		if got.Int64() != tc.want {
			t.Errorf("Bucket(%d) = %s, want %d", tc.in, got, tc.want)
		}
		if tc.in >= 0 && !IsBucket(got) {
			t.Errorf("IsBucket(Bucket(%d)) false", tc.in)
		}
	}
	if IsBucket(big.NewInt(1_000_000)) || IsBucket(nil) || IsBucket(big.NewInt(-1)) {
		t.Fatal("IsBucket accepts a non-bucket")
	}
	for c := int64(1); c < 5_000; c++ { // never above, never more than 1/8 below
		b := Bucket(big.NewInt(c)).Int64()
		if b > c || 8*(c-b) > c {
			t.Fatalf("Bucket(%d) = %d", c, b)
		}
	}
}
