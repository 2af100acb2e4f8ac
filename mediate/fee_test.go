package mediate

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/routing"
)

// TestForwardKeepsFee: a mediator forwards the incoming lock minus its fee for the
// outgoing amount, and refuses when that leaves less than the target's amount.
func TestForwardKeepsFee(t *testing.T) {
	fees := routing.FeePolicy{Flat: big.NewInt(1000), PPM: 2500}
	c := Config{RevealMargin: 100, Fees: fees}
	amount := big.NewInt(1_000_000)
	fee := fees.Fee(amount) // 1000 + 2500
	in := channel.Lock{Amount: new(big.Int).Add(amount, fee), Expiration: 10_000}
	out, _, _, err := c.Forward(in, amount, []common.Address{{9}}, 1000)
	if err != nil || out.Amount.Cmp(amount) != 0 {
		t.Fatalf("forward of a lock paying the fee: %v %v, want %s", out.Amount, err, amount)
	}
	in.Amount = new(big.Int).Sub(in.Amount, big.NewInt(1))
	if _, _, _, err := c.Forward(in, amount, []common.Address{{9}}, 1000); !errors.Is(err, ErrFeeUnpaid) {
		t.Fatalf("forward of a lock one wei short of the fee: %v, want ErrFeeUnpaid", err)
	}
	in.Amount = new(big.Int).Set(amount)
	if _, _, _, err := c.Forward(in, amount, []common.Address{{9}}, 1000); !errors.Is(err, ErrFeeUnpaid) {
		t.Fatalf("forward of a lock paying no fee: %v, want ErrFeeUnpaid", err)
	}
}

// A lock expiring further out than any honest route needs is not forwarded: the default
// allows a week (or MaxHops+2 margins), an operator's MaxAhead replaces it.
func TestForwardRefusesALockExpiringTooFarAhead(t *testing.T) {
	fees := routing.FeePolicy{}
	amount := big.NewInt(1_000)
	const now = 1_000_000
	c := Config{RevealMargin: 600, Fees: fees}
	in := channel.Lock{Amount: amount, Expiration: now + DefaultMaxAhead}
	if _, _, _, err := c.Forward(in, amount, []common.Address{{9}}, now); err != nil {
		t.Fatalf("a lock a week out: %v", err)
	}
	in.Expiration++
	if _, _, _, err := c.Forward(in, amount, []common.Address{{9}}, now); !errors.Is(err, ErrExpirationTooFar) || RefusalReason(err) != ReasonExpiry {
		t.Fatalf("a lock a week and a second out: %v, want ErrExpirationTooFar", err)
	}
	big24h := Config{RevealMargin: 24 * 3600}
	in.Expiration = now + 24*3600*(MaxHops+2)
	if _, _, _, err := big24h.Forward(in, amount, []common.Address{{9}}, now); err != nil {
		t.Fatalf("MaxHops+2 margins of a node with a 24 h margin: %v", err)
	}
	tight := Config{RevealMargin: 10, MaxAhead: 100}
	in.Expiration = now + 101
	if _, _, _, err := tight.Forward(in, amount, []common.Address{{9}}, now); !errors.Is(err, ErrExpirationTooFar) {
		t.Fatalf("past the operator's MaxAhead: %v", err)
	}
}
