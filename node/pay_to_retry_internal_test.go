package node

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/mediate"
	"github.com/sluicepay/sluice/routing"
)

// TestRefusalLocationOnTheRoute: what PayTo tells Graph.Retry to exclude for each refusal.
func TestRefusalLocationOnTheRoute(t *testing.T) {
	payer, h1, h2, payee := common.Address{1}, common.Address{2}, common.Address{3}, common.Address{4}
	r := routing.Route{Hops: []routing.Hop{
		{Channel: channel.ID{10}, From: payer, To: h1, Amount: big.NewInt(1)},
		{Channel: channel.ID{11}, From: h1, To: h2, Amount: big.NewInt(1)},
		{Channel: channel.ID{12}, From: h2, To: payee, Amount: big.NewInt(1)},
	}}
	type want struct {
		channel channel.ID
		node    common.Address
		final   bool
	}
	for name, c := range map[string]struct {
		e    RouteRefusedError
		want want
	}{
		"named channel":        {RouteRefusedError{Reason: mediate.ReasonCapacity, FailedChannel: channel.ID{12}, FailedNode: h2}, want{channel: channel.ID{12}}},
		"no channel at h1":     {RouteRefusedError{Reason: mediate.ReasonNoChannel, FailedNode: h1}, want{channel: channel.ID{11}}},
		"h2 offline next":      {RouteRefusedError{Reason: mediate.ReasonPeerUnreachable, FailedNode: h2}, want{channel: channel.ID{12}}},
		"fee unpaid at h2":     {RouteRefusedError{Reason: mediate.ReasonFeeUnpaid, FailedNode: h2}, want{node: h2}},
		"unknown channel id":   {RouteRefusedError{Reason: mediate.ReasonCapacity, FailedChannel: channel.ID{99}, FailedNode: h1}, want{channel: channel.ID{11}}},
		"payee underpaid":      {RouteRefusedError{Reason: mediate.ReasonUnderpaid, FailedNode: payee}, want{final: true}},
		"payee other reason":   {RouteRefusedError{Reason: mediate.ReasonOther, FailedNode: payee}, want{final: true}},
		"a stranger's refusal": {RouteRefusedError{Reason: mediate.ReasonExpiry, FailedNode: common.Address{9}}, want{node: common.Address{9}}},
	} {
		e := c.e
		err := attemptError(r, &e)
		var cf *routing.ChannelFailedError
		var nf *routing.NodeFailedError
		switch {
		case c.want.final:
			if !errors.Is(err, routing.ErrFinal) {
				t.Errorf("%s: %v, want final", name, err)
			}
		case c.want.channel != (channel.ID{}):
			if !errors.As(err, &cf) || cf.Channel != c.want.channel || errors.Is(err, routing.ErrFinal) {
				t.Errorf("%s: %v, want channel %s excluded", name, err, c.want.channel)
			}
		default:
			if errors.As(err, &cf) || !errors.As(err, &nf) || nf.Node != c.want.node {
				t.Errorf("%s: %v, want node %s excluded", name, err, c.want.node)
			}
		}
		if !errors.Is(err, ErrRouteRefused) || !errors.Is(err, ErrRouteFailed) {
			t.Errorf("%s: %v lost its sentinels", name, err)
		}
	}
	// A failure before anything was locked excludes the first channel; a pending lock stops.
	var cf *routing.ChannelFailedError
	if err := attemptError(r, ErrPeerUnreachable); !errors.As(err, &cf) || cf.Channel != (channel.ID{10}) {
		t.Fatalf("unreachable first hop: %v", err)
	}
	if err := attemptError(r, ErrLockPending); !errors.Is(err, routing.ErrFinal) || !errors.Is(err, ErrLockPending) {
		t.Fatalf("pending lock: %v", err)
	}
}
