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

// ClosedEvents returns the ChannelClosed events in blocks [from, to], in chain order. With
// ids, only those channels' closes are asked for (the indexed channel-id topic), in
// filters of at most MaxTopicIDs ids; with none, every close of the contract. A watchtower
// guarding a few channels asks by id; one guarding very many asks for all closes, which
// are rare, and looks them up locally (docs/adr/0017).
func (c *Client) ClosedEvents(ctx context.Context, from, to uint64, ids []channel.ID) ([]ChannelClosed, error) {
	if to < from {
		return nil, fmt.Errorf("closes in blocks [%d, %d]: empty range", from, to)
	}
	closed := c.channels.GetABI().Events["ChannelClosed"].ID
	if len(ids) == 0 {
		return c.closedPaged(ctx, from, to, [][]common.Hash{{closed}})
	}
	var out []ChannelClosed
	for start := 0; start < len(ids); start += MaxTopicIDs {
		batch := ids[start:min(start+MaxTopicIDs, len(ids))]
		topic := make([]common.Hash, len(batch))
		for i, id := range batch {
			topic[i] = common.Hash(id)
		}
		evs, err := c.closedPaged(ctx, from, to, [][]common.Hash{{closed}, topic})
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

// closedPaged runs one filter over [from, to] in pages of Options.LogPageBlocks blocks,
// halving a page the node refuses as too large.
func (c *Client) closedPaged(ctx context.Context, from, to uint64, topics [][]common.Hash) ([]ChannelClosed, error) {
	page := c.opts.LogPageBlocks
	var out []ChannelClosed
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
			return nil, fmt.Errorf("eth_getLogs ChannelClosed of %s in blocks [%d, %d]: %w", c.contract, start, end, err)
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
			if cl, isClose := ev.(ChannelClosed); ok && isClose {
				out = append(out, cl)
			}
		}
		start = end + 1
		page = min(page*2, c.opts.LogPageBlocks)
	}
	return out, nil
}

// sortByPosition orders events merged from several filters by block, then log index.
func sortByPosition(evs []ChannelClosed) {
	slices.SortFunc(evs, func(a, b ChannelClosed) int {
		if c := cmp.Compare(a.Block, b.Block); c != 0 {
			return c
		}
		return cmp.Compare(a.LogIndex, b.LogIndex)
	})
}
