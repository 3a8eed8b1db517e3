package bot

import (
	"container/list"
	"sync"
	"time"
)

// Cache maps keys to values that expire a fixed ttl after they were last
// set, holding at most max entries: past that, the entries closest to
// expiry go first. Entries sit in a list ordered by expiry (every set
// uses the same ttl), so expired and surplus entries are dropped from its
// front in O(1) each, without a sweeping goroutine. It is safe for
// concurrent use; adapters use it for what they must remember for a
// while (answers behind buttons, votes, conversations).
type Cache[V any] struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	order *list.List               // of *cacheEntry[V], soonest expiry first
	items map[string]*list.Element // key -> its element in order
}

type cacheEntry[V any] struct {
	key     string
	v       V
	expires time.Time
}

// NewCache returns a Cache whose entries live for ttl and that holds at
// most maxEntries, reading the time from now (time.Now when nil).
func NewCache[V any](ttl time.Duration, maxEntries int, now func() time.Time) *Cache[V] {
	if now == nil {
		now = time.Now
	}
	return &Cache[V]{ttl: ttl, max: maxEntries, now: now, order: list.New(), items: map[string]*list.Element{}}
}

// Put sets k to v, renewing its lifetime.
func (c *Cache[V]) Put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(k, v, c.now())
}

// Claim adds k unless it is present, and reports whether it added it: the
// first caller for a key wins, later ones see false until it expires. A
// losing claim does not renew the key.
func (c *Cache[V]) Claim(k string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if _, ok := c.lookup(k, now); ok {
		return false
	}
	var zero V
	c.set(k, zero, now)
	return true
}

// Get returns k's value if it has not expired.
func (c *Cache[V]) Get(k string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.trim(now)
	return c.lookup(k, now)
}

// Has reports whether k is present and unexpired.
func (c *Cache[V]) Has(k string) bool {
	_, ok := c.Get(k)
	return ok
}

// len is the number of entries held, expired ones included until trimmed.
func (c *Cache[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// lookup returns k's value if it is unexpired at now; c.mu is held.
func (c *Cache[V]) lookup(k string, now time.Time) (V, bool) {
	if el, ok := c.items[k]; ok {
		if en := el.Value.(*cacheEntry[V]); now.Before(en.expires) {
			return en.v, true
		}
	}
	var zero V
	return zero, false
}

// set stores k, or renews it, to expire ttl after now, then trims; c.mu
// is held.
func (c *Cache[V]) set(k string, v V, now time.Time) {
	if el, ok := c.items[k]; ok {
		en := el.Value.(*cacheEntry[V])
		en.v, en.expires = v, now.Add(c.ttl)
		c.order.MoveToBack(el)
	} else {
		c.items[k] = c.order.PushBack(&cacheEntry[V]{key: k, v: v, expires: now.Add(c.ttl)})
	}
	c.trim(now)
}

// trim drops expired entries and, past max, the ones closest to expiry;
// c.mu is held.
func (c *Cache[V]) trim(now time.Time) {
	for el := c.order.Front(); el != nil; el = c.order.Front() {
		en := el.Value.(*cacheEntry[V])
		if now.Before(en.expires) && len(c.items) <= c.max {
			return
		}
		c.order.Remove(el)
		delete(c.items, en.key)
	}
}
