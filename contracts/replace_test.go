package contracts

import (
	"errors"
	"math/big"
	"testing"

	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestBumpRaisesByAnEighthAtLeastOneWei(t *testing.T) {
	for _, tc := range []struct{ in, want int64 }{{0, 1}, {1, 2}, {8, 10}, {1_000_000_000, 1_250_000_000}, {7, 9}} {
		if got := bump(big.NewInt(tc.in)); got.Int64() != tc.want {
			t.Errorf("bump(%d) = %s, want %d", tc.in, got, tc.want)
		}
	}
}

// TestReplaceTxKeepsTheNonceAndCallAndRaisesBothFees: the replacement must be accepted by a
// pool as a replacement (same nonce, >= +10% on tip and fee cap) and carry the same call.
func TestReplaceTxKeepsTheNonceAndCallAndRaisesBothFees(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	c := w.clients[1]
	id := w.open(1, 2, ether(1), 60)
	data, err := c.channels.TryPackDeposit(id, c.Address(), big.NewInt(5))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := c.PrepareTx(w.ctx, data, big.NewInt(5))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.ReplaceTx(w.ctx, tx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Nonce() != tx.Nonce() || r.Gas() != tx.Gas() || r.Value().Cmp(tx.Value()) != 0 || string(r.Data()) != string(tx.Data()) || *r.To() != *tx.To() {
		t.Fatalf("replacement changed the call: %+v vs %+v", r, tx)
	}
	for name, pair := range map[string][2]*big.Int{"tip": {tx.GasTipCap(), r.GasTipCap()}, "fee cap": {tx.GasFeeCap(), r.GasFeeCap()}} {
		min := new(big.Int).Div(new(big.Int).Mul(pair[0], big.NewInt(110)), big.NewInt(100))
		if pair[1].Cmp(min) < 0 {
			t.Errorf("%s %s -> %s: less than +10%%", name, pair[0], pair[1])
		}
	}
	if err := c.Broadcast(w.ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := c.Broadcast(w.ctx, r); err != nil {
		t.Fatalf("the pool refused the replacement: %v", err)
	}
	ceiling := new(big.Int).Sub(r.GasFeeCap(), big.NewInt(1))
	if _, err := c.ReplaceTx(w.ctx, tx, ceiling); !errors.Is(err, ErrFeeCeiling) {
		t.Fatalf("replacement above the ceiling: %v, want ErrFeeCeiling", err)
	}
}
