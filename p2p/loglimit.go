package p2p

import (
	"sync"
	"time"
)

// logLimiter lets one log line per key through per interval and counts the rest, so
// a peer that repeats one offence thousands of times a second costs a few lines.
// Keys are typically peer and reason. Its memory is bounded: past maxKeys keys it
// forgets them all and starts again (a flood of distinct keys then logs at most
// maxKeys lines per interval).
type logLimiter struct {
	interval time.Duration
	maxKeys  int

	mu   sync.Mutex
	seen map[string]*logSlot
}

type logSlot struct {
	next       time.Time
	suppressed int
}

// newLogLimiter allows one line per key per interval, tracking up to maxKeys keys.
func newLogLimiter(interval time.Duration, maxKeys int) *logLimiter {
	return &logLimiter{interval: interval, maxKeys: maxKeys, seen: map[string]*logSlot{}}
}

// Allow reports whether a line for key may be logged now, and how many lines for it
// were suppressed since the last one that was.
func (l *logLimiter) Allow(key string, now time.Time) (ok bool, suppressed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.seen[key]
	if s == nil {
		if len(l.seen) >= l.maxKeys {
			clear(l.seen)
		}
		s = &logSlot{}
		l.seen[key] = s
	}
	if now.Before(s.next) {
		s.suppressed++
		return false, 0
	}
	suppressed, s.suppressed = s.suppressed, 0
	s.next = now.Add(l.interval)
	return true, suppressed
}
