package node

import (
	"context"
	"math/big"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/routing"
	"github.com/sluicepay/sluice/routing/gossip"
)

// routingChain is the gossip validator's view of the chain (gossip.ChainView), answered
// from the node's contract reads: participants, token, open, and the channel's funds
// (deposits minus withdrawals of both sides). The validator caches the answers.
type routingChain struct{ chain Chain }

var _ gossip.ChainView = routingChain{}

func (r routingChain) Channel(ctx context.Context, id channel.ID) (gossip.ChannelInfo, error) {
	c, err := r.chain.Channel(ctx, id)
	if err != nil {
		return gossip.ChannelInfo{}, err
	}
	if c.Status == channel.StatusNone {
		return gossip.ChannelInfo{}, gossip.ErrUnknownChannel
	}
	funds := new(big.Int)
	for i := range 2 {
		if c.Deposit[i] != nil {
			funds.Add(funds, c.Deposit[i])
		}
		if c.Withdrawn[i] != nil {
			funds.Sub(funds, c.Withdrawn[i])
		}
	}
	if funds.Sign() < 0 {
		funds.SetInt64(0)
	}
	return gossip.ChannelInfo{Participants: c.Participants, Token: c.Token, Open: c.Status == channel.StatusOpen, Funds: funds}, nil
}

// routingChannels lists the node's own open channels with their exact outbound capacity
// (what it may still pay or lock on each): the announcer's gossip.LocalChannels, and the
// node's own edges in its graph.
type routingChannels struct{ n *Node }

var _ gossip.LocalChannels = routingChannels{}

func (r routingChannels) RoutableChannels(context.Context) ([]gossip.LocalChannel, error) {
	var out []gossip.LocalChannel
	for _, e := range r.n.ownEdges(routing.FeePolicy{}) {
		out = append(out, gossip.LocalChannel{ID: e.Channel, Capacity: e.Capacity})
	}
	return out, nil
}

// ownEdges are the node's open channels as graph edges out of it, with exact capacity.
func (n *Node) ownEdges(fees routing.FeePolicy) []routing.Edge {
	var out []routing.Edge
	n.chans.Range(func(_, v any) bool {
		if e, ok := ownEdge(v.(*liveChannel), fees); ok {
			out = append(out, e)
		}
		return true
	})
	return out
}

// ownEdge is lc as an edge out of the node, if it is open.
func ownEdge(lc *liveChannel, fees routing.FeePolicy) (routing.Edge, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.st.Status() != channel.StatusOpen {
		return routing.Edge{}, false
	}
	capacity := lc.st.Spendable(lc.us)
	if capacity.Sign() < 0 {
		capacity.SetInt64(0)
	}
	return routing.Edge{
		Channel: lc.id, From: lc.st.Params().Participants[lc.us], To: lc.peer,
		Token: lc.st.Params().Token, Capacity: capacity, Fee: fees,
	}, true
}
