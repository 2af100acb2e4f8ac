package api

import (
	"context"
	"fmt"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// Channel reads for client tokens: a client sees the channels its pay scope lets it use
// (every channel when the scope does not restrict where it pays), so a token scoped to
// one merchant's channel cannot map the hub's other partners, balances or lifecycle
// events. sluice_channelPage reads through Channels and is filtered with it. The admin
// sees everything.

// channelVisibility returns whether the caller may see a channel, or nil when it sees all.
func (r *riskBackend) channelVisibility(ctx context.Context, method string) (func(channel.ID, node.ChannelView) bool, error) {
	client, ok := r.layer.clientOf(ctx)
	if !ok {
		return nil, &Error{Code: CodeForbidden, Kind: "forbidden", Message: method + ": the calling API client could not be identified"}
	}
	if client == risk.AdminClient {
		return nil, nil
	}
	return func(id channel.ID, v node.ChannelView) bool {
		sc, ok := r.layer.engine.ScopeOf(client)
		if !ok {
			return false
		}
		return sc.MayUse(id, v.Participants[v.Us.Other()])
	}, nil
}

// Channels lists only the channels the caller may use.
func (r *riskBackend) Channels(ctx context.Context, filter node.ChannelFilter) ([]node.ChannelView, error) {
	visible, err := r.channelVisibility(ctx, "channels")
	if err != nil {
		return nil, err
	}
	views, err := r.Backend.Channels(ctx, filter)
	if err != nil || visible == nil {
		return views, err
	}
	out := make([]node.ChannelView, 0, len(views))
	for _, v := range views {
		if visible(v.ID, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// Channel answers for a channel out of the caller's scope exactly as for one that does
// not exist, so its existence does not leak.
func (r *riskBackend) Channel(ctx context.Context, id channel.ID) (node.ChannelView, error) {
	visible, err := r.channelVisibility(ctx, "channel")
	if err != nil {
		return node.ChannelView{}, err
	}
	v, err := r.Backend.Channel(ctx, id)
	if err != nil || visible == nil {
		return v, err
	}
	if !visible(id, v) {
		return node.ChannelView{}, fmt.Errorf("channel %s: %w", id, channel.ErrUnknownChannel)
	}
	return v, nil
}

// ChannelEventFilter implements channelEventFilter for sluice_subscribe ["channelEvents"].
func (r *riskBackend) ChannelEventFilter(ctx context.Context) (func(node.ChannelEvent) bool, error) {
	visible, err := r.channelVisibility(ctx, "subscribe channelEvents")
	if err != nil || visible == nil {
		return nil, err
	}
	return func(e node.ChannelEvent) bool {
		v, err := r.Backend.Channel(ctx, e.Channel)
		return err == nil && visible(e.Channel, v)
	}, nil
}
