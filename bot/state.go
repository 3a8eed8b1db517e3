package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Store keeps chat state (threads, answers behind buttons) across
// restarts. LoadState reports ok false for a value missing or expired
// by now.
type Store interface {
	LoadState(ctx context.Context, ns, key string, now time.Time) (value []byte, expires time.Time, ok bool, err error)
	SaveStates(ctx context.Context, entries []StateEntry) error
}

// StateEntry is one value to store under a namespace (one per cache,
// such as "slack.threads") and key, until Expires.
type StateEntry struct {
	NS, Key string
	Value   []byte
	Expires time.Time
}

// StateWriter timings and bounds.
const (
	stateFlushEvery = 500 * time.Millisecond
	stateFlushBatch = 256    // flush at once when this many are queued
	stateQueueMax   = 10_000 // past this, entries are dropped: it is a cache

	stateLoadTimeout  = 250 * time.Millisecond // a read-through on a cache miss
	stateSaveTimeout  = 10 * time.Second       // covers the store's busy timeout
	stateFinalTimeout = 3 * time.Second        // the flush on shutdown
)

// StateWriter saves persistent caches' entries to a Store in batches,
// from Run, so answering never waits for a database write: one
// transaction (one fsync) every half second at most, or sooner once 256
// entries are queued. A later value for a queued key replaces the
// queued one. Entries are in memory until flushed, so a crash loses at
// most the last half second. It is safe for concurrent use.
type StateWriter struct {
	store Store
	log   *slog.Logger

	every                     time.Duration // tests change these
	batch, limit              int
	saveTimeout, finalTimeout time.Duration

	mu      sync.Mutex
	queue   []StateEntry
	at      map[stateKey]int // index in queue of each queued key
	dropped int              // entries dropped since the last warning
	failing bool             // the last save failed (logged once)
	full    chan struct{}    // a batch is queued: flush now
}

type stateKey struct{ ns, key string }

// NewStateWriter returns a writer to store, logging to log (slog.Default
// when nil). Run must run for entries to be saved.
func NewStateWriter(store Store, log *slog.Logger) *StateWriter {
	if log == nil {
		log = slog.Default()
	}
	return &StateWriter{store: store, log: log, every: stateFlushEvery, batch: stateFlushBatch, limit: stateQueueMax,
		saveTimeout: stateSaveTimeout, finalTimeout: stateFinalTimeout, at: map[stateKey]int{}, full: make(chan struct{}, 1)}
}

// Run saves queued entries until ctx is done, then saves what is left
// (within a few seconds of its own) and returns nil. Stop it only after
// everything that writes through it has stopped.
func (w *StateWriter) Run(ctx context.Context) error {
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.finalTimeout)
			defer cancel()
			w.flush(fctx)
			if n := w.pending(); n > 0 {
				w.log.Warn("chat state not saved on shutdown: these threads and buttons will be forgotten", "entries", n)
			}
			return nil
		case <-tick.C:
		case <-w.full:
		}
		// A save in progress is not cut short by shutdown: it would only
		// be retried by the final flush.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.saveTimeout)
		w.flush(sctx)
		cancel()
	}
}

// enqueue queues e, replacing a queued value for the same key.
func (w *StateWriter) enqueue(e StateEntry) {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := stateKey{e.NS, e.Key}
	if i, ok := w.at[k]; ok {
		w.queue[i] = e
		return
	}
	if len(w.queue) >= w.limit {
		if w.dropped == 0 {
			w.log.Warn("chat state queue full: dropping entries until the database catches up", "queued", len(w.queue))
		}
		w.dropped++
		return
	}
	w.at[k] = len(w.queue)
	w.queue = append(w.queue, e)
	if len(w.queue) >= w.batch {
		select {
		case w.full <- struct{}{}:
		default:
		}
	}
}

// pending is the number of entries queued.
func (w *StateWriter) pending() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.queue)
}

// take empties the queue and returns what it held.
func (w *StateWriter) take() []StateEntry {
	w.mu.Lock()
	defer w.mu.Unlock()
	q := w.queue
	w.queue, w.at = nil, map[stateKey]int{}
	if w.dropped > 0 {
		w.log.Warn("chat state entries dropped: the queue was full", "dropped", w.dropped)
		w.dropped = 0
	}
	return q
}

// flush saves the queued entries in one call. On failure they are
// queued again, behind any newer values for their keys, to be retried.
func (w *StateWriter) flush(ctx context.Context) {
	q := w.take()
	if len(q) == 0 {
		return
	}
	err := w.store.SaveStates(ctx, q)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		if w.failing {
			w.log.Info("chat state saved again", "entries", len(q))
		}
		w.failing = false
		return
	}
	if !w.failing {
		w.log.Error("chat state not saved; retrying (threads and buttons answered now may be forgotten on restart)", "entries", len(q), "err", err)
	}
	w.failing = true
	w.requeue(q)
}

// requeue puts back entries whose keys have no newer value queued, as
// room allows; w.mu is held.
func (w *StateWriter) requeue(q []StateEntry) {
	for _, e := range q {
		k := stateKey{e.NS, e.Key}
		if _, newer := w.at[k]; newer || len(w.queue) >= w.limit {
			continue
		}
		w.at[k] = len(w.queue)
		w.queue = append(w.queue, e)
	}
}

// load reads ns/key from the store, within stateLoadTimeout; errors are
// logged and count as a miss.
func (w *StateWriter) load(ns, key string, now time.Time) ([]byte, time.Time, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), stateLoadTimeout)
	defer cancel()
	v, exp, ok, err := w.store.LoadState(ctx, ns, key, now)
	if err != nil {
		w.log.Warn("chat state not read", "ns", ns, logErr, err)
		return nil, time.Time{}, false
	}
	return v, exp, ok && now.Before(exp)
}
