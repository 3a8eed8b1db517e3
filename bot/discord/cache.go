package discord

import (
	"sync"
	"time"
)

// ttlCache maps keys to values that expire a fixed time after they were
// last set, and holds at most max entries: when full, the entries closest
// to expiry go first. It is safe for concurrent use. (bot/slack has the
// same cache; bot's own expiring set holds keys only.)
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
	now := c.now()
	exp := now.Add(c.ttl)
	c.items[k] = ttlItem[V]{v: v, exp: exp}
	c.order = append(c.order, ttlKey{key: k, exp: exp})
	c.sweep(now)
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
