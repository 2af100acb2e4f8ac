package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

func TestClientCallsEveryMethodOverHTTPAndWebSocket(t *testing.T) {
	srv := startServer(t, nil)
	ctx := context.Background()
	id := ChannelID(testChannel)
	amount := NewAmount(testChainID)
	for _, url := range []string{srv.URL(), strings.Replace(srv.URL(), "http://", "ws://", 1)} {
		c, err := Dial(ctx, url, testToken)
		if err != nil {
			t.Fatal(err)
		}
		calls := map[string]func() error{
			"nodeInfo":     func() error { _, err := c.NodeInfo(ctx); return err },
			"openChannel":  func() error { _, err := c.OpenChannel(ctx, OpenChannelArgs{Peer: "p", Deposit: amount}); return err },
			"deposit":      func() error { _, err := c.Deposit(ctx, id, amount); return err },
			"withdraw":     func() error { _, err := c.Withdraw(ctx, id, amount); return err },
			"pay":          func() error { _, err := c.Pay(ctx, PayArgs{Channel: &id, Amount: amount}); return err },
			"channels":     func() error { _, err := c.Channels(ctx, ChannelsArgs{}); return err },
			"channel":      func() error { _, err := c.Channel(ctx, id); return err },
			"payments":     func() error { _, err := c.Payments(ctx, PaymentsArgs{}); return err },
			"closeChannel": func() error { _, err := c.CloseChannel(ctx, id, true); return err },
			"settle":       func() error { _, err := c.Settle(ctx, id); return err },
		}
		for name, call := range calls {
			if err := call(); err != nil {
				t.Errorf("%s over %s: %v", name, url, err)
			}
		}
		c.Close()
	}
}

func TestClientErrorsCarryStableCodeAndKind(t *testing.T) {
	srv := startServer(t, nil)
	ctx := context.Background()
	c, err := Dial(ctx, srv.URL(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	id := ChannelID(testChannel)

	srv.backend.fail(fmt.Errorf("pay on channel %s: %w", testChannel, channel.ErrOverdraft))
	_, err = c.Pay(ctx, PayArgs{Channel: &id, Amount: NewAmount(testChainID)})
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Code != CodeOverdraft || apiErr.Kind != "overdraft" {
		t.Fatalf("pay error %v (%+v), want overdraft", err, apiErr)
	}
	if !strings.Contains(err.Error(), "insufficient balance") {
		t.Fatalf("error %q lost the node's message", err)
	}

	srv.backend.fail(nil)
	_, err = c.Deposit(ctx, id, Amount{})
	if !errors.As(err, &apiErr) || apiErr.Code != CodeInvalidParams || apiErr.Kind != "invalid_params" {
		t.Fatalf("deposit error %v (%+v), want invalid params", err, apiErr)
	}
}

func TestDialRejectsURLWithoutScheme(t *testing.T) {
	if _, err := Dial(context.Background(), "127.0.0.1:7420", testToken); err == nil || !strings.Contains(err.Error(), "must start with http://") {
		t.Fatalf("err = %v", err)
	}
}
