package node

import (
	"bytes"
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

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/contracts"
	"github.com/sluicepay/sluice/store"
)

// opRunner submits contract calls and drives them until they are mined (docs/adr/0015):
//   - An operation is stored only once it is signed, together with the signed bytes and
//     before they are broadcast. If signing, estimating or the broadcast is refused, the
//     record is deleted and the caller gets the error: nothing of it ever executes later.
//   - A broadcast operation is followed by a node goroutine, not by the caller: it is
//     re-signed when another transaction took its nonce, replaced with a higher fee when
//     not mined in time, and resumed after a restart. A caller whose deadline passes
//     first is told so (ErrTxPending), i.e. that the transaction was submitted.
type opRunner struct {
	n *Node
	// mu serialises taking a nonce (Prepare, Resign) with storing and broadcasting the
	// transaction: the chain adapter hands out consecutive nonces, so transactions must
	// reach the chain in the order they were signed.
	mu sync.Mutex

	// running joins a second request for an op already being driven (a watcher seeing
	// the same close twice, a retry with the same idempotency key) to the first, so one
	// op is never driven twice at once.
	runMu   sync.Mutex
	running map[store.OpID]*opWait
}

type opWait struct {
	what    string // "kind channel", for the node's health report
	payload []byte // what the op was decided with: a joiner must ask for the same
	done    chan struct{}
	rcpt    Receipt
	err     error
}

func newOpRunner(n *Node) *opRunner { return &opRunner{n: n, running: map[store.OpID]*opWait{}} }

// opPayload is what an op record stores: the call and, for calls that may legitimately
// repeat (a second deposit of the same amount), a salt or the caller's idempotency key,
// which keep their ids apart.
type opPayload struct {
	Call ChainCall
	Salt int64  `json:",omitempty"`
	Key  string `json:",omitempty"`
}

// opIdentity says how an op's id is derived. The zero value is for calls that must
// never be submitted twice (settle, close, updateProof of a given proof, a given
// cooperative close): identical decisions share an id, so a repeat joins the first.
type opIdentity struct {
	salted bool   // a fresh op every time (open, deposit without a key)
	key    string // the caller's idempotency key: a retry with it joins the first op
}

// MaxIdempotencyKeyLen bounds an idempotency key (bytes).
const MaxIdempotencyKeyLen = 128

func (r *opRunner) identify(call ChainCall, how opIdentity) (store.OpID, []byte, error) {
	pl := opPayload{Call: call, Key: how.key}
	if how.salted && how.key == "" {
		pl.Salt = time.Now().UnixNano()
	}
	raw, err := json.Marshal(pl)
	if err != nil {
		return store.OpID{}, nil, fmt.Errorf("%s channel %s: encode op: %w", call.Kind, call.Channel, err)
	}
	if how.key != "" {
		return store.NewOpID(string(call.Kind), call.Channel, []byte("idempotency-key\x00"+how.key)), raw, nil
	}
	return store.NewOpID(string(call.Kind), call.Channel, raw), raw, nil
}

// known reports whether an op with this identity is running or recorded: only keyed
// and unsalted identities can be known beforehand.
func (r *opRunner) known(call ChainCall, how opIdentity) (bool, error) {
	if how.salted && how.key == "" {
		return false, nil
	}
	id, _, err := r.identify(call, how)
	if err != nil {
		return false, err
	}
	r.runMu.Lock()
	running := r.running[id] != nil
	r.runMu.Unlock()
	if running {
		return true, nil
	}
	_, found, err := r.n.store.GetOp(id)
	return found, err
}

