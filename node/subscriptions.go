package node

import (
	"sync"
	"sync/atomic"

	"github.com/sluicepay/sluice/store"
)

// subscribers fan payments and channel events out to API subscriptions. Delivery never
// blocks the payment path: a subscriber that cannot keep up misses events (the API
// documents this; the payment log is the record).
type subscribers struct {
	// paymentListeners lets the payment path skip building views nobody reads.
	paymentListeners atomic.Int32
	// routedListeners lets saveRouted skip a publishing goroutine nobody reads.
	routedListeners atomic.Int32

	mu       sync.RWMutex
	next     int
	payments map[int]chan<- PaymentView
	events   map[int]chan<- ChannelEvent
	routed   map[int]chan<- store.RoutedRecord
}

func newSubscribers() *subscribers {
	return &subscribers{payments: map[int]chan<- PaymentView{}, events: map[int]chan<- ChannelEvent{}, routed: map[int]chan<- store.RoutedRecord{}}
}

// publishRouted delivers a routed payment record as written (new or with a new state).
func (s *subscribers) publishRouted(r store.RoutedRecord) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, ch := range s.routed {
		select {
		case ch <- r:
		default:
		}
	}
}

// SubscribeRoutedPayments delivers every routed payment record this node writes (a payer's
// attempt, a mediator's forward, a target's invoice, and each of their lock state changes)
// to ch until unsubscribed. Sends never block.
func (n *Node) SubscribeRoutedPayments(ch chan<- store.RoutedRecord) (unsubscribe func()) {
	s := n.subs
	s.mu.Lock()
	id := s.next
	s.next++
	s.routed[id] = ch
	s.routedListeners.Add(1)
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.routed, id)
			s.routedListeners.Add(-1)
			s.mu.Unlock()
		})
	}
}

func (s *subscribers) publishPayment(v PaymentView) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, ch := range s.payments {
		select {
		case ch <- v:
		default:
		}
	}
}

func (s *subscribers) publishEvent(e ChannelEvent) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, ch := range s.events {
		select {
		case ch <- e:
		default:
		}
	}
}

// SubscribePayments delivers every completed payment (both directions) to ch until the
// returned function is called. Sends never block: size ch for the expected rate.
func (n *Node) SubscribePayments(ch chan<- PaymentView) (unsubscribe func()) {
	s := n.subs
	s.mu.Lock()
	id := s.next
	s.next++
	s.payments[id] = ch
	s.paymentListeners.Add(1)
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.payments, id)
			s.paymentListeners.Add(-1)
			s.mu.Unlock()
		})
	}
}

// SubscribeChannelEvents delivers channel lifecycle events to ch until unsubscribed.
func (n *Node) SubscribeChannelEvents(ch chan<- ChannelEvent) (unsubscribe func()) {
	s := n.subs
	s.mu.Lock()
	id := s.next
	s.next++
	s.events[id] = ch
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.events, id)
		s.mu.Unlock()
	}
}
