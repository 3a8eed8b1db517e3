package slack

import (
	"sync"
	"time"
)

// ttlCache maps keys to values that expire a fixed time after they were
// last set, and holds at most max entries: when full, the entries closest
// to expiry go first. It is safe for concurrent use.
type ttlCache[V any] struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	items map[string]ttlItem[V]
	order []ttlKey // in setting order, which is expiry order as ttl is fixed
}

type ttlItem[V any] struct {
	v   V
	exp time.Time
}

type ttlKey struct {
	key string
	exp time.Time
}

func newTTLCache[V any](ttl time.Duration, max int, now func() time.Time) *ttlCache[V] {
	return &ttlCache[V]{ttl: ttl, max: max, now: now, items: make(map[string]ttlItem[V])}
}

// put sets k to v, renewing its lifetime.
func (c *ttlCache[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(k, v, c.now())
}

// claim adds k unless it is present, and reports whether it added it: the
// first caller for a key wins, later ones see false until it expires.
func (c *ttlCache[V]) claim(k string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if it, ok := c.items[k]; ok && now.Before(it.exp) {
		return false
	}
	var zero V
	c.set(k, zero, now)
	return true
}

// get returns k's value if it has not expired.
func (c *ttlCache[V]) get(k string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[k]
	if !ok || !c.now().Before(it.exp) {
		var zero V
		return zero, false
	}
	return it.v, true
}

// has reports whether k is present and unexpired.
func (c *ttlCache[V]) has(k string) bool {
	_, ok := c.get(k)
	return ok
}

// len is the number of entries held, expired ones included until swept.
func (c *ttlCache[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// set stores the entry and sweeps; c.mu is held.
func (c *ttlCache[V]) set(k string, v V, now time.Time) {
	exp := now.Add(c.ttl)
	c.items[k] = ttlItem[V]{v: v, exp: exp}
	c.order = append(c.order, ttlKey{key: k, exp: exp})
	c.sweep(now)
}

// sweep drops expired entries, then the oldest while over max; c.mu is
// held. A key set again has several order entries; only the one matching
// its current expiry removes it.
func (c *ttlCache[V]) sweep(now time.Time) {
	for len(c.order) > 0 {
		head := c.order[0]
		if now.Before(head.exp) && len(c.items) <= c.max {
			return
		}
		c.order[0] = ttlKey{}
		c.order = c.order[1:]
		if it, ok := c.items[head.key]; ok && it.exp.Equal(head.exp) {
			delete(c.items, head.key)
		}
	}
}
