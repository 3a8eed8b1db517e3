package bot

import (
	"sync"
	"time"
)

// limiter is a sliding-window rate limit per key: at most n events in any
// window. A sliding log (rather than a token bucket) lets the reply say
// exactly when the oldest question leaves the window.
//
// Memory stays bounded: each key keeps at most n times, and keys idle for
// a whole window are swept out once per window, so only users active in
// the last two windows are held.
type limiter struct {
	n      int
	window time.Duration

	mu        sync.Mutex
	users     map[string][]time.Time // recent accepted events, oldest first
	nextSweep time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, users: map[string][]time.Time{}}
}

// allow records an event for key at now and reports whether it is within
// the limit; when not, wait is how long until it would be. Refused events
// are not recorded, so a user who keeps trying is not locked out longer.
func (l *limiter) allow(key string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	times := recent(l.users[key], now.Add(-l.window))
	if len(times) >= l.n {
		l.users[key] = times
		return false, times[0].Add(l.window).Sub(now)
	}
	l.users[key] = append(times, now)
	return true, 0
}

// sweep drops keys with no event in the last window, once per window.
func (l *limiter) sweep(now time.Time) {
	if now.Before(l.nextSweep) {
		return
	}
	l.nextSweep = now.Add(l.window)
	cutoff := now.Add(-l.window)
	for k, times := range l.users {
		if len(recent(times, cutoff)) == 0 {
			delete(l.users, k)
		}
	}
}

// recent returns the suffix of times (oldest first) after cutoff.
func recent(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}
