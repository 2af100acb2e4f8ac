package routing

import "math/big"

// BucketBits is how many leading binary digits of a capacity an announcement keeps. The
// rest are cleared (rounded down), so an announced capacity is at most 1/8 below the real
// one and changes only when the balance crosses a bucket edge: a payment of ordinary size
// does not show up in gossip, which keeps both the balance private and the gossip quiet.
const BucketBits = 4

// Bucket rounds capacity down to its BucketBits most significant binary digits. Zero and
// negative capacities bucket to zero. The result is a fresh big.Int.
func Bucket(capacity *big.Int) *big.Int {
	if capacity == nil || capacity.Sign() <= 0 {
		return new(big.Int)
	}
	n := capacity.BitLen()
	if n <= BucketBits {
		return new(big.Int).Set(capacity)
	}
	shift := uint(n - BucketBits)
	out := new(big.Int).Rsh(capacity, shift)
	return out.Lsh(out, shift)
}

// IsBucket reports whether c is a value Bucket can return (what validators require of an
// announced capacity, so an announcer cannot leak its exact balance by accident).
func IsBucket(c *big.Int) bool {
	return c != nil && c.Sign() >= 0 && Bucket(c).Cmp(c) == 0
}
