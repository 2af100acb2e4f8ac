package contracts_test

import (
	"math/big"
	"testing"
)

// setNextBlockTime makes Anvil mine the next block at exactly ts.
func (e *evm) setNextBlockTime(ts uint64) {
	e.t.Helper()
	if err := e.client.Client().CallContext(e.ctx, nil, "evm_setNextBlockTimestamp", ts); err != nil {
		e.t.Fatalf("evm_setNextBlockTimestamp %d: %v", ts, err)
	}
}

// TestTimeBoundaries pins the exact seconds: a withdrawal executes at its expiry and not
// one second later; a proof is accepted at settleAfter, and settlement starts one second
// after it, so the two windows never overlap.
func TestTimeBoundaries(t *testing.T) {
	t.Run("withdrawal at expiry succeeds", func(t *testing.T) {
		e := newEVM(t)
		a, b := e.accounts[1], e.accounts[2]
		id := e.openETH(a, b.Address, eth(4), 60)
		expiry := e.now() + 100
		sigA, sigB := e.signWithdrawal(id, a.Address, eth(1), expiry, a.Key, b.Key)
		e.setNextBlockTime(expiry)
		rec := e.sendSigned(a.Key, &e.channels, nil, e.sc.PackWithdraw(id, a.Address, eth(1), expiry, sigA, sigB), 300_000)
		if rec.Status != 1 {
			t.Fatal("withdrawal mined at its expiry second failed")
		}
	})
	t.Run("withdrawal one second after expiry fails", func(t *testing.T) {
		e := newEVM(t)
		a, b := e.accounts[1], e.accounts[2]
		id := e.openETH(a, b.Address, eth(4), 60)
		expiry := e.now() + 100
		sigA, sigB := e.signWithdrawal(id, a.Address, eth(1), expiry, a.Key, b.Key)
		e.setNextBlockTime(expiry + 1)
		rec := e.sendSigned(a.Key, &e.channels, nil, e.sc.PackWithdraw(id, a.Address, eth(1), expiry, sigA, sigB), 300_000)
		if rec.Status != 0 {
			t.Fatal("withdrawal mined after its expiry succeeded")
		}
	})
	t.Run("proof at settleAfter accepted, one second later refused while settle pays", func(t *testing.T) {
		e := newEVM(t)
		a, b := e.accounts[1], e.accounts[2]
		id := e.openETH(a, b.Address, eth(4), 60)
		rec := e.mustSend(a, e.channels, nil, e.sc.PackClose(id, 0, new(big.Int), new(big.Int), [32]byte{}, nil))
		deadline := findEvent(t, rec, e.sc.UnpackChannelClosedEvent).SettleAfter

		e.setNextBlockTime(deadline)
		p := e.signProof(a.Key, id, 2, eth(1))
		if rec := e.sendSigned(b.Key, &e.channels, nil, e.sc.PackUpdateProof(id, p.nonce, p.transferred, new(big.Int), [32]byte{}, p.sig), 300_000); rec.Status != 1 {
			t.Fatal("updateProof mined at settleAfter failed")
		}
		e.setNextBlockTime(deadline + 1)
		late := e.signProof(a.Key, id, 3, eth(2))
		if rec := e.sendSigned(b.Key, &e.channels, nil, e.sc.PackUpdateProof(id, late.nonce, late.transferred, new(big.Int), [32]byte{}, late.sig), 300_000); rec.Status != 0 {
			t.Fatal("updateProof mined after settleAfter succeeded")
		}
		if rec := e.sendSigned(b.Key, &e.channels, nil, e.sc.PackSettle(id), 300_000); rec.Status != 1 {
			t.Fatal("settle one second after settleAfter failed")
		}
		if v := e.view(id); v.Status != 3 {
			t.Fatalf("status after settle = %d", v.Status)
		}
	})
	t.Run("settle at settleAfter refused", func(t *testing.T) {
		e := newEVM(t)
		a, b := e.accounts[1], e.accounts[2]
		id := e.openETH(a, b.Address, eth(4), 60)
		rec := e.mustSend(a, e.channels, nil, e.sc.PackClose(id, 0, new(big.Int), new(big.Int), [32]byte{}, nil))
		deadline := findEvent(t, rec, e.sc.UnpackChannelClosedEvent).SettleAfter
		e.setNextBlockTime(deadline)
		if rec := e.sendSigned(b.Key, &e.channels, nil, e.sc.PackSettle(id), 300_000); rec.Status != 0 {
			t.Fatal("settle mined at settleAfter succeeded")
		}
	})
}
