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
