package kv

import (
	"fmt"
	"testing"
)

func TestBatchReplaysRecordsInOrder(t *testing.T) {
	var b Batch
	b.Put([]byte("k1"), []byte("v1"))
	b.Delete([]byte("k2"))
	b.Put([]byte{}, nil)
	var o Batch
	o.Put(make([]byte, 300), make([]byte, 70000)) // multi-byte varints
	b.Append(&o)
	var got []string
	err := b.Replay(func(k, v []byte) { got = append(got, fmt.Sprintf("put %d/%d", len(k), len(v))) },
		func(k []byte) { got = append(got, fmt.Sprintf("del %s", k)) })
	if err != nil {
		t.Fatal(err)
	}
	want := "[put 2/2 del k2 put 0/0 put 300/70000]"
	if fmt.Sprint(got) != want || b.Len() != 4 {
		t.Fatalf("replayed %v (len %d), want %s", got, b.Len(), want)
	}
	b.Reset()
	if b.Len() != 0 || b.Size() != 0 {
		t.Fatal("reset batch not empty")
	}
}

func TestBatchRefusesTruncatedRecord(t *testing.T) {
	var b Batch
	b.Put([]byte("key"), []byte("value"))
	b.data = b.data[:len(b.data)-1]
	if err := b.Replay(func(_, _ []byte) {}, func([]byte) {}); err != errMalformed {
		t.Fatalf("err %v, want errMalformed", err)
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, c := range []struct{ in, want []byte }{
		{[]byte{1}, []byte{2}}, {[]byte{1, 0xff}, []byte{2}}, {[]byte{0xff}, nil}, {nil, nil},
	} {
		if got := PrefixEnd(c.in); string(got) != string(c.want) {
			t.Fatalf("PrefixEnd(%x) = %x, want %x", c.in, got, c.want)
		}
	}
}
