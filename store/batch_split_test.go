package store

import (
	"context"
	"fmt"
	"testing"
)

// TestBatchSplitKeepsEveryWriteInOrder: a batch of puts and deletes split into parts of
// at most 7 writes writes the same keys, in the same order (a put then a delete of one
// key across a part boundary leaves it deleted), as the batch written whole.
func TestBatchSplitKeepsEveryWriteInOrder(t *testing.T) {
	ctx := context.Background()
	fill := func() *Batch {
		b := NewBatch()
		for i := range 30 {
			if err := b.PutMeta("ns", fmt.Sprint(i), []byte{byte(i)}); err != nil {
				t.Fatal(err)
			}
			if i%4 == 3 {
				if err := b.DeleteMeta("ns", fmt.Sprint(i-1)); err != nil {
					t.Fatal(err)
				}
			}
		}
		return b
	}
	whole, _ := openTemp(t, Options{})
	parted, _ := openTemp(t, Options{})
	if err := whole.Commit(ctx, fill()); err != nil {
		t.Fatal(err)
	}
	parts, err := fill().Split(7)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, p := range parts {
		if p.Len() > 7 {
			t.Fatalf("a part of %d writes", p.Len())
		}
		total += p.Len()
		if err := parted.Commit(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if total != 37 || len(parts) != 6 {
		t.Fatalf("%d writes in %d parts, want 37 in 6", total, len(parts))
	}
	for i := range 30 {
		a, okA, errA := whole.GetMeta("ns", fmt.Sprint(i))
		b, okB, errB := parted.GetMeta("ns", fmt.Sprint(i))
		if errA != nil || errB != nil || okA != okB || string(a) != string(b) {
			t.Fatalf("key %d: whole %v %v, parts %v %v", i, okA, a, okB, b)
		}
		if wantGone := i%4 == 2; okA == wantGone {
			t.Fatalf("key %d: present %v", i, okA)
		}
	}
	if one, err := fill().Split(100); err != nil || len(one) != 1 {
		t.Fatalf("a batch within the bound: %d parts, %v", len(one), err)
	}
}
