package contracts

import (
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts/devchain"
)

func TestPrepareBroadcastWaitSettlesAndRebroadcastIsHarmless(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 1)
	if _, err := w.clients[2].Close(w.ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.chain.AdjustTime(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	c := w.clients[3]
	tx, err := c.PrepareTx(w.ctx, c.channels.PackSettle(id), nil)
	if err != nil {
		t.Fatalf("PrepareTx: %v", err)
	}
	if _, _, err := w.chain.Client().TransactionByHash(w.ctx, tx.Hash()); !errors.Is(err, ethereum.NotFound) {
		t.Fatalf("prepared transaction reached the chain before Broadcast: %v", err)
	}
	for i := range 2 {
		if err := c.Broadcast(w.ctx, tx); err != nil {
			t.Fatalf("broadcast #%d: %v", i+1, err)
		}
	}
	rec, err := c.WaitTx(w.ctx, tx)
	if err != nil {
		t.Fatalf("WaitTx: %v", err)
	}
	if rec.TxHash != tx.Hash() {
		t.Fatalf("receipt of %s, want %s", rec.TxHash, tx.Hash())
	}
	// After it is mined, re-broadcasting (a node restarting from its log) still succeeds.
	if err := c.Broadcast(w.ctx, tx); err != nil {
		t.Fatalf("broadcast after mining: %v", err)
	}
	if st := w.view(id).Status; st != channel.StatusSettled {
		t.Fatalf("status %s, want settled", st)
	}
	// The one-call writes continue the same nonce sequence.
	if _, err := c.Claim(w.ctx, common.Address{}); !errors.Is(err, ErrNothingToClaim) {
		t.Fatalf("Claim: %v", err)
	}
	if _, err := c.Deposit(w.ctx, w.open(3, 2, ether(1), 60), w.addr(3), ether(1)); err != nil {
		t.Fatalf("write after a prepared transaction: %v", err)
	}
}

func TestPrepareTxNamesRevertAndDecodeRevertWrapsForeignErrors(t *testing.T) {
	w := newWorld(t, devchain.Options{}, Options{})
	id := w.open(1, 2, ether(1), 60)
	c := w.clients[1]
	if _, err := c.PrepareTx(w.ctx, c.channels.PackSettle(id), nil); !errors.Is(err, ErrChannelNotClosing) {
		t.Fatalf("PrepareTx of a reverting call: %v, want ChannelNotClosing", err)
	}
	to := c.Contract()
	_, raw := w.chain.Client().EstimateGas(w.ctx, ethereum.CallMsg{From: c.Address(), To: &to, Data: c.channels.PackSettle(id)})
	if raw == nil {
		t.Fatal("estimate of a reverting call succeeded")
	}
	if err := c.DecodeRevert(raw); !errors.Is(err, ErrChannelNotClosing) {
		t.Fatalf("DecodeRevert(%v) = %v, want ChannelNotClosing", raw, err)
	}
	plain := errors.New("connection refused")
	if err := c.DecodeRevert(plain); err != plain {
		t.Fatalf("DecodeRevert of a non-revert = %v, want it unchanged", err)
	}
}
