package node

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/store"
)

// opRunner submits contract calls so that a crash at any point resubmits exactly once:
// the decision is stored before the transaction is signed, the signed bytes before they
// are broadcast, and the receipt's block once mined (store.OpState). After a restart,
// resume re-broadcasts submitted transactions unchanged (same hash, same nonce) and
// prepares decided ones afresh (they never left the node).
type opRunner struct {
	n *Node
	// mu serialises prepare+store+broadcast: the chain adapter hands out consecutive
	// nonces at Prepare, so transactions must reach the chain in the order they were
	// prepared, and a resumed transaction must be re-broadcast before a new one is signed.
	mu sync.Mutex

	// running joins a second decision of an op already being driven (a watcher seeing
	// the same close twice) to the first, so one op is never driven twice at once.
	runMu   sync.Mutex
	running map[store.OpID]*opWait
}

type opWait struct {
	done chan struct{}
	rcpt Receipt
	err  error
}

func newOpRunner(n *Node) *opRunner { return &opRunner{n: n, running: map[store.OpID]*opWait{}} }

// opPayload is what an op record stores: the call and, for calls that may legitimately
// repeat (a second deposit of the same amount), a salt that keeps their ids apart.
type opPayload struct {
	Call ChainCall
	Salt int64 `json:",omitempty"`
}

// submit runs call to completion. Calls that must never be submitted twice (settle,
// close, updateProof of a given proof, a given cooperative close) pass salted=false and
// so share an id with any earlier identical decision, which submit then resumes.
func (r *opRunner) submit(ctx context.Context, call ChainCall, salted bool) (Receipt, error) {
	pl := opPayload{Call: call}
	if salted {
		pl.Salt = time.Now().UnixNano()
	}
	raw, err := json.Marshal(pl)
	if err != nil {
		return Receipt{}, fmt.Errorf("%s channel %s: encode op: %w", call.Kind, call.Channel, err)
	}
	id := store.NewOpID(string(call.Kind), call.Channel, raw)
	r.runMu.Lock()
	if w := r.running[id]; w != nil {
		r.runMu.Unlock()
		select {
		case <-w.done:
			return w.rcpt, w.err
		case <-ctx.Done():
			return Receipt{}, ctx.Err()
		}
	}
	w := &opWait{done: make(chan struct{})}
	r.running[id] = w
	r.runMu.Unlock()
	defer func() {
		r.runMu.Lock()
		delete(r.running, id)
		r.runMu.Unlock()
		close(w.done)
	}()
	w.rcpt, w.err = r.decideAndDrive(ctx, id, call, raw)
	return w.rcpt, w.err
}

func (r *opRunner) decideAndDrive(ctx context.Context, id store.OpID, call ChainCall, raw []byte) (Receipt, error) {
	rec, found, err := r.n.store.GetOp(id)
	if err != nil {
		return Receipt{}, fmt.Errorf("%s channel %s: %w", call.Kind, call.Channel, err)
	}
	if !found {
		rec = store.OpRecord{ID: id, Kind: string(call.Kind), Channel: call.Channel, Payload: raw, State: store.OpDecided, Updated: time.Now()}
		if err := r.put(ctx, &rec); err != nil {
			return Receipt{}, err
		}
	}
	return r.drive(ctx, rec)
}

// drive moves one op from wherever it stands to mined.
func (r *opRunner) drive(ctx context.Context, rec store.OpRecord) (Receipt, error) {
	var pl opPayload
	if err := json.Unmarshal(rec.Payload, &pl); err != nil {
		return Receipt{}, fmt.Errorf("op %s (%s): decode payload: %w", rec.ID, rec.Kind, err)
	}
	call := pl.Call
	if rec.State == store.OpMined {
		return Receipt{TxResult: TxResult{TxHash: rec.TxHash}}, nil
	}
	tx := SignedTx{Hash: rec.TxHash, Raw: rec.RawTx}
	if err := func() error {
		r.mu.Lock()
		defer r.mu.Unlock()
		if rec.State == store.OpDecided {
			var err error
			if tx, err = r.n.chain.Prepare(ctx, call); err != nil {
				if _, reverts := errors.AsType[*contracts.RevertError](err); reverts {
					// The call would revert, so nothing was signed or sent: forget the
					// decision rather than retry a doomed call after every restart.
					r.forget(ctx, rec)
				}
				return fmt.Errorf("%s channel %s: %w", call.Kind, call.Channel, err)
			}
			rec.State, rec.TxHash, rec.RawTx, rec.Updated = store.OpSubmitted, tx.Hash, tx.Raw, time.Now()
			if err := r.put(ctx, &rec); err != nil {
				return err
			}
		}
		if err := r.n.chain.Broadcast(ctx, tx); err != nil {
			return fmt.Errorf("%s channel %s: broadcast %s: %w", call.Kind, call.Channel, tx.Hash, err)
		}
		return nil
	}(); err != nil {
		return Receipt{}, err
	}
	r.n.log.Info("transaction submitted", "kind", call.Kind, "channel", call.Channel, "tx", tx.Hash)
	rcpt, err := r.n.chain.Wait(ctx, tx)
	if err != nil && ctx.Err() != nil {
		return Receipt{}, fmt.Errorf("%s channel %s: wait for %s: %w", call.Kind, call.Channel, tx.Hash, err)
	}
	// A reverted transaction is final too: it must not be sent again.
	rec.State, rec.Updated = store.OpMined, time.Now()
	if perr := r.put(context.WithoutCancel(ctx), &rec); perr != nil {
		return Receipt{}, errors.Join(err, perr)
	}
	if err != nil {
		return Receipt{}, fmt.Errorf("%s channel %s: %w", call.Kind, call.Channel, err)
	}
	return rcpt, nil
}

