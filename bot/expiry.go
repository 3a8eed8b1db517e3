package bot

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

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
// answered once. A shared Dedup (NewSharedDedup) also claims keys in a
// database that other processes use, so that replicas behind one load
// balancer answer a delivery once, whichever of them gets it and its
// retries. It is safe for concurrent use.
type Dedup struct {
	set *Cache[struct{}]

	ns      string // the claims' namespace
	claims  Claims // nil: this process only
	log     *slog.Logger
	failing atomic.Bool // the last claim failed (logged once)
}

// Claims records, in a database several processes share, that a key is
// being handled: Claim reports false when another process (or an
// earlier delivery) claimed ns/key and its claim has not expired. Both
// storage backends implement it.
type Claims interface {
	Claim(ctx context.Context, ns, key string, now, expires time.Time) (bool, error)
}

// claimTimeout bounds a shared claim: it delays the answer, and past it
// the question is answered anyway.
const claimTimeout = time.Second

// NewDedup returns a Dedup that remembers keys for ttl (DefaultDedupTTL
// when ttl <= 0), reading the time from now (time.Now when nil).
func NewDedup(ttl time.Duration, now func() time.Time) *Dedup {
	return NewSharedDedup("", ttl, now, nil, nil)
}

// NewSharedDedup is NewDedup whose Seen also claims keys, under
// namespace ns, in claims, logging to log (slog.Default when nil). The
// memory is asked first, so a retry to the same process costs no
// database round trip. With claims nil it is NewDedup.
func NewSharedDedup(ns string, ttl time.Duration, now func() time.Time, claims Claims, log *slog.Logger) *Dedup {
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	if log == nil {
		log = slog.Default()
	}
	return &Dedup{set: NewCache[struct{}](ttl, maxDedupKeys, now), ns: ns, claims: claims, log: log}
}

// Seen reports whether key was seen in the last ttl, by this process or,
// for a shared Dedup, by any process claiming in the same database, and
// marks it seen. A repeat does not extend the first sighting's TTL, so a
// key retried forever is still forgotten eventually. When the database
// cannot be asked, the key counts as new: answering twice beats not
// answering.
func (d *Dedup) Seen(key string) bool {
	if d.SeenHere(key) {
		return true
	}
	if d.claims == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), claimTimeout)
	defer cancel()
	now := d.set.now()
	won, err := d.claims.Claim(ctx, d.ns, key, now, now.Add(d.set.ttl))
	if err != nil {
		if !d.failing.Swap(true) {
			d.log.Warn("shared dedup failed: answering without it (another replica may answer the same delivery)", "ns", d.ns, logErr, err)
		}
		return false
	}
	if d.failing.Swap(false) {
		d.log.Info("shared dedup works again", "ns", d.ns)
	}
	return !won
}

// SeenHere is Seen for this process only: for keys a shared Dedup need
// not claim in the database, because a key claimed later covers them.
func (d *Dedup) SeenHere(key string) bool { return !d.set.Claim(key) }

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
