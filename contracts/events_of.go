package contracts

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// EventsOf returns, in blocks [from, to] and in chain order, the events that concern
// participant or the channels ids: every ChannelOpened naming participant as a or b (the
// indexed participant topics), and every other event of those channels and of the ones
// just found opened (the indexed channel-id topic, at most MaxTopicIDs ids a filter). Its
// cost is O(participant's channels), whatever else happens on the contract: 2 +
// ceil(channels / MaxTopicIDs) eth_getLogs per page of blocks.
func (c *Client) EventsOf(ctx context.Context, from, to uint64, participant common.Address, ids []channel.ID) ([]Event, error) {
	if to < from {
		return nil, fmt.Errorf("events of %s in blocks [%d, %d]: empty range", participant, from, to)
	}
	opened := c.channels.GetABI().Events["ChannelOpened"].ID
	who := []common.Hash{common.BytesToHash(participant.Bytes())}
	asA, err := c.scan(ctx, from, to, [][]common.Hash{{opened}, nil, who}, "ChannelOpened by participant")
	if err != nil {
		return nil, err
	}
	asB, err := c.scan(ctx, from, to, [][]common.Hash{{opened}, nil, nil, who}, "ChannelOpened with participant")
	if err != nil {
		return nil, err
	}
	out := append(asA, asB...)
	all := slices.Clone(ids)
	for _, e := range out {
		if o, ok := e.(ChannelOpened); ok && !slices.Contains(all, o.ID) {
			all = append(all, o.ID)
		}
	}
	if len(all) > 0 {
		// Every known event but ChannelOpened, which the participant filters found.
		kinds := slices.DeleteFunc(c.events.topics(), func(t common.Hash) bool { return t == opened })
		rest, err := c.scanByID(ctx, from, to, kinds, all, "events of channels")
		if err != nil {
			return nil, err
		}
		out = append(out, rest...)
	}
	sortByPosition(out)
	return out, nil
}

// scanByID runs the filter {kinds, channel id in ids} in batches of MaxTopicIDs ids.
func (c *Client) scanByID(ctx context.Context, from, to uint64, kinds []common.Hash, ids []channel.ID, what string) ([]Event, error) {
	var out []Event
	for start := 0; start < len(ids); start += MaxTopicIDs {
		batch := ids[start:min(start+MaxTopicIDs, len(ids))]
		topic := make([]common.Hash, len(batch))
		for i, id := range batch {
			topic[i] = common.Hash(id)
		}
		evs, err := c.scan(ctx, from, to, [][]common.Hash{kinds, topic}, what)
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
