package bot

import "time"

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
type Dedup struct{ set *Cache[struct{}] }

// NewDedup returns a Dedup that remembers keys for ttl (DefaultDedupTTL
// when ttl <= 0), reading the time from now (time.Now when nil).
func NewDedup(ttl time.Duration, now func() time.Time) *Dedup {
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	return &Dedup{set: NewCache[struct{}](ttl, maxDedupKeys, now)}
}

// Seen reports whether key was seen in the last ttl, and marks it seen.
// A repeat does not extend the first sighting's TTL, so a key retried
// forever is still forgotten eventually.
func (d *Dedup) Seen(key string) bool { return !d.set.Claim(key) }

// Threads remembers the threads the bot has answered in, so that replies
// there are answered without a new mention, as users asked for. Memory is
// bounded by a TTL and a maximum count. It is safe for concurrent use.
type Threads struct{ set *Cache[struct{}] }

// NewThreads returns a Threads that forgets a thread ttl after the bot
// last answered in it (DefaultThreadTTL when ttl <= 0) and keeps at most
// maxThreads threads (DefaultMaxThreads when <= 0), dropping the least
// recently answered first.
func NewThreads(ttl time.Duration, maxThreads int, now func() time.Time) *Threads {
	return NewPersistentThreads("", ttl, maxThreads, now, nil)
}

// NewPersistentThreads is NewThreads whose threads are also kept in w's
// Store under namespace ns (see NewPersistentCache), so replies in a
// thread answered before a restart are still answered. With w nil it is
// NewThreads.
func NewPersistentThreads(ns string, ttl time.Duration, maxThreads int, now func() time.Time, w *StateWriter) *Threads {
	if ttl <= 0 {
		ttl = DefaultThreadTTL
	}
	if maxThreads <= 0 {
		maxThreads = DefaultMaxThreads
	}
	return &Threads{set: NewPersistentCache[struct{}](ns, ttl, maxThreads, now, w)}
}

// Mark records that the bot answered in thread key, renewing its TTL.
func (t *Threads) Mark(key string) { t.set.Put(key, struct{}{}) }

// Active reports whether the bot answered in thread key within the TTL.
func (t *Threads) Active(key string) bool { return t.set.Has(key) }
