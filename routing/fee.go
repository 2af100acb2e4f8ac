package routing

import (
	"fmt"
	"math/big"

	"github.com/sluicepay/sluice/channel"
)

// PPMDenominator is the proportional fee's unit: parts per million of the forwarded amount.
const PPMDenominator = 1_000_000

// MaxFeePPM bounds the proportional fee at 100% of the forwarded amount; anything above is
// refused as a misconfiguration (or a trap) rather than routed through.
const MaxFeePPM = PPMDenominator

var ppmDenominator = big.NewInt(PPMDenominator)

// FeePolicy is what a node charges to forward a payment out over one of its channels:
// Flat wei plus PPM parts per million of the amount it forwards.
type FeePolicy struct {
	Flat *big.Int // nil = 0
	PPM  uint32
}

// Validate refuses a negative or oversized flat fee and a proportional fee above 100%.
func (f FeePolicy) Validate() error {
	if f.Flat != nil && (f.Flat.Sign() < 0 || f.Flat.Cmp(channel.MaxAmount()) > 0) {
		return fmt.Errorf("flat fee %s out of [0, 2^128-1]: %w", f.Flat, ErrInvalidEdge)
	}
	if f.PPM > MaxFeePPM {
		return fmt.Errorf("proportional fee %d ppm above %d: %w", f.PPM, MaxFeePPM, ErrInvalidEdge)
	}
	return nil
}

// Equal reports whether two policies charge the same.
func (f FeePolicy) Equal(o FeePolicy) bool {
	return f.PPM == o.PPM && flat(f).Cmp(flat(o)) == 0
}

var zero = new(big.Int)

func flat(f FeePolicy) *big.Int {
	if f.Flat == nil {
		return zero
	}
	return f.Flat
}

// Fee is what the forwarding node keeps for forwarding amount wei:
// Flat + ceil(amount * PPM / 1,000,000). The proportional part rounds UP, in the hop's
// favour: a hop is never paid less than its advertised rate, and a payer who quotes with
// the same formula never under-pays. The result is a fresh big.Int.
func (f FeePolicy) Fee(amount *big.Int) *big.Int {
	out := new(big.Int)
	f.addFee(out, amount, new(big.Int))
	return out
}

// addFee sets out = Fee(amount), using scratch; out and amount may not alias scratch.
func (f FeePolicy) addFee(out, amount, scratch *big.Int) {
	if f.PPM == 0 {
		out.Set(flat(f))
		return
	}
	scratch.SetUint64(uint64(f.PPM))
	scratch.Mul(scratch, amount)
	scratch.Add(scratch, big.NewInt(PPMDenominator-1))
	scratch.Quo(scratch, ppmDenominator)
	out.Add(flat(f), scratch)
}

// String renders the policy for logs, e.g. "1000 wei + 250 ppm".
func (f FeePolicy) String() string {
	return fmt.Sprintf("%s wei + %d ppm", flat(f), f.PPM)
}

// Forwardable is the most a node charging f can forward out of an incoming amount in:
// the largest x with x + Fee(x) <= in; ok is false when in does not even cover the fee
// of forwarding 1 wei. x + Fee(x) rises strictly with x, so when a payer priced the hop
// with Fee (in = out + Fee(out), as Route does) Forwardable(in) is exactly out.
func (f FeePolicy) Forwardable(in *big.Int) (x *big.Int, ok bool) {
	if in == nil || in.Sign() <= 0 {
		return new(big.Int), false
	}
	// x0 = floor((in - flat) * 1e6 / (1e6 + ppm)) is within a wei or two of the answer
	// (the proportional part rounds up); step down from just above it.
	x = new(big.Int).Sub(in, flat(f))
	if x.Sign() <= 0 {
		return new(big.Int), false
	}
	x.Mul(x, ppmDenominator)
	x.Quo(x, big.NewInt(PPMDenominator+int64(f.PPM)))
	x.Add(x, big.NewInt(2))
	sum, scratch, one := new(big.Int), new(big.Int), big.NewInt(1)
	for x.Sign() > 0 {
		f.addFee(sum, x, scratch)
		sum.Add(sum, x)
		if sum.Cmp(in) <= 0 {
			return x, true
		}
		x.Sub(x, one)
	}
	return x, false
}
