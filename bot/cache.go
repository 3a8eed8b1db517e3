package bot

import (
	"container/list"
	"encoding/json"
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
//
// A persistent Cache (NewPersistentCache) also saves what Put sets,
// through a StateWriter, and reads what it misses from the writer's
// Store, so entries outlive the process. V must then encode as JSON.
type Cache[V any] struct {
	ttl time.Duration
	max int
	now func() time.Time
	ns  string       // the Store namespace, when persistent
	w   *StateWriter // nil: memory only

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

// NewPersistentCache is NewCache whose entries are also kept, as JSON
// under namespace ns, in w's Store: Put queues them on w, and Get reads
// a key missing from memory from the Store, so a restarted process
// still has them for the rest of their lifetime. Claim stays memory
// only. With w nil it is NewCache.
func NewPersistentCache[V any](ns string, ttl time.Duration, maxEntries int, now func() time.Time, w *StateWriter) *Cache[V] {
	c := NewCache[V](ttl, maxEntries, now)
	c.ns, c.w = ns, w
	return c
}

// Put sets k to v, renewing its lifetime.
func (c *Cache[V]) Put(k string, v V) {
	var b []byte
	if c.w != nil {
		var err error
		if b, err = json.Marshal(v); err != nil {
			c.w.log.Warn("chat state not encoded: kept in memory only", "ns", c.ns, logErr, err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.set(k, v, now)
	if b != nil { // queued under c.mu, so the Store gets Puts in memory's order
		c.w.enqueue(StateEntry{NS: c.ns, Key: k, Value: b, Expires: now.Add(c.ttl)})
	}
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

// Get returns k's value if it has not expired. A persistent cache
// reads a key missing from memory from its Store (waiting at most a
// quarter of a second; failures count as a miss).
func (c *Cache[V]) Get(k string) (V, bool) {
	c.mu.Lock()
	now := c.now()
	c.trim(now)
	v, ok := c.lookup(k, now)
	c.mu.Unlock()
	if ok || c.w == nil {
		return v, ok
	}
	return c.load(k, now)
}

// load reads k from the Store into memory, for the rest of its stored
// lifetime. c.mu is not held while the Store is read.
func (c *Cache[V]) load(k string, now time.Time) (V, bool) {
	var v V
	b, exp, ok := c.w.load(c.ns, k, now)
	if !ok {
		return v, false
	}
	if err := json.Unmarshal(b, &v); err != nil {
		c.w.log.Warn("chat state not decoded: ignored", "ns", c.ns, logErr, err)
		var zero V
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cur, ok := c.lookup(k, now); ok {
		return cur, true // a Put while the Store was read is newer
	}
	if limit := now.Add(c.ttl); exp.After(limit) {
		exp = limit // the ttl was shortened since it was stored
	}
	c.insert(k, v, exp, now)
	return v, true
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

// insert adds k, absent from memory, to expire at exp, keeping the
// order by expiry (a loaded entry expires before fresh ones), then
// trims; c.mu is held.
func (c *Cache[V]) insert(k string, v V, exp, now time.Time) {
	en := &cacheEntry[V]{key: k, v: v, expires: exp}
	el := c.order.Back()
	for el != nil && el.Value.(*cacheEntry[V]).expires.After(exp) {
		el = el.Prev()
	}
	if el == nil {
		c.items[k] = c.order.PushFront(en)
	} else {
		c.items[k] = c.order.InsertAfter(en, el)
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
