package api

import (
	"context"
	"math/big"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// Backend is what the API needs from a node: exactly the public methods of *node.Node
// listed in node/views.go. Declaring it here keeps the API testable without a chain,
// a store or peers.
type Backend interface {
	Info(ctx context.Context) (node.NodeInfo, error)
	OpenChannel(ctx context.Context, req node.OpenRequest) (node.ChannelView, error)
	DepositWithKey(ctx context.Context, id channel.ID, amount *big.Int, idempotencyKey string) (node.TxResult, error)
	Withdraw(ctx context.Context, id channel.ID, amount *big.Int) (node.TxResult, error)
	Pay(ctx context.Context, req node.PayRequest) (node.PaymentView, error)
	Channels(ctx context.Context, filter node.ChannelFilter) ([]node.ChannelView, error)
	Channel(ctx context.Context, id channel.ID) (node.ChannelView, error)
	Payments(ctx context.Context, q node.PaymentQuery) (node.PaymentPage, error)
	CloseChannel(ctx context.Context, id channel.ID, force bool) (node.CloseResult, error)
	Settle(ctx context.Context, id channel.ID) (node.TxResult, error)
	SubscribePayments(ch chan<- node.PaymentView) (unsubscribe func())
	SubscribeChannelEvents(ch chan<- node.ChannelEvent) (unsubscribe func())
}
