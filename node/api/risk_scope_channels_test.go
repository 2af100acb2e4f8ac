package api

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/risk"
)

// A client token listed every channel of the node, read any channel's balances and
// received every channel's lifecycle events, whatever its scope. A client now sees the
// channels its pay scope lets it use; one out of scope answers like an unknown channel.
func TestClientsSeeOnlyTheChannelsTheirScopeUses(t *testing.T) {
	srv, b := startScopedServer(t, map[string]risk.ClientConfig{
		"shop":   {Profile: risk.ProfileService, TokenHash: TokenHash(shopToken), Scope: risk.Scope{Channels: scopedChans}},
		"game":   {Profile: risk.ProfileService, TokenHash: TokenHash(gameToken), Scope: risk.Scope{Partners: []common.Address{testAlice}}},
		"wallet": {Profile: risk.ProfileService, TokenHash: TokenHash(walletToken)},
	})
	b.mu.Lock()
	b.channels = []node.ChannelView{testChannelView(testChannel), testChannelView(otherChan)}
	b.mu.Unlock()
	ctx := context.Background()
	url := "ws://" + srv.Addr().String()
	clients := map[string]*Client{
		"shop": dialAs(t, url, shopToken), "game": dialAs(t, url, gameToken),
		"wallet": dialAs(t, url, walletToken), "admin": dialAs(t, url, testToken),
	}
	// Every fake channel's partner is bob: game (scoped to alice) uses none, wallet
	// (unrestricted) every one.
	want := map[string][]channel.ID{
		"shop": {testChannel}, "game": nil,
		"wallet": {testChannel, otherChan}, "admin": {testChannel, otherChan},
	}
	events := map[string]chan ChannelEvent{}
	for name, c := range clients {
		ch := make(chan ChannelEvent, 8)
		sub, err := c.SubscribeChannelEvents(ctx, ch, nil)
		if err != nil {
			t.Fatalf("%s subscribes: %v", name, err)
		}
		t.Cleanup(sub.Unsubscribe)
		events[name] = ch
	}
	for _, id := range []channel.ID{testChannel, otherChan} {
		b.emitEvent(node.ChannelEvent{Channel: id, Kind: "deposited", Status: channel.StatusOpen, Time: time.Now()})
	}
	for name, c := range clients {
		list, err := c.Channels(ctx, ChannelsArgs{})
		if err != nil {
			t.Fatalf("%s lists channels: %v", name, err)
		}
		var got []channel.ID
		for _, v := range list {
			got = append(got, channel.ID(v.ID))
		}
		if !slices.Equal(got, want[name]) {
			t.Errorf("%s lists %x, want %x", name, got, want[name])
		}
		var page ChannelPage
		if err := c.call(ctx, &page, "channelPage", ChannelPageArgs{}); err != nil {
			t.Fatalf("%s pages channels: %v", name, err)
		}
		if len(page.Channels) != len(want[name]) || page.Total != len(want[name]) {
			t.Errorf("%s's channel page holds %d of %d, want %d", name, len(page.Channels), page.Total, len(want[name]))
		}
		for _, id := range []channel.ID{testChannel, otherChan} {
			_, err := c.Channel(ctx, ChannelID(id))
			if in := slices.Contains(want[name], id); in != (err == nil) {
				t.Errorf("%s reads channel %x: %v (in scope: %v)", name, id[:2], err, in)
			} else if err != nil && apiKind(err) != "unknown_channel" {
				t.Errorf("%s reads channel %x out of scope: %v, want unknown_channel (no leak)", name, id[:2], err)
			}
		}
		var streamed []channel.ID
		deadline := time.After(500 * time.Millisecond)
	collect:
		for {
			select {
			case e := <-events[name]:
				streamed = append(streamed, channel.ID(e.Channel))
			case <-deadline:
				break collect
			}
		}
		if !slices.Equal(streamed, want[name]) {
			t.Errorf("%s received events of %x, want %x", name, streamed, want[name])
		}
	}
}
