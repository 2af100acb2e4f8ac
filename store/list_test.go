package store

import (
	"testing"
	"time"

	"github.com/sluicepay/sluice/channel"
)

func TestListChannelsPagesThroughEveryChannelOnce(t *testing.T) {
	s, _ := openTemp(t, Options{})
	const total = 23
	commit(t, s, func(b *Batch) error {
		for i := uint64(1); i <= total; i++ {
			rec := testChannel(i)
			if err := b.PutChannel(&rec); err != nil {
				return err
			}
		}
		// Proofs and payments share the keyspace; they must not leak into the listing.
		return putPayment(b, testChannelID(1), 1)
	})
	for _, limit := range []int{1, 5, 23, 100} {
		var seen []channel.ID
		cursor, pages := "", 0
		for {
			page, err := s.ListChannels(cursor, limit)
			if err != nil {
				t.Fatalf("limit %d: %v", limit, err)
			}
			pages++
			for _, c := range page.Channels {
				seen = append(seen, c.Params.ID)
			}
			if page.Next == "" {
				break
			}
			cursor = page.Next
		}
		if len(seen) != total {
			t.Fatalf("limit %d: saw %d channels, want %d", limit, len(seen), total)
		}
		for i, id := range seen {
			if id != testChannelID(uint64(i+1)) {
				t.Fatalf("limit %d: position %d is %s", limit, i, id)
			}
		}
		if want := (total + limit - 1) / limit; pages != want {
			t.Fatalf("limit %d: %d pages, want %d (no empty trailing page)", limit, pages, want)
		}
	}
}

func TestListChannelsRejectsMalformedCursor(t *testing.T) {
	s, _ := openTemp(t, Options{})
	for _, c := range []string{"zz", "abcd", string(make([]byte, 64))} {
		if _, err := s.ListChannels(c, 10); err == nil {
			t.Fatalf("cursor %q accepted", c)
		}
	}
}

// seedPayments writes n payments to ch, one millisecond apart, and a few to another channel.
func seedPayments(t *testing.T, s *Store, ch channel.ID, n int) {
	t.Helper()
	commit(t, s, func(b *Batch) error {
		for i := 1; i <= n; i++ {
			if err := putPayment(b, ch, uint64(i)); err != nil {
				return err
			}
		}
		for i := 1000; i < 1003; i++ {
			rec := testPayment(testChannelID(99), uint64(i))
			if err := b.PutPayment(&rec); err != nil {
				return err
			}
		}
		return nil
	})
}

func collectPayments(t *testing.T, s *Store, ch channel.ID, q PaymentQuery) []uint64 {
	t.Helper()
	var nonces []uint64
	for {
		page, err := s.ListPayments(ch, q)
		if err != nil {
			t.Fatalf("list payments %+v: %v", q, err)
		}
		if len(page.Payments) > max(1, min(q.Limit, MaxPageSize)) && q.Limit > 0 {
			t.Fatalf("page of %d exceeds limit %d", len(page.Payments), q.Limit)
		}
		for _, p := range page.Payments {
			if p.Channel != ch {
				t.Fatalf("payment of channel %s listed for %s", p.Channel, ch)
			}
			nonces = append(nonces, p.Nonce)
		}
		if page.Next == "" {
			return nonces
		}
		q.Cursor = page.Next
	}
}

func TestListPaymentsByTimeWindowAndDirection(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	seedPayments(t, s, ch, 50)
	at := func(n int) time.Time { return testEpoch.Add(time.Duration(n) * time.Millisecond) }
	seq := func(from, to int, step int) []uint64 {
		var out []uint64
		for i := from; ; i += step {
			if (step > 0 && i > to) || (step < 0 && i < to) {
				return out
			}
			out = append(out, uint64(i))
		}
	}
	for _, tc := range []struct {
		name string
		q    PaymentQuery
		want []uint64
	}{
		{"all oldest first in pages of 7", PaymentQuery{Limit: 7}, seq(1, 50, 1)},
		{"all newest first in pages of 7", PaymentQuery{Limit: 7, NewestFirst: true}, seq(50, 1, -1)},
		{"since is inclusive, until exclusive", PaymentQuery{Since: at(10), Until: at(20), Limit: 3}, seq(10, 19, 1)},
		{"window newest first", PaymentQuery{Since: at(10), Until: at(20), Limit: 4, NewestFirst: true}, seq(19, 10, -1)},
		{"one page when limit covers all", PaymentQuery{Limit: 1000}, seq(1, 50, 1)},
		{"empty window", PaymentQuery{Since: at(60)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := collectPayments(t, s, ch, tc.q)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestListPaymentsCursorStaysValidWhilePaymentsArrive(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	seedPayments(t, s, ch, 10)
	first, err := s.ListPayments(ch, PaymentQuery{Limit: 5})
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	commit(t, s, func(b *Batch) error { return putPayment(b, ch, 11) })
	rest := collectPayments(t, s, ch, PaymentQuery{Limit: 5, Cursor: first.Next})
	if len(rest) != 6 || rest[0] != 6 || rest[5] != 11 {
		t.Fatalf("after cursor: %v, want 6..11", rest)
	}
}

func TestListPaymentsSkipsIndexEntryOfRewrittenPayment(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ch := testChannelID(1)
	seedPayments(t, s, ch, 3)
	moved := testPayment(ch, 2)
	moved.Time = moved.Time.Add(time.Hour)
	commit(t, s, func(b *Batch) error { return b.PutPayment(&moved) })
	got := collectPayments(t, s, ch, PaymentQuery{})
	if len(got) != 3 || got[0] != 1 || got[1] != 3 || got[2] != 2 {
		t.Fatalf("got %v, want [1 3 2]: the rewritten payment once, at its new time", got)
	}
}

func TestListPaymentsRejectsMalformedCursor(t *testing.T) {
	s, _ := openTemp(t, Options{})
	for _, c := range []string{"nothex", "00", "0011223344556677"} {
		if _, err := s.ListPayments(testChannelID(1), PaymentQuery{Cursor: c}); err == nil {
			t.Fatalf("cursor %q accepted", c)
		}
	}
}
