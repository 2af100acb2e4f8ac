package risk

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestRingSlides(t *testing.T) {
	r := newRing(100*time.Millisecond, 10) // a 1 s window
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	at := func(d time.Duration) int64 { return base + int64(d) }
	r.add(at(0), amt(5))
	r.add(at(450*time.Millisecond), amt(7))
	if c, a := r.totals(at(900 * time.Millisecond)); c != 2 || a != amt(12) {
		t.Fatalf("inside the window: %d, %s", c, a)
	}
	if c, a := r.totals(at(1050 * time.Millisecond)); c != 1 || a != amt(7) {
		t.Fatalf("after the first slid out: %d, %s", c, a)
	}
	r.remove(at(450*time.Millisecond), amt(7))
	if c, a := r.totals(at(1050 * time.Millisecond)); c != 0 || !a.IsZero() {
		t.Fatalf("after remove: %d, %s", c, a)
	}
	r.add(at(1100*time.Millisecond), amt(1))
	if c, _ := r.totals(at(time.Hour)); c != 0 {
		t.Fatalf("an hour later: %d", c)
	}
	r.remove(at(1100*time.Millisecond), amt(1)) // slid out already: nothing to undo
	if c, a := r.totals(at(time.Hour)); c != 0 || !a.IsZero() {
		t.Fatalf("late remove changed totals: %d, %s", c, a)
	}
}

func TestAmountSaturates(t *testing.T) {
	if got := maxAmount.Add(amt(1)); got != maxAmount {
		t.Fatalf("max+1 = %s", got)
	}
	if got := amt(1).Sub(amt(2)); !got.IsZero() {
		t.Fatalf("1-2 = %s", got)
	}
	var a Amount
	if err := a.UnmarshalText([]byte("340282366920938463463374607431768211455")); err != nil || a != maxAmount {
		t.Fatalf("2^128-1: %s %v", a, err)
	}
	if err := a.UnmarshalText([]byte("340282366920938463463374607431768211456")); err == nil {
		t.Fatal("2^128 accepted")
	}
	if err := a.UnmarshalText([]byte("-1")); err == nil {
		t.Fatal("-1 accepted")
	}
}

func TestParseConfigRejectsTyposAndBadValues(t *testing.T) {
	good := `{"clients":{"game":{"profile":"service","tokenHash":"` + string(make64('a')) + `","limits":{"1s":{"count":5000}},"dailyCap":"1000000"}},"counterparty":{"1m":{"amount":"500"}},"challengeTTL":"90s"}`
	c, err := ParseConfig([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if g := c.Clients["game"]; g.Limits.PerSecond.Count != 5000 || g.DailyCap != amt(1000000) || c.Counterparty.PerMinute.Amount != amt(500) || c.ChallengeTTL != Duration(90*time.Second) {
		t.Fatalf("parsed %+v", c)
	}
	for _, bad := range []string{
		`{"clients":{"w":{"daily_cap":"1"}}}`,   // typo
		`{"clients":{"w":{"profile":"robot"}}}`, // unknown profile
		`{"clients":{"w w":{}}}`,                // bad name
		`{"clients":{"w":{"tokenHash":"abc"}}}`, // short hash
		`{"clients":{"w":{"singleMax":"-5"}}}`,  // negative
		`{"clients":{"w":{"stepUpScore":90,"declineScore":10}}}`,
		`{"clients":{"a":{"tokenHash":"` + string(make64('b')) + `"},"b":{"tokenHash":"` + string(make64('b')) + `"}}}`, // one token, two clients
	} {
		if _, err := ParseConfig([]byte(bad)); err == nil {
			t.Errorf("ParseConfig(%s) succeeded", bad)
		}
	}
}

func make64(c byte) []byte {
	b := make([]byte, 64)
	for i := range b {
		b[i] = c
	}
	return b
}

// An independent check of the window rule: whatever the arrival times, no interval of a
// window's length may hold more approved payments than its limit.
func TestNoIntervalOfTheWindowsLengthExceedsItsLimit(t *testing.T) {
	for _, tc := range []struct {
		w      Window
		length time.Duration
		limit  uint64
	}{
		{Window1s, time.Second, 5},
		{Window1m, time.Minute, 7},
		{Window24h, 24 * time.Hour, 3},
	} {
		t.Run(tc.w.String(), func(t *testing.T) {
			var lim Limits
			switch tc.w {
			case Window1s:
				lim.PerSecond.Count = tc.limit
			case Window1m:
				lim.PerMinute.Count = tc.limit
			default:
				lim.PerDay.Count = tc.limit
			}
			r := rand.New(rand.NewPCG(7, uint64(tc.w)))
			w := newWindows()
			var approved []int64
			now := int64(1_700_000_000) * int64(time.Second)
			for range 20_000 {
				now += r.Int64N(int64(tc.length) / 8)
				if _, over := w.exceeded(now, amt(1), &lim); !over {
					w.add(now, amt(1))
					approved = append(approved, now)
				}
			}
			// A sliding interval [a, a+length) placed at each approval holds the most.
			j := 0
			for i := range approved {
				for approved[i]-approved[j] >= int64(tc.length) {
					j++
				}
				if n := uint64(i - j + 1); n > tc.limit {
					t.Fatalf("%d approvals within %s (from %d to %d), limit %d", n, tc.length, approved[j], approved[i], tc.limit)
				}
			}
			if len(approved) < 100 {
				t.Fatalf("only %d approvals: the test exercised little", len(approved))
			}
		})
	}
}

func TestTwentyFourHourWindowCountsAPaymentForTwentyFourHours(t *testing.T) {
	w := newWindows()
	lim := Limits{PerDay: WindowLimit{Count: 1}}
	start := int64(1_700_000_000)*int64(time.Second) + int64(14*time.Minute) // mid-bucket
	w.add(start, amt(1))
	if _, over := w.exceeded(start+int64(24*time.Hour)-1, amt(1), &lim); !over {
		t.Fatal("a payment 24h minus 1ns ago no longer counted")
	}
}
