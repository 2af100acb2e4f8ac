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
