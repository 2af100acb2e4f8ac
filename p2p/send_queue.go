package p2p

import "sync"

// sendQueue is a session's bounded FIFO of unsent messages. It allocates as it fills
// instead of holding SendQueueSize slots from the start (a channel of 4,096 interfaces is
// 64 KiB per peer, most of a hub's per-peer memory when its peers are idle), and the
// writer takes everything waiting under one lock instead of one channel receive each.
type sendQueue struct {
	max   int
	ready chan struct{} // capacity 1: messages are waiting for the writer

	mu    sync.Mutex
	items []Message
	room  chan struct{} // made when a push finds the queue full; closed by the next take
}

// spareMax is the largest batch slice the writer hands back for reuse. A larger one
// means a burst; it is dropped, so a peer that was busy once does not keep its peak.
const spareMax = 64

func newSendQueue(max int) *sendQueue {
	return &sendQueue{max: max, ready: make(chan struct{}, 1)}
}

// push appends m, or, when the queue is full, returns a channel that is closed once the
// writer has made room.
func (q *sendQueue) push(m Message) (room <-chan struct{}, ok bool) {
	q.mu.Lock()
	if len(q.items) >= q.max {
		if q.room == nil {
			q.room = make(chan struct{})
		}
		room = q.room
		q.mu.Unlock()
		return room, false
	}
	q.items = append(q.items, m)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return nil, true
}

// take returns every waiting message, oldest first, and wakes pushers waiting for room.
// prev is the writer's previous batch as clearBatch left it (empty, and nil if it was
// burst-sized); the queue fills it next.
func (q *sendQueue) take(prev []Message) []Message {
	q.mu.Lock()
	out := q.items
	q.items = prev
	if q.room != nil {
		close(q.room)
		q.room = nil
	}
	q.mu.Unlock()
	return out
}

// clearBatch is the writer's end of a batch: it drops the sent messages and a burst-sized slice,
// so an idle peer holds neither.
func clearBatch(batch []Message) []Message {
	clear(batch)
	if cap(batch) > spareMax {
		return nil
	}
	return batch[:0]
}
