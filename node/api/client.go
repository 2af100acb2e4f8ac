package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/ethereum/go-ethereum/rpc"
)

// Client is a typed client of the sluice API over http(s):// or ws(s)://. Subscriptions
// need a ws:// URL.
type Client struct {
	rpc *rpc.Client
}

// Dial connects to the API at url, sending token as the bearer token on every request
// (and on the WebSocket upgrade).
func Dial(ctx context.Context, url, token string) (*Client, error) {
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") &&
		!strings.HasPrefix(url, "ws://") && !strings.HasPrefix(url, "wss://") {
		return nil, fmt.Errorf("API URL %q must start with http://, https://, ws:// or wss://", url)
	}
	c, err := rpc.DialOptions(ctx, url, rpc.WithHeader("Authorization", "Bearer "+token))
	if err != nil {
		return nil, fmt.Errorf("connect to node API at %s: %w", url, clientError(err))
	}
	return &Client{rpc: c}, nil
}

// Close releases the connection.
func (c *Client) Close() { c.rpc.Close() }

// RPC exposes the underlying client for raw calls.
func (c *Client) RPC() *rpc.Client { return c.rpc }

func (c *Client) call(ctx context.Context, result any, method string, args ...any) error {
	if err := c.rpc.CallContext(ctx, result, "sluice_"+method, args...); err != nil {
		err = clientError(err)
		if _, ok := err.(*Error); ok {
			// The node's message names the operation already ("pay on channel 0x..:
			// ..."); prefixing the method made the chain repeat itself (issue 21).
			return err
		}
		return fmt.Errorf("%s: %w", method, err)
	}
	return nil
}

// clientError turns transport and JSON-RPC errors into *Error where it can, so callers
// see the same stable codes the server sends.
func clientError(err error) error {
	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusUnauthorized {
		return ErrUnauthorized
	}
	if strings.Contains(err.Error(), "401 Unauthorized") {
		return ErrUnauthorized // the WebSocket handshake reports the status only in text
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		out := &Error{Code: rpcErr.ErrorCode(), Message: rpcErr.Error(), Kind: "unknown"}
		var dataErr rpc.DataError
		if errors.As(err, &dataErr) {
			if m, ok := dataErr.ErrorData().(map[string]any); ok {
				if k, ok := m["kind"].(string); ok {
					out.Kind = k
				}
			}
		}
		if out.Kind == "unknown" && out.Code == CodeInvalidParams {
			out.Kind = "invalid_params"
		}
		return out
	}
	return err
}

// NodeInfo calls sluice_nodeInfo.
func (c *Client) NodeInfo(ctx context.Context) (NodeInfo, error) {
	var out NodeInfo
	return out, c.call(ctx, &out, "nodeInfo")
}

// OpenChannel calls sluice_openChannel.
func (c *Client) OpenChannel(ctx context.Context, args OpenChannelArgs) (Channel, error) {
	var out Channel
	return out, c.call(ctx, &out, "openChannel", args)
}

// Deposit calls sluice_deposit.
func (c *Client) Deposit(ctx context.Context, id ChannelID, amount Amount) (TxResult, error) {
	return c.DepositWithKey(ctx, id, amount, "")
}

// DepositWithKey calls sluice_deposit with an idempotency key (empty: none).
func (c *Client) DepositWithKey(ctx context.Context, id ChannelID, amount Amount, key string) (TxResult, error) {
	var out TxResult
	if key == "" {
		return out, c.call(ctx, &out, "deposit", id, amount)
	}
	return out, c.call(ctx, &out, "deposit", id, amount, DepositOptions{IdempotencyKey: key})
}

// Withdraw calls sluice_withdraw.
func (c *Client) Withdraw(ctx context.Context, id ChannelID, amount Amount) (TxResult, error) {
	var out TxResult
	return out, c.call(ctx, &out, "withdraw", id, amount)
}

// Pay calls sluice_pay.
func (c *Client) Pay(ctx context.Context, args PayArgs) (Payment, error) {
	var out Payment
	return out, c.call(ctx, &out, "pay", args)
}

// Channels calls sluice_channels.
func (c *Client) Channels(ctx context.Context, args ChannelsArgs) ([]Channel, error) {
	var out []Channel
	return out, c.call(ctx, &out, "channels", args)
}

// Channel calls sluice_channel.
func (c *Client) Channel(ctx context.Context, id ChannelID) (Channel, error) {
	var out Channel
	return out, c.call(ctx, &out, "channel", id)
}

// Payments calls sluice_payments.
func (c *Client) Payments(ctx context.Context, args PaymentsArgs) (PaymentPage, error) {
	var out PaymentPage
	return out, c.call(ctx, &out, "payments", args)
}

// CloseChannel calls sluice_closeChannel.
func (c *Client) CloseChannel(ctx context.Context, id ChannelID, force bool) (CloseResult, error) {
	var out CloseResult
	return out, c.call(ctx, &out, "closeChannel", id, force)
}

// Settle calls sluice_settle.
func (c *Client) Settle(ctx context.Context, id ChannelID) (TxResult, error) {
	var out TxResult
	return out, c.call(ctx, &out, "settle", id)
}

// SubscribePayments streams payments into ch (optionally only for one channel) until the
// subscription is unsubscribed or the connection drops. It needs a ws:// client.
func (c *Client) SubscribePayments(ctx context.Context, ch chan<- Payment, only *ChannelID) (*rpc.ClientSubscription, error) {
	sub, err := c.rpc.Subscribe(ctx, "sluice", ch, "payments", only)
	if err != nil {
		return nil, fmt.Errorf("subscribe payments: %w", clientError(err))
	}
	return sub, nil
}

// SubscribeChannelEvents streams channel lifecycle events into ch. It needs a ws:// client.
func (c *Client) SubscribeChannelEvents(ctx context.Context, ch chan<- ChannelEvent, only *ChannelID) (*rpc.ClientSubscription, error) {
	sub, err := c.rpc.Subscribe(ctx, "sluice", ch, "channelEvents", only)
	if err != nil {
		return nil, fmt.Errorf("subscribe channel events: %w", clientError(err))
	}
	return sub, nil
}

// Invoice asks this node for an invoice of amount (sluice_invoice): the payer passes its
// secret hash to Pay with To.
func (c *Client) Invoice(ctx context.Context, args InvoiceArgs) (InvoiceResult, error) {
	var out InvoiceResult
	return out, c.call(ctx, &out, "invoice", args)
}
