package contracts

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
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
	// Manual mining: with automine the original may be sealed before the replacement is
	// broadcast, and the pool then refuses it as "nonce too low" (a CI flake), not as the
	// replacement this test is about.
	w := newWorld(t, devchain.Options{ManualMining: true}, Options{})
	c := w.clients[1]
	type opened struct {
		id  channel.ID
		err error
	}
	done := make(chan opened, 1)
	go func() {
		id, _, err := c.Open(w.ctx, w.addr(2), common.Address{}, ether(1), 60)
		done <- opened{id, err}
	}()
	var id channel.ID
	for id == (channel.ID{}) {
		select {
		case o := <-done:
			if o.err != nil {
				t.Fatal(o.err)
			}
			id = o.id
		case <-time.After(20 * time.Millisecond):
			w.chain.Commit()
		}
	}
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
