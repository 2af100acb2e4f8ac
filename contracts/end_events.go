package contracts

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// MaxTopicIDs bounds how many channel ids one eth_getLogs filter carries. Providers cap
// the size of a filter (or of the request body); 500 ids are about 33 KB of JSON.
const MaxTopicIDs = 500

// EndEvents returns the ChannelClosed and ChannelSettled events (a channel's end: a
// dispute starting, or the payout) in blocks [from, to], in chain order, and no other
// event. With ids, only those channels' events are asked for (the indexed channel-id
// topic), in filters of at most MaxTopicIDs ids; with none, every close and settlement of
// the contract. A watchtower guarding a few channels asks by id; one guarding very many
// asks for all of them, which are rare next to payments' other events, and looks them up
// locally (docs/adr/0017).
func (c *Client) EndEvents(ctx context.Context, from, to uint64, ids []channel.ID) ([]Event, error) {
	if to < from {
		return nil, fmt.Errorf("closes in blocks [%d, %d]: empty range", from, to)
	}
	events := c.channels.GetABI().Events
	kinds := []common.Hash{events["ChannelClosed"].ID, events["ChannelSettled"].ID}
	if len(ids) == 0 {
		return c.endPaged(ctx, from, to, [][]common.Hash{kinds})
	}
	var out []Event
	for start := 0; start < len(ids); start += MaxTopicIDs {
		batch := ids[start:min(start+MaxTopicIDs, len(ids))]
		topic := make([]common.Hash, len(batch))
		for i, id := range batch {
			topic[i] = common.Hash(id)
		}
		evs, err := c.endPaged(ctx, from, to, [][]common.Hash{kinds, topic})
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
	}
	if len(ids) > MaxTopicIDs {
		sortByPosition(out)
	}
	return out, nil
}

// endPaged runs one filter over [from, to] in pages of Options.LogPageBlocks blocks,
// halving a page the node refuses as too large.
func (c *Client) endPaged(ctx context.Context, from, to uint64, topics [][]common.Hash) ([]Event, error) {
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
				continue
			}
			return nil, fmt.Errorf("eth_getLogs ChannelClosed/ChannelSettled of %s in blocks [%d, %d]: %w", c.contract, start, end, err)
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

// sortByPosition orders events merged from several filters by block, then log index.
func sortByPosition(evs []Event) {
	slices.SortFunc(evs, func(a, b Event) int {
		ma, mb := a.Meta(), b.Meta()
		if c := cmp.Compare(ma.Block, mb.Block); c != 0 {
			return c
		}
		return cmp.Compare(ma.LogIndex, mb.LogIndex)
	})
}