// submit runs call to completion, or until ctx ends after its transaction was broadcast
// (then the error wraps ErrTxPending and the node keeps driving the transaction).
func (r *opRunner) submit(ctx context.Context, call ChainCall, how opIdentity) (Receipt, error) {
	if len(how.key) > MaxIdempotencyKeyLen {
		return Receipt{}, fmt.Errorf("%s: idempotency key of %d bytes exceeds %d: %w", call.Kind, len(how.key), MaxIdempotencyKeyLen, ErrInvalidIdempotencyKey)
	}
	id, raw, err := r.identify(call, how)
	if err != nil {
		return Receipt{}, err
	}
	r.runMu.Lock()
	if w := r.running[id]; w != nil {
		r.runMu.Unlock()
		if !bytes.Equal(w.payload, raw) {
			return Receipt{}, fmt.Errorf("%s: %w", call.Kind, ErrIdempotencyKeyReused)
		}
		return r.await(ctx, w, call, common.Hash{})
	}
	w := &opWait{what: fmt.Sprintf("%s %s", call.Kind, logChannel(call.Channel)), payload: raw, done: make(chan struct{})}
	r.running[id] = w
	r.runMu.Unlock()

	rec, follow, err := r.begin(ctx, id, call, raw, how)
	if err != nil || !follow {
		w.err = err
		if err == nil {
			w.rcpt, w.err = r.minedResult(ctx, rec, call)
		}
		r.finish(id, w)
		return w.rcpt, w.err
	}
	if !r.n.goTracked(func() { r.drive(id, w, rec, call) }) {
		w.err = fmt.Errorf("%s channel %s: transaction %s submitted: %w: %w", call.Kind, call.Channel, rec.TxHash, ErrTxPending, ErrClosed)
		r.finish(id, w)
		return Receipt{}, w.err
	}
	return r.await(ctx, w, call, rec.TxHash)
}

// begin finds or starts the op. It reports whether the op must be followed (it is
// broadcast and not known to be mined).
func (r *opRunner) begin(ctx context.Context, id store.OpID, call ChainCall, raw []byte, how opIdentity) (store.OpRecord, bool, error) {
	rec, found, err := r.n.store.GetOp(id)
	if err != nil {
		return rec, false, fmt.Errorf("%s channel %s: %w", call.Kind, call.Channel, err)
	}
	if found && !bytes.Equal(rec.Payload, raw) {
		return rec, false, fmt.Errorf("%s: %w", call.Kind, ErrIdempotencyKeyReused)
	}
	if found && rec.State == store.OpMined {
		if how.salted || how.key != "" {
			return rec, false, nil
		}
		// A decision that must not repeat and ended reverted, with its goal still not
		// met on chain (a defense mined too late in a reorganised chain, a settle that
		// ran out of gas), is decided again rather than answered from the record.
		if _, err := r.minedResult(ctx, rec, call); err == nil || r.goalMet(ctx, call) {
			return rec, false, nil
		}
		found = false
	}
	if found && rec.State == store.OpSubmitted {
		return rec, true, nil
	}
	rec, err = r.start(ctx, id, call, raw)
	return rec, err == nil, err
}

// await waits for the op's driver, or for ctx.
func (r *opRunner) await(ctx context.Context, w *opWait, call ChainCall, tx common.Hash) (Receipt, error) {
	select {
	case <-w.done:
		return w.rcpt, w.err
	case <-ctx.Done():
		what := "its transaction is"
		if tx != (common.Hash{}) {
			what = "transaction " + tx.Hex() + " is"
		}
		return Receipt{}, fmt.Errorf("%s channel %s: %s submitted and not mined yet: %w: %w", call.Kind, call.Channel, what, ErrTxPending, ctx.Err())
	}
}

func (r *opRunner) finish(id store.OpID, w *opWait) {
	r.runMu.Lock()
	delete(r.running, id)
	r.runMu.Unlock()
	close(w.done)
}

