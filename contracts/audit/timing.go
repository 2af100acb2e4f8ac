package audit

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// timingRule is a challenge-period rule of the contract, checked against block time.
type timingRule uint8

const (
	closeSetsDeadline    timingRule = iota + 1 // settleAfter = close block time + challengePeriod
	updateBeforeDeadline                       // updateProof at or before settleAfter
	settleAfterDeadline                        // settle strictly after settleAfter
	withdrawBeforeExpiry                       // withdraw at or before the signed expiry
)

type timingCheck struct {
	rule        timingRule
	ch          *rebuilt
	ref         eventRef
	settleAfter uint64 // the deadline: settleAfter, or a withdrawal's expiry
	period      uint64
}

// timingChecker verifies that the challenge period was respected: the events carry
// settleAfter, the blocks carry the time.
type timingChecker struct {
	batch   func(ctx context.Context, elems []rpc.BatchElem) error
	found   *findings
	pending []timingCheck
}

func (tc *timingChecker) add(c timingCheck) { tc.pending = append(tc.pending, c) }

// flush reads the pending checks' block times in batches and applies the rules.
func (tc *timingChecker) flush(ctx context.Context) error {
	if len(tc.pending) == 0 {
		return nil
	}
	var blocks []uint64
	times := make(map[uint64]uint64)
	for _, c := range tc.pending {
		if _, ok := times[c.ref.block]; !ok {
			times[c.ref.block] = 0
			blocks = append(blocks, c.ref.block)
		}
	}
	headers := make([]*struct {
		Time hexutil.Uint64 `json:"timestamp"`
	}, len(blocks))
	elems := make([]rpc.BatchElem, len(blocks))
	for i, b := range blocks {
		elems[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.Uint64(b), false}, Result: &headers[i]}
	}
	if err := tc.batch(ctx, elems); err != nil {
		return fmt.Errorf("read block times: %w", err)
	}
	for i, b := range blocks {
		if headers[i] == nil {
			return fmt.Errorf("read block %d: not found", b)
		}
		times[b] = uint64(headers[i].Time)
	}
	for _, c := range tc.pending {
		tc.check(c, times[c.ref.block])
	}
	clear(tc.pending)
	tc.pending = tc.pending[:0]
	return nil
}

func (tc *timingChecker) check(c timingCheck, now uint64) {
	where := at{channel: &c.ch.id, block: c.ref.block, tx: c.ref.tx}
	switch c.rule {
	case closeSetsDeadline:
		if c.settleAfter != now+c.period {
			tc.found.fail(where.finding(CodeBadTiming, "closed at time %d with a %d s challenge period, but settleAfter is %d, want %d", now, c.period, c.settleAfter, now+c.period))
		}
	case updateBeforeDeadline:
		if now > c.settleAfter {
			tc.found.fail(where.finding(CodeBadTiming, "proof recorded at time %d, after the challenge period ended at %d", now, c.settleAfter))
		}
	case withdrawBeforeExpiry:
		if now > c.settleAfter {
			tc.found.fail(where.finding(CodeBadTiming, "withdrawal executed at time %d, after its signed expiry %d", now, c.settleAfter))
		}
	case settleAfterDeadline:
		if now <= c.settleAfter {
			tc.found.fail(where.finding(CodeBadTiming, "settled at time %d, before the challenge period ended at %d", now, c.settleAfter))
		}
	}
}
