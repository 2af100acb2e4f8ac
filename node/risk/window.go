package risk

import "time"

// Window names one of the sliding windows every tracked entity keeps.
type Window int

// The windows, shortest first. Their names appear in reasons ("velocity_1s").
const (
	Window1s Window = iota
	Window1m
	Window1h
	Window24h
	numWindows
)

var windowNames = [numWindows]string{"1s", "1m", "1h", "24h"}

func (w Window) String() string { return windowNames[w] }

// windowShapes fix each window's bucket width and count. A ring holds one bucket more
// than the window has widths (the current, partial one), so it always covers at least the
// whole window: no interval of the window's length can exceed its limit, and a limit binds
// over at most one bucket more (1/10, 1/60, 1/60 and 1/96 of the window: 1.1 s, 61 s,
// 61 min, 24 h 15 min). With n buckets it covered only n-1 whole ones, so two limits' worth
// fitted in 1 s and "24h" was 23 h 45 min (issue 22, finding 11). 230 buckets per entity.
var windowShapes = [numWindows]struct {
	width time.Duration
	n     int
}{
	{100 * time.Millisecond, 10},
	{time.Second, 60},
	{time.Minute, 60},
	{15 * time.Minute, 96},
}

type bucket struct {
	epoch  int64 // which width-sized slice of time this bucket holds
	count  uint64
	amount Amount
}

// ring is a bucketed sliding-window counter. Adding, reading and expiring cost O(1)
// amortised: expiry clears at most the buckets time has passed over, never more than n.
type ring struct {
	width   int64 // nanoseconds
	head    int64 // newest epoch seen
	buckets []bucket
	count   uint64
	amount  Amount
}

func newRing(width time.Duration, n int) ring {
	return ring{width: int64(width), buckets: make([]bucket, n)}
}

func (r *ring) epoch(now int64) int64 { return now / r.width }

// advance moves the window to now, dropping the buckets that fell out of it. A clock that
// steps backwards keeps counting into the newest bucket rather than rewriting history.
func (r *ring) advance(now int64) int64 {
	e := r.epoch(now)
	if e <= r.head {
		return r.head
	}
	n := int64(len(r.buckets))
	steps := min(e-r.head, n)
	for i := int64(1); i <= steps; i++ {
		b := &r.buckets[(r.head+i)%n]
		r.count -= min(b.count, r.count)
		r.amount = r.amount.Sub(b.amount)
		*b = bucket{epoch: r.head + i}
	}
	r.head = e
	return e
}

// totals returns the window's count and amount as of now.
func (r *ring) totals(now int64) (uint64, Amount) {
	r.advance(now)
	return r.count, r.amount
}

func (r *ring) add(now int64, amount Amount) {
	e := r.advance(now)
	b := &r.buckets[e%int64(len(r.buckets))]
	b.epoch = e
	b.count++
	b.amount = b.amount.Add(amount)
	r.count++
	r.amount = r.amount.Add(amount)
}

// remove undoes an add made at time at, if its bucket is still inside the window; once
// it slid out there is nothing left to undo.
func (r *ring) remove(at int64, amount Amount) {
	e := r.epoch(at)
	n := int64(len(r.buckets))
	if e > r.head || e <= r.head-n {
		return
	}
	b := &r.buckets[e%n]
	if b.epoch != e || b.count == 0 {
		return
	}
	b.count--
	b.amount = b.amount.Sub(amount)
	r.count -= min(1, r.count)
	r.amount = r.amount.Sub(amount)
}

// windows is the set of rings one entity (client, counterparty, channel) keeps.
type windows [numWindows]ring

func newWindows() windows {
	var w windows
	for i, s := range windowShapes {
		w[i] = newRing(s.width, s.n+1)
	}
	return w
}

func (w *windows) add(now int64, amount Amount) {
	for i := range w {
		w[i].add(now, amount)
	}
}

func (w *windows) remove(at int64, amount Amount) {
	for i := range w {
		w[i].remove(at, amount)
	}
}

// exceeded returns the first window whose limit one more payment of amount would break.
func (w *windows) exceeded(now int64, amount Amount, l *Limits) (Window, bool) {
	for i := range w {
		lim := l.window(Window(i))
		if lim.Count == 0 && lim.Amount.IsZero() {
			continue
		}
		c, a := w[i].totals(now)
		if lim.Count != 0 && c+1 > lim.Count {
			return Window(i), true
		}
		if !lim.Amount.IsZero() && a.Add(amount).Cmp(lim.Amount) > 0 {
			return Window(i), true
		}
	}
	return 0, false
}
