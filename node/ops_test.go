package node

import (
	"context"
	"encoding/json"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/sluicepay/sluice/store"
)

// TestRestartFinishesOnChainOperationsExactlyOnce crashes (in effect) at the two points
// that matter: after a transaction was signed, stored and even mined but before "mined"
// was recorded (finished once, not again), and after a decision was stored but before
// anything was signed (dropped: its caller was never told it was submitted; records in
// that state come from versions before docs/adr/0015).
func TestRestartFinishesOnChainOperationsExactlyOnce(t *testing.T) {
	tn := newTestNet(t)
	aDir := t.TempDir()
	a := tn.startNode(1, nodeOpts{dir: aDir})
	b := tn.startNode(2, nodeOpts{})
	id := openChannel(t, a, b, big.NewInt(10_000), nil, time.Hour)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	base := tn.config(tn.chain.Accounts()[1].Key, aDir, nil)
	cfg := base.withDefaults()
	chain, err := dialChain(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	me := tn.chain.Accounts()[1].Address
	minedCall := ChainCall{Kind: CallDeposit, Channel: id, Participant: me, Amount: big.NewInt(1_000)}
	tx, err := chain.Prepare(ctx, minedCall)
	if err != nil {
		t.Fatal(err)
	}
	if err := chain.Broadcast(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if _, err := chain.Wait(ctx, tx); err != nil {
		t.Fatal(err)
	}
	decidedCall := ChainCall{Kind: CallDeposit, Channel: id, Participant: me, Amount: big.NewInt(500)}

	st, err := store.Open(filepath.Join(aDir, "db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var batch store.Batch
	var ids []store.OpID
	for i, op := range []struct {
		call  ChainCall
		state store.OpState
	}{{minedCall, store.OpSubmitted}, {decidedCall, store.OpDecided}} {
		raw, _ := json.Marshal(opPayload{Call: op.call, Salt: int64(i + 1)})
		ids = append(ids, store.NewOpID(string(op.call.Kind), id, raw))
		rec := store.OpRecord{ID: ids[i], Kind: string(op.call.Kind), Channel: id, Payload: raw, State: op.state, Updated: time.Now()}
		if op.state == store.OpSubmitted {
			rec.TxHash, rec.RawTx = tx.Hash, tx.Raw
		}
		if err := batch.PutOp(&rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Commit(ctx, &batch); err != nil {
		t.Fatal(err)
	}
	st.Close()
	chain.Close()

	a2 := tn.startNode(1, nodeOpts{dir: aDir})
	waitFor(t, "pending operations finish", func() bool {
		ops, err := a2.store.PendingOps()
		return err == nil && len(ops) == 0
	})
	chk := clientFor(t, tn, 3)
	v, err := chk.Channel(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if v.DepositA.Int64() != 11_000 {
		t.Fatalf("deposit on chain %s, want 11000: the mined deposit once and never the decided one", v.DepositA)
	}
	waitFor(t, "the node sees the deposit", func() bool { cv, _ := a2.Channel(ctx, id); return cv.Deposit[0].Int64() == 11_000 })
	if rec, found, err := a2.store.GetOp(ids[0]); err != nil || !found || rec.State != store.OpMined {
		t.Fatalf("the mined deposit's op after restart: %+v found=%v (%v), want mined", rec, found, err)
	}
	if _, found, err := a2.store.GetOp(ids[1]); err != nil || found {
		t.Fatalf("the decided deposit's op after restart: found=%v (%v), want dropped", found, err)
	}
}
