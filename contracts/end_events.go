package contracts

import (
	"context"
	"fmt"

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
		return c.scan(ctx, from, to, [][]common.Hash{kinds}, "ChannelClosed/ChannelSettled")
	}
	return c.scanByID(ctx, from, to, kinds, ids, "ChannelClosed/ChannelSettled")
}
