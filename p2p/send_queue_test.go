package p2p

import (
	"testing"
	"time"
)

func TestSendQueueKeepsOrderAndBound(t *testing.T) {
	q := newSendQueue(3)
	for i := range uint64(3) {
		if _, ok := q.push(&Ack{Nonce: i}); !ok {
			t.Fatalf("push %d refused below the bound", i)
		}
	}
	room, ok := q.push(&Ack{Nonce: 3})
	if ok || room == nil {
		t.Fatal("push past the bound accepted")
	}
	select {
	case <-q.ready:
	default:
		t.Fatal("writer not signalled")
	}
	select {
	case <-room:
		t.Fatal("room signalled before the writer took anything")
	default:
	}
	batch := q.take(nil)
	if len(batch) != 3 {
		t.Fatalf("took %d, want 3", len(batch))
	}
	for i, m := range batch {
		if m.(*Ack).Nonce != uint64(i) {
			t.Fatalf("message %d is nonce %d: order lost", i, m.(*Ack).Nonce)
		}
	}
	select {
	case <-room:
	case <-time.After(time.Second):
		t.Fatal("a full queue's waiter was not woken by take")
	}
	if _, ok := q.push(&Ack{Nonce: 3}); !ok {
		t.Fatal("push refused after take made room")
	}
}

// An idle peer's queue holds no slots and no sent message, even after a burst.
func TestSendQueueReleasesABurst(t *testing.T) {
	q := newSendQueue(4096)
	for i := range uint64(1000) {
		q.push(&Ack{Nonce: i})
	}
	batch := clearBatch(q.take(nil))
	if batch != nil {
		t.Fatalf("writer kept a %d-slot batch after a burst", cap(batch))
	}
	if cap(q.items) != 0 {
		t.Fatalf("queue kept %d slots after a burst", cap(q.items))
	}
	// Small batches are reused, cleared.
	q.push(&Ack{Nonce: 1})
	small := q.take(nil)
	small = clearBatch(small)
	if small == nil || len(small) != 0 {
		t.Fatalf("small batch not kept for reuse: %v", small)
	}
	q.push(&Ack{Nonce: 2})
	got := q.take(small)
	if len(got) != 1 || got[0].(*Ack).Nonce != 2 {
		t.Fatalf("took %v", got)
	}
	if cap(q.items) == 0 || cap(q.items) > spareMax {
		t.Fatalf("queue did not reuse the small batch: cap %d", cap(q.items))
	}
	if len(q.items[:cap(q.items)]) > 0 && q.items[:1][0] != nil {
		t.Fatal("reused slice still references a sent message")
	}
}
