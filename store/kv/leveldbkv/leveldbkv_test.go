package leveldbkv

import (
	"testing"

	"github.com/syndtr/goleveldb/leveldb"

	"github.com/sluicepay/sluice/store/kv"
	"github.com/sluicepay/sluice/store/kv/kvtest"
)

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Backend {
		db, err := leveldb.OpenFile(t.TempDir(), nil)
		if err != nil {
			t.Fatal(err)
		}
		b := New(db)
		t.Cleanup(func() { b.Close() })
		return b
	})
}

// TestBatchIsLeveldbRecordFormat pins the shared layout Write relies on.
func TestBatchIsLeveldbRecordFormat(t *testing.T) {
	var k kv.Batch
	var l leveldb.Batch
	big := make([]byte, 200)
	for _, w := range []struct {
		key, val []byte
		del      bool
	}{{[]byte("a"), []byte("1"), false}, {big, big, false}, {[]byte("gone"), nil, true}, {[]byte("e"), nil, false}} {
		if w.del {
			k.Delete(w.key)
			l.Delete(w.key)
		} else {
			k.Put(w.key, w.val)
			l.Put(w.key, w.val)
		}
	}
	if string(k.Data()) != string(l.Dump()) {
		t.Fatalf("kv batch %x\nleveldb   %x", k.Data(), l.Dump())
	}
}
