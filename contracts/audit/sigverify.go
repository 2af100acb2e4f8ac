package audit

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// sigVerifier checks, in batches, that every signature the contract accepted really
// signs what the events say and recovers to the participant the contract credited.
type sigVerifier struct {
	chain  *chainReader
	hasher *channel.Hasher
	found  *findings
	// timing receives the deadlines only calldata carries (a withdrawal's expiry).
	timing *timingChecker

	pending  []sigJob
	verified int
	noTracer bool // once the node said it cannot trace, stop asking
}

func newSigVerifier(chain *chainReader, hasher *channel.Hasher, found *findings) *sigVerifier {
	return &sigVerifier{chain: chain, hasher: hasher, found: found}
}

// add queues a job; flush runs the queue. Kept apart so the ledger does no I/O.
func (v *sigVerifier) add(j sigJob) { v.pending = append(v.pending, j) }

// flush fetches the pending jobs' transactions in batches and verifies every job.
func (v *sigVerifier) flush(ctx context.Context) error {
	if len(v.pending) == 0 {
		return nil
	}
	seen := make(map[common.Hash]bool, len(v.pending))
	wanted := make(map[uint64][]common.Hash)
	for _, j := range v.pending {
		if !seen[j.ref.tx] {
			seen[j.ref.tx] = true
			wanted[j.ref.block] = append(wanted[j.ref.block], j.ref.tx)
		}
	}
	txs, missing, err := v.chain.transactionsByBlock(ctx, wanted)
	if err != nil {
		return fmt.Errorf("fetch calldata: %w", err)
	}
	traces := make(map[common.Hash][]callFrame)
	for i := range v.pending {
		j := &v.pending[i]
		if err, gone := missing[j.ref.tx]; gone {
			v.found.warn(at{channel: &j.ch.id, block: j.ref.block, tx: j.ref.tx}.finding(CodeUnverifiable,
				"%s: the node does not serve its transaction: %v", j.what(), err))
			continue
		}
		if err := v.verify(ctx, j, txs[j.ref.tx], traces); err != nil {
			return err
		}
	}
	clear(v.pending)
	v.pending = v.pending[:0]
	return nil
}

// verify finds the call that emitted the job's event and checks its signatures. Only
// RPC failures are returned; everything else becomes a finding.
func (v *sigVerifier) verify(ctx context.Context, j *sigJob, tx *txCall, traces map[common.Hash][]callFrame) error {
	where := at{channel: &j.ch.id, block: j.ref.block, tx: j.ref.tx}
	direct := tx.To != nil && *tx.To == v.chain.contract
	if direct {
		d, err := decodeCall(&v.chain.abi, j.kind, tx.Input)
		if err == nil && j.matches(d) {
			if j.kind == callClose && tx.From != j.closer {
				v.found.fail(where.finding(CodeCalldataMismatch, "ChannelClosed names closer %s, the transaction was sent by %s", j.closer, tx.From))
			}
			v.checkConsent(j, d, tx.From, where)
			v.check(j, d, where)
			return nil
		}
		// A direct call of the contract emits only its own function's events.
		if err == nil {
			err = errors.New("its arguments differ from the event")
		}
		v.found.fail(where.finding(CodeCalldataMismatch, "%s: the transaction's call cannot have emitted it: %v", j.what(), err))
		return nil
	}
	if v.noTracer {
		v.found.warn(where.finding(CodeUnverifiable, "%s reached the contract through another contract and the node cannot trace calls", j.what()))
		return nil
	}
	calls, ok := traces[j.ref.tx]
	if !ok {
		var err error
		calls, err = v.chain.contractCalls(ctx, j.ref.tx)
		if errors.Is(err, errNoTracer) {
			v.noTracer = true
			v.found.warn(where.finding(CodeUnverifiable, "%s reached the contract through another contract and the node cannot trace calls", j.what()))
			return nil
		}
		if err != nil {
			v.found.warn(where.finding(CodeUnverifiable, "%s reached the contract through another contract: %v", j.what(), err))
			return nil
		}
		traces[j.ref.tx] = calls
	}
	for _, c := range calls {
		if d, err := decodeCall(&v.chain.abi, j.kind, c.Input); err == nil && j.matches(d) {
			v.checkConsent(j, d, c.From, where)
			v.check(j, d, where)
			return nil
		}
	}
	v.found.fail(where.finding(CodeCalldataMismatch, "%s: no call to the contract in the transaction carries it", j.what()))
	return nil
}

// checkConsent applies the dispute rule: a proof reaches the chain only with the consent of
// the party it pays, shown by sending the call itself (updateProof) or by an endorsement
// that check verifies (updateProofFor).
func (v *sigVerifier) checkConsent(j *sigJob, d decodedCall, sender common.Address, where at) {
	if j.kind == callUpdateProof && !d.endorsed && sender != j.receiver {
		v.found.fail(where.finding(CodeNoConsent, "%s: sent by %s, not by the proof's receiver %s and without its endorsement", j.what(), sender, j.receiver))
	}
}

// check recovers every signature of the call and compares it with its expected signer.
func (v *sigVerifier) check(j *sigJob, d decodedCall, where at) {
	if j.kind == callWithdraw && v.timing != nil {
		v.timing.add(timingCheck{rule: withdrawBeforeExpiry, ch: j.ch, ref: j.ref, settleAfter: d.expiry})
	}
	if (j.kind == callClose || j.kind == callUpdateProof) && d.locked != nil {
		// The proof's locks, for the hold-back check at settle (the events do not carry them).
		if p, ok := j.ch.partyOf(j.signer); ok {
			j.ch.proofLocked[p], j.ch.proofRoot[p] = new(big.Int).Set(d.locked), d.locksRoot
		}
	}
	want := j.expectedSigners(d)
	if len(d.sigs) != len(want) {
		v.found.fail(where.finding(CodeBadSignature, "%s: %d signatures in calldata, want %d", j.what(), len(d.sigs), len(want)))
		return
	}
	for i, raw := range d.sigs {
		digest, err := j.digest(v.hasher, d, i)
		if err != nil {
			v.found.fail(where.finding(CodeBadSignature, "%s: digest: %v", j.what(), err))
			return
		}
		sig, err := toSignature(raw)
		var got common.Address
		if err == nil {
			got, err = v.hasher.Recover(digest, sig)
		}
		switch {
		case err != nil:
			v.found.fail(where.finding(CodeBadSignature, "%s: signature %d: %v", j.what(), i+1, err))
		case got != want[i]:
			v.found.fail(where.finding(CodeBadSignature, "%s: signature %d recovers to %s, the contract credited %s", j.what(), i+1, got, want[i]))
		default:
			v.verified++
			j.ch.sigsVerified++
		}
	}
}
