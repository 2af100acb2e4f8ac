package api

import (
	"context"
	"sync"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
)

// subscriptionBuffer absorbs bursts between the node and a slow WebSocket client. The node
// may drop events for a subscriber whose buffer is full rather than stall payments.
const subscriptionBuffer = 256

// subscriptions holds the sluice_subscribe topics. It is registered under the same
// "sluice" namespace as service; it is a separate type only because Go cannot have both a
// Payments list method and a Payments subscription on one receiver.
type subscriptions struct {
	b    Backend
	quit <-chan struct{} // closed when the server stops
	wg   *sync.WaitGroup // counts forwarding goroutines so Stop can wait for them
}

// paymentFilter is a Backend that shows each caller only some payments (the risk layer's
// read scopes); nil means everything.
type paymentFilter interface {
	PaymentFilter(ctx context.Context) (func(node.PaymentView) bool, error)
}

// channelEventFilter is a Backend that shows each caller only some channels' events (the
// risk layer's scopes for client tokens); nil means everything.
type channelEventFilter interface {
	ChannelEventFilter(ctx context.Context) (func(node.ChannelEvent) bool, error)
}

// Payments streams every payment this node sends or receives, optionally for one channel:
// sluice_subscribe ["payments"] or ["payments", "0x<channel id>"].
func (s *subscriptions) Payments(ctx context.Context, only *ChannelID) (*rpc.Subscription, error) {
	notifier, sub, err := newSubscription(ctx)
	if err != nil {
		return nil, err
	}
	var visible func(node.PaymentView) bool
	if f, ok := s.b.(paymentFilter); ok {
		if visible, err = f.PaymentFilter(ctx); err != nil {
			return nil, err
		}
	}
	ch := make(chan node.PaymentView, subscriptionBuffer)
	unsubscribe := s.b.SubscribePayments(ch)
	forward(s, sub, ch, unsubscribe, func(p node.PaymentView) error {
		if only != nil && p.Channel != channel.ID(*only) {
			return nil
		}
		if visible != nil && !visible(p) {
			return nil
		}
		return notifier.Notify(sub.ID, paymentJSON(p))
	})
	return sub, nil
}

// ChannelEvents streams channel lifecycle changes (opened, deposited, withdrawn, closed,
// proof_updated, settled, settlement_signed; the lock claims of ADR 0027:
// secret_registered, claim_closed, lock_claimed, locks_unlocked), optionally for one channel.
func (s *subscriptions) ChannelEvents(ctx context.Context, only *ChannelID) (*rpc.Subscription, error) {
	notifier, sub, err := newSubscription(ctx)
	if err != nil {
		return nil, err
	}
	var visible func(node.ChannelEvent) bool
	if f, ok := s.b.(channelEventFilter); ok {
		if visible, err = f.ChannelEventFilter(ctx); err != nil {
			return nil, err
		}
	}
	ch := make(chan node.ChannelEvent, subscriptionBuffer)
	unsubscribe := s.b.SubscribeChannelEvents(ch)
	forward(s, sub, ch, unsubscribe, func(e node.ChannelEvent) error {
		if only != nil && e.Channel != channel.ID(*only) {
			return nil
		}
		if visible != nil && !visible(e) {
			return nil
		}
		return notifier.Notify(sub.ID, channelEventJSON(e))
	})
	return sub, nil
}

func newSubscription(ctx context.Context) (*rpc.Notifier, *rpc.Subscription, error) {
	notifier, ok := rpc.NotifierFromContext(ctx)
	if !ok {
		return nil, nil, &Error{Code: CodeInvalidParams, Kind: "invalid_params",
			Message: "subscriptions need a WebSocket connection (ws://), not plain HTTP"}
	}
	return notifier, notifier.CreateSubscription(), nil
}

// forward relays events until the client unsubscribes, the connection drops, a write
// fails or the server stops; then it detaches from the node.
func forward[T any](s *subscriptions, sub *rpc.Subscription, ch <-chan T, unsubscribe func(), send func(T) error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer unsubscribe()
		for {
			select {
			case ev := <-ch:
				if err := send(ev); err != nil {
					return
				}
			case <-sub.Err():
				return
			case <-s.quit:
				return
			}
		}
	}()
}
