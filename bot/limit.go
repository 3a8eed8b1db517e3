package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxLimitedUsers bounds the rate limiter's memory: past it the users
// idle longest are forgotten first, which only gives them a fresh bucket.
const maxLimitedUsers = 100_000

// limiter is a token bucket per key (golang.org/x/time/rate): n events
// at once, refilled at n per window, so a user may ask n questions in a
// row and then one every window/n.
//
// A bucket left alone for a whole window is full again, the same as a
// new one, so each is kept for one window after its last use: memory
// holds only the users active in the last window.
type limiter struct {
	n      int
	window time.Duration

	mu    sync.Mutex // makes get-or-create atomic
	users *Cache[*rate.Limiter]
}

func newLimiter(n int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{n: n, window: window, users: NewCache[*rate.Limiter](window, maxLimitedUsers, now)}
}

// allow takes a token for key at now and reports whether there was one;
// when not, wait is how long until there will be. Refused events take no
// token, so a user who keeps trying is not locked out longer.
func (l *limiter) allow(key string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, found := l.users.Get(key)
	if !found {
		lim = rate.NewLimiter(rate.Limit(float64(l.n)/l.window.Seconds()), l.n)
	}
	l.users.Put(key, lim) // renews its lifetime
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}
