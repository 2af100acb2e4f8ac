// Package kvtest is the behaviour every kv.Backend must show, run by each backend's tests
// against a real instance (a leveldb directory, an etcd cluster).
package kvtest

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/sluicepay/sluice/store/kv"
)

// Run checks the backend that open returns; each subtest gets a fresh, empty one.
func Run(t *testing.T, open func(t *testing.T) kv.Backend) {
	t.Run("GetMissingKey", func(t *testing.T) {
		b := open(t)
		if v, ok, err := b.Get([]byte("nope")); ok || err != nil || v != nil {
			t.Fatalf("got %q %v %v, want nothing", v, ok, err)
		}
	})
	t.Run("WriteAppliesBatchesInOrder", func(t *testing.T) {
		b := open(t)
		var b1, b2 kv.Batch
		b1.Put([]byte("a"), []byte("1"))
		b1.Put([]byte("b"), []byte("1"))
		b1.Put([]byte("a"), []byte("2")) // same key twice in one batch: the last wins
		b2.Delete([]byte("b"))
		b2.Put([]byte("c"), []byte("3"))
		b2.Put([]byte("empty"), nil)
		if _, err := b.Write([]*kv.Batch{&b1, &b2}); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"a": "2", "c": "3", "empty": ""}
		for k, w := range want {
			v, ok, err := b.Get([]byte(k))
			if err != nil || !ok || string(v) != w {
				t.Fatalf("%s = %q %v %v, want %q", k, v, ok, err, w)
			}
		}
		if _, ok, _ := b.Get([]byte("b")); ok {
			t.Fatal("b was deleted by the second batch, yet it is there")
		}
	})
	t.Run("ScanIsOrderedAndBounded", func(t *testing.T) {
		b := open(t)
		var batch kv.Batch
		keys := [][]byte{{1, 0}, {1, 1}, {1, 0xff}, {2}, {1, 0xff, 0xff}, {0, 9}}
		for i, k := range keys {
			batch.Put(k, []byte{byte(i)})
		}
		if _, err := b.Write([]*kv.Batch{&batch}); err != nil {
			t.Fatal(err)
		}
		got := scanKeys(t, b, kv.PrefixRange([]byte{1}))
		if want := "0100,0101,01ff,01ffff"; got != want {
			t.Fatalf("prefix scan %s, want %s", got, want)
		}
		r := kv.PrefixRange([]byte{1})
		r.Reverse = true
		if got, want := scanKeys(t, b, r), "01ffff,01ff,0101,0100"; got != want {
			t.Fatalf("reverse scan %s, want %s", got, want)
		}
		if got, want := scanKeys(t, b, kv.Range{Start: []byte{1, 1}, Limit: []byte{1, 0xff, 0xff}}), "0101,01ff"; got != want {
			t.Fatalf("bounded scan %s, want %s", got, want)
		}
		if got, want := scanKeys(t, b, kv.Range{}), "0009,0100,0101,01ff,01ffff,02"; got != want {
			t.Fatalf("full scan %s, want %s", got, want)
		}
		n := 0
		err := b.Scan(kv.Range{}, func(_, _ []byte) error { n++; return kv.ErrStop })
		if err != nil || n != 1 {
			t.Fatalf("ErrStop: %d keys, err %v", n, err)
		}
		boom := errors.New("boom")
		if err := b.Scan(kv.Range{}, func(_, _ []byte) error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("callback error %v, want boom", err)
		}
	})
	t.Run("ScanPagesThroughManyKeys", func(t *testing.T) {
		b := open(t)
		const n = 2500 // more than one etcd page
		for lo := 0; lo < n; lo += 100 {
			var batch kv.Batch
			for i := lo; i < lo+100; i++ {
				batch.Put(fmt.Appendf(nil, "k%05d", i), nil)
			}
			if _, err := b.Write([]*kv.Batch{&batch}); err != nil {
				t.Fatal(err)
			}
		}
		for _, reverse := range []bool{false, true} {
			var prev []byte
			count := 0
			err := b.Scan(kv.Range{Reverse: reverse}, func(k, _ []byte) error {
				if prev != nil && (bytes.Compare(prev, k) >= 0) != reverse {
					return fmt.Errorf("%s after %s", k, prev)
				}
				prev = bytes.Clone(k)
				count++
				return nil
			})
			if err != nil || count != n {
				t.Fatalf("reverse=%v: %d keys, err %v", reverse, count, err)
			}
		}
	})
}

func scanKeys(t *testing.T, b kv.Backend, r kv.Range) string {
	t.Helper()
	var out []string
	err := b.Scan(r, func(k, _ []byte) error {
		out = append(out, fmt.Sprintf("%x", k))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(joined(out))
}

func joined(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(x)
	}
	return b.String()
}