// approve runs an ERC-20 approve under the same lock as prepare+broadcast, so it never
// races one of our own transactions for a nonce. An approve is safe to repeat, so it is
// not an exactly-once operation.
func (r *opRunner) approve(ctx context.Context, call ChainCall) error {
	if call.Token == (common.Address{}) || call.Amount == nil || call.Amount.Sign() == 0 {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.n.chain.EnsureAllowance(ctx, call.Token, call.Amount); err != nil {
		return fmt.Errorf("%s channel %s: %w", call.Kind, call.Channel, err)
	}
	return nil
}

func (r *opRunner) put(ctx context.Context, rec *store.OpRecord) error {
	var b store.Batch
	if err := b.PutOp(rec); err != nil {
		return fmt.Errorf("op %s: %w", rec.ID, err)
	}
	if err := r.n.store.Commit(ctx, &b); err != nil {
		return fmt.Errorf("op %s (%s): store %s: %w", rec.ID, rec.Kind, rec.State, err)
	}
	return nil
}

func (r *opRunner) forget(ctx context.Context, rec store.OpRecord) {
	var b store.Batch
	b.DeleteOp(rec.ID)
	if err := r.n.store.Commit(context.WithoutCancel(ctx), &b); err != nil {
		r.n.log.Warn("cannot drop an operation that would revert", "op", rec.ID, "kind", rec.Kind, "err", err)
	}
}

// resume finishes what a previous run left unmined. Submitted transactions go out again
// first, in nonce order and before any new transaction is prepared: the client's nonce
// sequence starts from the chain's pending nonce, which must already count them.
func (r *opRunner) resume(ctx context.Context) {
	ops, err := r.n.store.PendingOps()
	if err != nil {
		r.n.log.Error("cannot list pending on-chain operations", "err", err)
		return
	}
	r.rebroadcast(ctx, ops)
	for _, rec := range ops {
		if ctx.Err() != nil {
			return
		}
		r.n.log.Info("resuming on-chain operation", "kind", rec.Kind, "channel", rec.Channel, "state", rec.State)
		if _, err := r.drive(ctx, rec); err != nil {
			r.n.log.Warn("resumed operation failed", "kind", rec.Kind, "channel", rec.Channel, "err", err)
		}
	}
}

func (r *opRunner) rebroadcast(ctx context.Context, ops []store.OpRecord) {
	type sent struct {
		rec   store.OpRecord
		nonce uint64
	}
	var submitted []sent
	for _, rec := range ops {
		if rec.State != store.OpSubmitted {
			continue
		}
		var tx types.Transaction
		if err := tx.UnmarshalBinary(rec.RawTx); err != nil {
			r.n.log.Error("stored transaction unreadable", "op", rec.ID, "kind", rec.Kind, "err", err)
			continue
		}
		submitted = append(submitted, sent{rec, tx.Nonce()})
	}
	slices.SortFunc(submitted, func(a, b sent) int { return cmp.Compare(a.nonce, b.nonce) })
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range submitted {
		if err := r.n.chain.Broadcast(ctx, SignedTx{Hash: s.rec.TxHash, Raw: s.rec.RawTx}); err != nil {
			r.n.log.Warn("re-broadcast failed", "kind", s.rec.Kind, "channel", s.rec.Channel, "tx", s.rec.TxHash, "err", err)
		}
	}
}
