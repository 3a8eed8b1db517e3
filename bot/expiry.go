package bot

import (
	"container/list"
	"sync"
	"time"
)

// expiring is a set of keys that each expire ttl after they were last
// added, holding at most max keys. Keys sit in a list ordered by expiry
// (every add uses the same ttl), so expired and surplus keys are dropped
// from the front in O(1) each, without a sweeping goroutine.
type expiring struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	order *list.List               // of *entry, soonest expiry first
	keys  map[string]*list.Element // key -> its element in order
}

type entry struct {
	key     string
	expires time.Time
}

func newExpiring(ttl time.Duration, maxKeys int, now func() time.Time) *expiring {
	if now == nil {
		now = time.Now
	}
	return &expiring{ttl: ttl, max: maxKeys, now: now, order: list.New(), keys: map[string]*list.Element{}}
}

// has reports whether key is present and unexpired. Callers hold mu.
func (e *expiring) has(key string, now time.Time) bool {
	el, ok := e.keys[key]
	return ok && now.Before(el.Value.(*entry).expires)
}

// add inserts key, or renews it, to expire ttl after now. Callers hold mu.
func (e *expiring) add(key string, now time.Time) {
	if el, ok := e.keys[key]; ok {
		el.Value.(*entry).expires = now.Add(e.ttl)
		e.order.MoveToBack(el)
	} else {
		e.keys[key] = e.order.PushBack(&entry{key: key, expires: now.Add(e.ttl)})
	}
	e.trim(now)
}

// trim drops expired keys and, past max, the ones closest to expiring.
// Callers hold mu.
func (e *expiring) trim(now time.Time) {
	for el := e.order.Front(); el != nil; el = e.order.Front() {
		en := el.Value.(*entry)
		if now.Before(en.expires) && len(e.keys) <= e.max {
			return
		}
		e.order.Remove(el)
		delete(e.keys, en.key)
	}
}

func (e *expiring) len() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.keys)
}

// Defaults for Dedup and Threads.
const (
	DefaultDedupTTL   = time.Hour // Slack retries for about 5 minutes; event IDs are unique
	DefaultThreadTTL  = 24 * time.Hour
	DefaultMaxThreads = 10000

	// maxDedupKeys bounds Dedup's memory (about 150 bytes a key). It is
	// far above Slack's 30,000 events an hour per workspace; dropping the
	// oldest keys past it risks only a rare duplicate reply.
	maxDedupKeys = 1 << 17
)

// Dedup remembers keys (event IDs, channel+ts) for a TTL, so a delivery
// that a platform retries, or that arrives as two event types, is
// answered once. It is safe for concurrent use.
type Dedup struct{ set *expiring }

// NewDedup returns a Dedup that remembers keys for ttl (DefaultDedupTTL
// when ttl <= 0), reading the time from now (time.Now when nil).
func NewDedup(ttl time.Duration, now func() time.Time) *Dedup {
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	return &Dedup{set: newExpiring(ttl, maxDedupKeys, now)}
}

// Seen reports whether key was seen in the last ttl, and marks it seen.
// A repeat does not extend the first sighting's TTL, so a key retried
// forever is still forgotten eventually.
func (d *Dedup) Seen(key string) bool {
	d.set.mu.Lock()
	defer d.set.mu.Unlock()
	now := d.set.now()
	if d.set.has(key, now) {
		return true
	}
	d.set.add(key, now)
	return false
}

// Threads remembers the threads the bot has answered in, so that replies
// there are answered without a new mention, as users asked for. Memory is
// bounded by a TTL and a maximum count. It is safe for concurrent use.
type Threads struct{ set *expiring }

// NewThreads returns a Threads that forgets a thread ttl after the bot
// last answered in it (DefaultThreadTTL when ttl <= 0) and keeps at most
// maxThreads threads (DefaultMaxThreads when <= 0), dropping the least
// recently answered first.
func NewThreads(ttl time.Duration, maxThreads int, now func() time.Time) *Threads {
	if ttl <= 0 {
		ttl = DefaultThreadTTL
	}
	if maxThreads <= 0 {
		maxThreads = DefaultMaxThreads
	}
	return &Threads{set: newExpiring(ttl, maxThreads, now)}
}

// Mark records that the bot answered in thread key, renewing its TTL.
func (t *Threads) Mark(key string) {
	t.set.mu.Lock()
	defer t.set.mu.Unlock()
	t.set.add(key, t.set.now())
}

// Active reports whether the bot answered in thread key within the TTL.
func (t *Threads) Active(key string) bool {
	t.set.mu.Lock()
	defer t.set.mu.Unlock()
	now := t.set.now()
	t.set.trim(now)
	return t.set.has(key, now)
}
