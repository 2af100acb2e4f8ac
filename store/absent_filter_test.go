package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/sluicepay/sluice/channel"
)

// TestAbsentFilterAnswersMissesWithoutAReadAndNeverHidesAWrite: secrets and meta records
// written through Commit are found (also more than the first filter holds, and after a
// reopen, which loads them from disk); a key never written is answered without a read.
func TestAbsentFilterAnswersMissesWithoutAReadAndNeverHidesAWrite(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// One secret on disk before the filter's first question: the load must find it.
	var early [32]byte
	early[0] = 7
	var b Batch
	b.PutSecret(early)
	if err := s.Commit(ctx, &b); err != nil {
		t.Fatal(err)
	}
	const count = 3 * absentFirstCap
	secrets := make([][32]byte, count)
	for i := range secrets {
		secrets[i][0], secrets[i][1], secrets[i][2] = byte(i), byte(i>>8), 0xaa
		var b Batch
		b.PutSecret(secrets[i])
		if err := b.PutMeta("ns", fmt.Sprint(i), []byte{1}); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(ctx, &b); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, ok, err := s.GetSecret(channel.SecretHash(early)); err != nil || !ok {
				t.Fatalf("secret written before the first question: found %v, err %v", ok, err)
			}
		}
	}
	check := func(s *Store) {
		t.Helper()
		for i, sec := range secrets {
			got, ok, err := s.GetSecret(channel.SecretHash(sec))
			if err != nil || !ok || got != sec {
				t.Fatalf("secret %d: found %v, err %v", i, ok, err)
			}
			if _, ok, err := s.GetMeta("ns", fmt.Sprint(i)); err != nil || !ok {
				t.Fatalf("meta %d: found %v, err %v", i, ok, err)
			}
		}
		before := s.absent.skipped.Load()
		misses := 0
		for i := 0; i < 1000; i++ {
			var h [32]byte
			h[0], h[1], h[31] = byte(i), byte(i>>8), 0x55
			if _, ok, err := s.GetSecret(h); err != nil || ok {
				t.Fatalf("unknown secret: found %v, err %v", ok, err)
			}
			if _, ok, err := s.GetMeta("ns", fmt.Sprint("x", i)); err != nil || ok {
				t.Fatalf("unknown meta: found %v, err %v", ok, err)
			}
			misses += 2
		}
		if skipped := int(s.absent.skipped.Load() - before); skipped < misses*95/100 {
			t.Fatalf("the filter answered %d of %d misses without a read", skipped, misses)
		}
	}
	check(s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check(s)
	if _, ok, _ := s.GetSecret(channel.SecretHash(early)); !ok {
		t.Fatal("secret written before the first question lost after a reopen")
	}
}