// start signs call, stores it and broadcasts it. Anything refused before the chain
// accepted the transaction leaves no record: the caller's error is the whole outcome.
func (r *opRunner) start(ctx context.Context, id store.OpID, call ChainCall, raw []byte) (store.OpRecord, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fail := func(err error) error {
		return fmt.Errorf("%s channel %s: %w (nothing was submitted)", call.Kind, logChannel(call.Channel), err)
	}
	const nonceAttempts = 3
	for attempt := 1; ; attempt++ {
		tx, err := r.n.chain.Prepare(ctx, call)
		if err != nil {
			return store.OpRecord{}, fail(err)
		}
		r.countAttempt(call)
		rec := store.OpRecord{ID: id, Kind: string(call.Kind), Channel: call.Channel, Payload: raw, State: store.OpSubmitted, TxHash: tx.Hash, RawTx: tx.Raw, Updated: time.Now()}
		if err := r.put(ctx, &rec); err != nil {
			r.n.chain.ResyncNonce()
			return store.OpRecord{}, fail(err)
		}
		err = r.n.chain.Broadcast(ctx, tx)
		switch {
		case err == nil:
			r.n.log.Info("transaction submitted", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", tx.Hash)
			return rec, nil
		case errors.Is(err, contracts.ErrNonceTaken) && attempt < nonceAttempts:
			// Our nonce sequence was behind the chain (the key was used elsewhere): the
			// transaction never entered a pool, so it is signed again, not followed.
			r.n.log.Warn("nonce already used outside the node; signing again", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", tx.Hash)
			r.forget(ctx, rec)
		case errors.Is(err, contracts.ErrBroadcastRefused), errors.Is(err, contracts.ErrNonceTaken):
			r.forget(ctx, rec)
			return store.OpRecord{}, fail(err)
		default:
			// The chain may or may not have taken it (a timeout, a dropped connection):
			// it is followed like any broadcast transaction, and re-broadcast.
			r.n.log.Warn("broadcast uncertain; following the transaction", "kind", call.Kind, "channel", logChannel(call.Channel), "tx", tx.Hash, "err", err)
			return rec, nil
		}
	}
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
		r.n.log.Error("cannot drop an operation that was never submitted", "op", rec.ID, "kind", rec.Kind, "err", err)
	}
}

// resume finishes what a previous run left unmined. Records still "decided" (written
// by an older version before signing) never left the node and their caller was never
// told they were submitted: they are dropped. Submitted transactions go out again first,
// in nonce order and before any new transaction is prepared (the nonce sequence starts
// from the chain's pending nonce, which must count them), then each is followed.
func (r *opRunner) resume(ctx context.Context) {
	ops, err := r.n.store.PendingOps()
	if err != nil {
		r.n.log.Error("cannot list pending on-chain operations", "err", err)
		return
	}
	var submitted []store.OpRecord
	for _, rec := range ops {
		if rec.State == store.OpSubmitted {
			submitted = append(submitted, rec)
			continue
		}
		r.n.log.Warn("dropping an on-chain operation that was never submitted", "kind", rec.Kind, "channel", logChannel(rec.Channel), "state", rec.State)
		r.forget(ctx, rec)
	}
	r.rebroadcast(ctx, submitted)
	for _, rec := range submitted {
		var pl opPayload
		if err := json.Unmarshal(rec.Payload, &pl); err != nil {
			r.n.log.Error("stored operation unreadable", "op", rec.ID, "kind", rec.Kind, "err", err)
			continue
		}
		w := &opWait{payload: rec.Payload, done: make(chan struct{})}
		r.runMu.Lock()
		if r.running[rec.ID] != nil {
			r.runMu.Unlock()
			continue // a caller already joined it
		}
		r.running[rec.ID] = w
		r.runMu.Unlock()
		// A request with the same id (a retry with its idempotency key) may have driven
		// it since the list was read: only the stored state counts, never the listed copy.
		fresh, found, err := r.n.store.GetOp(rec.ID)
		if err != nil || !found || fresh.State != store.OpSubmitted {
			switch {
			case err != nil:
				w.err = err
			case !found:
				w.err = fmt.Errorf("%s channel %s: the operation ended without being mined", rec.Kind, rec.Channel)
			default:
				w.rcpt, w.err = r.minedResult(ctx, fresh, pl.Call)
			}
			r.finish(rec.ID, w)
			continue
		}
		rec := fresh
		r.n.log.Info("resuming on-chain operation", "kind", rec.Kind, "channel", logChannel(rec.Channel), "tx", rec.TxHash)
		if !r.n.goTracked(func() { r.drive(rec.ID, w, rec, pl.Call) }) {
			w.err = ErrClosed
			r.finish(rec.ID, w)
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
			// A dead transaction (its nonce taken) is signed again by its driver.
			r.n.log.Warn("re-broadcast failed", "kind", s.rec.Kind, "channel", logChannel(s.rec.Channel), "tx", s.rec.TxHash, "err", err)
		}
	}
}

// logChannel names an operation's channel in logs; an open has none yet, and printing the
// zero id (channel=0x000…0) read as a real channel (issue 21, finding 9).
func logChannel(id channel.ID) any {
	if id == (channel.ID{}) {
		return "new"
	}
	return id
}
