package contracts

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

// EventPage is the result of one Events call.
type EventPage struct {
	// Events in chain order (block, then log index).
	Events []Event
	// Next is the first block not yet scanned: pass it as from on the next call and
	// persist it only after the events are processed.
	Next uint64
	// SafeHead is the newest block old enough to scan (head minus confirmations).
	SafeHead uint64
	// CaughtUp reports that every block up to SafeHead was scanned; when false (a long
	// downtime, more than Options.MaxScanBlocks behind), call Events again at once.
	CaughtUp bool
}

// Events returns the contract's events from block from up to the head minus
// confirmations, reading at most Options.MaxScanBlocks blocks in pages of at most
// Options.LogPageBlocks. With confirmations > 0 a shallow reorg cannot take back an event
// once returned.
func (c *Client) Events(ctx context.Context, from, confirmations uint64) (EventPage, error) {
	head, err := c.backend.BlockNumber(ctx)
	if err != nil {
		return EventPage{}, fmt.Errorf("events from block %d: head: %w", from, err)
	}
	if head < confirmations || head-confirmations < from {
		safe := uint64(0)
		if head >= confirmations {
			safe = head - confirmations
		}
		return EventPage{Next: from, SafeHead: safe, CaughtUp: true}, nil
	}
	safe := head - confirmations
	to := safe
	if to-from >= c.opts.MaxScanBlocks {
		to = from + c.opts.MaxScanBlocks - 1
	}
	evs, err := c.EventsInRange(ctx, from, to)
	if err != nil {
		return EventPage{}, err
	}
	return EventPage{Events: evs, Next: to + 1, SafeHead: safe, CaughtUp: to == safe}, nil
}

// EventsInRange returns every event of the contract in blocks [from, to] (an auditor's
// read; a node reads only its own channels' events with EventsOf).
func (c *Client) EventsInRange(ctx context.Context, from, to uint64) ([]Event, error) {
	if to < from {
		return nil, fmt.Errorf("events in blocks [%d, %d]: empty range", from, to)
	}
	return c.scan(ctx, from, to, [][]common.Hash{c.events.topics()}, "events")
}

// scan runs one log filter over blocks [from, to] in pages of at most
// Options.LogPageBlocks blocks. A page the node refuses as too large is halved until it
// passes (down to one block), then the page grows back, so one busy stretch does not
// slow the whole scan. Every filtered read of the contract goes through here.
func (c *Client) scan(ctx context.Context, from, to uint64, topics [][]common.Hash, what string) ([]Event, error) {
	page := c.opts.LogPageBlocks
	var out []Event
	for start := from; start <= to; {
		end := to
		if to-start >= page {
			end = start + page - 1
		}
		logs, err := c.backend.FilterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(start),
			ToBlock:   new(big.Int).SetUint64(end),
			Addresses: []common.Address{c.contract},
			Topics:    topics,
		})
		if err != nil {
			if isTooManyResults(err) && end > start {
				page = max((end-start+1)/2, 1)
				c.opts.Logger.Debug("eth_getLogs page too large, halving", "what", what, "from", start, "to", end, "page", page, "err", err)
				continue
			}
			return nil, fmt.Errorf("eth_getLogs (%s) of %s in blocks [%d, %d]: %w", what, c.contract, start, end, err)
		}
		for i := range logs {
			l := &logs[i]
			if l.Removed {
				continue
			}
			ev, ok, err := c.events.decode(l)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, ev)
			}
		}
		start = end + 1
		page = min(page*2, c.opts.LogPageBlocks)
	}
	return out, nil
}

// isTooManyResults recognises the ways nodes and providers refuse a log query as too
// large (geth, Anvil, Infura, Alchemy, QuickNode and others word it differently).
func isTooManyResults(err error) bool {
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "beyond current head") {
		// geth's "block range extends beyond current head block": a smaller page of
		// the same range will not help.
		return false
	}
	for _, s := range []string{
		"too many results", "query returned more than", "more than 10000 results", "response size exceeded",
		"limit exceeded", "block range", "range is too large", "range too large", "exceed maximum",
		"query timeout", "too large",
	} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
