package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// openWithRebuildAt opens a store whose absent filter rebuilds from min keys on.
func openWithRebuildAt(t *testing.T, min int) *Store {
	t.Helper()
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.absent.mu.Lock()
	s.absent.rebuild.min = min
	s.absent.mu.Unlock()
	// The first question loads the (empty) disk and makes the filter ready.
	if _, _, err := s.GetMeta("ns", "warm"); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAbsentFilterStaysBoundedUnderTransientRecords: a hub writes and deletes transient
// meta records on every payment. Without rebuilds the filter keeps 2 bytes for every key
// ever written; with them it stays near the live keys, and still answers for every live
// key and skips the reads of keys never written.
func TestAbsentFilterStaysBoundedUnderTransientRecords(t *testing.T) {
	s := openWithRebuildAt(t, 1000)
	ctx := context.Background()
	const live, transient = 300, 40000
	for i := range live {
		var b Batch
		if err := b.PutMeta("live", fmt.Sprint(i), []byte{1}); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	for i := range transient {
		var b Batch
		if err := b.PutMeta("tmp", fmt.Sprint(i), []byte{1}); err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			if err := b.DeleteMeta("tmp", fmt.Sprint(i-1)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Commit(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	s.absent.rebuild.wg.Wait()
	// Without rebuilds: parts of 4096, 8192, 16384 and 32768 keys, 2 bytes each.
	unbounded := 2 * (4096 + 8192 + 16384 + 32768)
	if got := s.absent.bytes(); got > unbounded/4 {
		t.Fatalf("filter holds %d bytes after %d transient keys (%d rebuilds); unbounded it holds %d", got, transient, s.absent.rebuild.count.Load(), unbounded)
	}
	if s.absent.rebuild.count.Load() == 0 {
		t.Fatal("no rebuild ran")
	}
	for i := range live {
		if _, ok, err := s.GetMeta("live", fmt.Sprint(i)); err != nil || !ok {
			t.Fatalf("live key %d: found %v, err %v", i, ok, err)
		}
	}
	if _, ok, err := s.GetMeta("tmp", fmt.Sprint(transient-1)); err != nil || !ok {
		t.Fatalf("last transient key: found %v, err %v", ok, err)
	}
	before := s.absent.skipped.Load()
	for i := range 1000 {
		if _, ok, err := s.GetMeta("never", fmt.Sprint(i)); err != nil || ok {
			t.Fatalf("never written: found %v, err %v", ok, err)
		}
	}
	if skipped := s.absent.skipped.Load() - before; skipped < 950 {
		t.Fatalf("the rebuilt filter answered %d of 1000 misses without a read", skipped)
	}
}

// TestAbsentFilterRebuildNeverHidesAKeyWrittenMeanwhile: writers commit new keys
// without pause while the filter is rebuilt again and again; every key is found the
// moment its Commit returned, including keys queued while a rebuild began (the barrier).
func TestAbsentFilterRebuildNeverHidesAKeyWrittenMeanwhile(t *testing.T) {
	s := openWithRebuildAt(t, 200)
	ctx := context.Background()
	const writers, each = 8, 3000
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				key := fmt.Sprint(w, "/", i)
				b := NewBatch()
				if err := b.PutMeta("w", key, []byte{1}); err != nil {
					errs <- err
					return
				}
				ch := s.Submit(b)
				if err := <-ch; err != nil {
					errs <- err
					return
				}
				if _, ok, err := s.GetMeta("w", key); err != nil || !ok {
					errs <- fmt.Errorf("key %s committed but not found (err %v) after %d rebuilds", key, err, s.absent.rebuild.count.Load())
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := s.absent.rebuild.count.Load(); n < 3 {
		t.Fatalf("%d rebuilds; the test needs several to mean anything", n)
	}
	_ = ctx
}

// TestAbsentFilterRebuildStopsWithTheStore: Close while a rebuild may run returns, and
// the store reopens with every key.
func TestAbsentFilterRebuildStopsWithTheStore(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.absent.mu.Lock()
	s.absent.rebuild.min = 50
	s.absent.mu.Unlock()
	ctx := context.Background()
	if _, _, err := s.GetMeta("ns", "warm"); err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		var b Batch
		if err := b.PutMeta("ns", fmt.Sprint(i), []byte{1}); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 2000 {
		if _, ok, err := s.GetMeta("ns", fmt.Sprint(i)); err != nil || !ok {
			t.Fatalf("key %d after reopen: found %v, err %v", i, ok, err)
		}
	}
}

// bytes is the filter's size in bytes.
func (f *absentFilter) bytes() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	n := 0
	for i := range f.parts {
		n += 8 * len(f.parts[i].bits)
	}
	return n
}
