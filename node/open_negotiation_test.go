package node

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// startConfiguredNode is startNode with a config edit and the node's log captured.
func (tn *testNet) startConfiguredNode(i int, logs *logBuffer, edit func(*Config)) *Node {
	tn.t.Helper()
	cfg := tn.config(tn.chain.Accounts()[i].Key, tn.t.TempDir(), nil)
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if edit != nil {
		edit(&cfg)
	}
	n, err := New(context.Background(), cfg)
	if err != nil {
		tn.t.Fatalf("node %d: %v", i, err)
	}
	if err := n.Start(context.Background()); err != nil {
		tn.t.Fatalf("start node %d: %v", i, err)
	}
	tn.t.Cleanup(func() { n.Close() })
	return n
}

func TestOpenAcceptedByThePartnerTakesAPaymentAtOnce(t *testing.T) {
	tn := newTestNet(t)
	var logsB logBuffer
	a := tn.startNode(1, nodeOpts{})
	b := tn.startConfiguredNode(2, &logsB, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := range 3 {
		cv, err := a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, b), Deposit: big.NewInt(1_000), ChallengePeriod: time.Hour})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		// No waiting for the partner: OpenChannel returned, so it knows the channel.
		if _, err := a.Pay(ctx, PayRequest{Channel: cv.ID, Amount: big.NewInt(250)}); err != nil {
			t.Fatalf("pay right after open %d: %v", i, err)
		}
		v, err := b.Channel(ctx, cv.ID)
		if err != nil || v.Balance[channel.PartyB].Int64() != 250 {
			t.Fatalf("partner's view after the payment: %+v %v", v, err)
		}
	}
	if got := strings.Count(logsB.String(), "channel opened as proposed"); got != 3 {
		t.Fatalf("partner matched %d of 3 opens to its acceptances:\n%s", got, logsB.String())
	}
}

func TestOpenDeclinedByPolicySubmitsNothing(t *testing.T) {
	tn := newTestNet(t)
	var logsB logBuffer
	a := tn.startNode(1, nodeOpts{})
	b := tn.startConfiguredNode(2, &logsB, func(c *Config) {
		c.Open = OpenPolicy{MinChallengePeriod: 2 * time.Hour, AcceptTokens: []common.Address{{}}, MaxChannelsPerPeer: 1}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	me := tn.chain.Accounts()[1].Address
	nonceBefore, err := tn.chain.Client().NonceAt(ctx, me, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		req    OpenRequest
		reason string
		code   error
	}{
		{"challenge period below the minimum", OpenRequest{Deposit: big.NewInt(1), ChallengePeriod: time.Hour}, "below the minimum", channel.ErrInvalidParams},
		{"token not accepted", OpenRequest{Deposit: big.NewInt(1), ChallengePeriod: 3 * time.Hour, Token: common.HexToAddress("0x1234")}, "is not accepted", channel.ErrInvalidParams},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Peer = addrOf(t, b)
			_, err := a.OpenChannel(ctx, c.req)
			var declined *OpenDeclinedError
			if !errors.As(err, &declined) || !errors.Is(err, ErrOpenDeclined) || !errors.Is(err, channel.ErrRejected) {
				t.Fatalf("open: %v, want an OpenDeclinedError", err)
			}
			if !strings.Contains(declined.Reason, c.reason) || declined.Code != channel.Code(c.code) {
				t.Fatalf("decline code %d reason %q, want code %d and %q", declined.Code, declined.Reason, channel.Code(c.code), c.reason)
			}
		})
	}
	nonceAfter, err := tn.chain.Client().NonceAt(ctx, me, nil)
	if err != nil || nonceAfter != nonceBefore {
		t.Fatalf("declined opens sent transactions: nonce %d -> %d (%v)", nonceBefore, nonceAfter, err)
	}
	if chans, err := a.Channels(ctx, ChannelFilter{}); err != nil || len(chans) != 0 {
		t.Fatalf("opener tracks %d channels after declines (%v)", len(chans), err)
	}

	// One channel per peer: the first is accepted, the second declined.
	if _, err := a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, b), Deposit: big.NewInt(5), ChallengePeriod: 3 * time.Hour}); err != nil {
		t.Fatalf("first channel: %v", err)
	}
	_, err = a.OpenChannel(ctx, OpenRequest{Peer: addrOf(t, b), Deposit: big.NewInt(5), ChallengePeriod: 3 * time.Hour})
	var declined *OpenDeclinedError
	if !errors.As(err, &declined) || declined.Code != channel.Code(channel.ErrRateLimited) {
		t.Fatalf("second channel with a one-channel peer: %v", err)
	}
}

func TestChannelOpenedWithoutAProposalIsTrackedAndLogged(t *testing.T) {
	tn := newTestNet(t)
	var logsB logBuffer
	b := tn.startConfiguredNode(2, &logsB, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	opener := clientFor(t, tn, 1)
	id, _, err := opener.Open(ctx, tn.chain.Accounts()[2].Address, common.Address{}, big.NewInt(77), 3600)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b tracks the channel", func() bool { _, err := b.Channel(ctx, id); return err == nil })
	waitFor(t, "b logs the unproposed open", func() bool { return strings.Contains(logsB.String(), "without a proposal we accepted") })
}
