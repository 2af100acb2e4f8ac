package risk

import (
	"testing"
	"time"
)

// FuzzDecodeState feeds arbitrary bytes to the persisted-state decoders: a damaged record
// must be refused or clamped, never crash the node or leave totals out of step with buckets.
func FuzzDecodeState(f *testing.F) {
	cs := newClientState("w", ClientConfig{})
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC).UnixNano()
	cs.w.add(now, amt(5))
	cs.w.add(now+int64(2*time.Second), amt(7))
	f.Add(cs.encode())
	f.Add(encodeWindows(nil, &cs.w))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newClientState("w", ClientConfig{})
		if err := c.decode("client/w", data); err == nil {
			checkTotals(t, &c.w)
		}
		w := newWindows()
		r := &reader{b: data}
		decodeWindows(r, &w)
		if !r.err {
			checkTotals(t, &w)
		}
	})
}

func checkTotals(t *testing.T, w *windows) {
	for i := range w {
		var c uint64
		var a Amount
		for _, b := range w[i].buckets {
			c += b.count
			a = a.Add(b.amount)
		}
		if c != w[i].count || a != w[i].amount {
			t.Fatalf("window %s: totals %d/%s, buckets sum to %d/%s", Window(i), w[i].count, w[i].amount, c, a)
		}
	}
}
