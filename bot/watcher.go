package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
	"github.com/byline-news/byline/retrieval/percolate"
)

// Defaults of the watch loop.
const (
	DefaultWatchRate  = 6 // posts per channel per hour
	DefaultWatchEvery = 5 * time.Second
	// watchWindow is the rate limit's window.
	watchWindow = time.Hour
	// watchBatch is how many new articles a round reads at once.
	watchBatch = 200
	// storyMemory is how long a watch remembers the stories it posted,
	// to recognise a syndicated copy: copies come within days.
	storyMemory = 30 * 24 * time.Hour
	// watchLease names the lease one replica holds to run the loop.
	watchLease = "watches"
	watchTTL   = time.Minute
	// failedChannelWait is how long a channel whose post failed waits
	// before its stories are tried again.
	failedChannelWait = time.Minute
)

// WatchSource is what the watch loop reads and writes; both storage
// backends implement it.
type WatchSource interface {
	AllWatches(ctx context.Context) ([]retrieval.Watch, error)
	WatchesVersion(ctx context.Context) (int64, error)
	WatchCursor(ctx context.Context) (int64, error)
	SetWatchCursor(ctx context.Context, doc int64) error
	ArticlesAfter(ctx context.Context, doc int64, limit int) ([]retrieval.NewArticle, error)
	RecordWatchHits(ctx context.Context, hits []retrieval.WatchHit, cursor int64) (int, error)
	WatchHits(ctx context.Context, watch int64, since time.Time) ([]retrieval.WatchHit, error)
	PendingWatchHits(ctx context.Context) ([]retrieval.WatchHit, error)
	MarkWatchHitsSent(ctx context.Context, ids []int64, at time.Time) error
	ChannelPostsSince(ctx context.Context, platform, workspace, channel string, since time.Time) (int, error)
	// RemoveChannelWatches deletes a channel's watches with their
	// stories, returning how many watches there were.
	RemoveChannelWatches(ctx context.Context, platform, workspace, channel string) (int, error)
}

// WatcherOptions configures a Watcher. Zero fields take defaults.
type WatcherOptions struct {
	Store  WatchSource // required
	Poster Poster      // required
	// Leaser, when set, is the database replicas share: one of them at
	// a time runs the rounds. Nil runs them here regardless.
	Leaser retrieval.Leaser
	Holder string // this process in leases, default retrieval.NewHolder()

	// Scope, when set, gives a channel's sources (Bot.Scope): a watch
	// matches only articles within its channel's sources. Nil: all.
	Scope func(ctx context.Context, ch Channel) (retrieval.Scope, error)

	Rate   int           // posts per channel per hour, default DefaultWatchRate
	Every  time.Duration // between rounds, default DefaultWatchEvery
	Now    func() time.Time
	Logger *slog.Logger
}

// Watcher is the watch loop: each round it reads the articles indexed
// since the last (by any process: feed polls, /news add, byline index),
// matches them against the watches through a percolator, records each
// story once per watch, and posts what is pending within each channel's
// rate limit, what is over it in one digest. Everything it knows is in
// the database, so a restart, or another replica taking over, goes on
// where it stopped.
type Watcher struct {
	opt WatcherOptions
	lg  *slog.Logger

	started bool // the cursor was stored by this process
	// failing holds the channels whose last post failed for a reason
	// that may pass (the platform is down, rate limits) until when to
	// try again, so such a channel costs a log line a minute, not one a
	// round. A channel gone for good loses its watches instead.
	failing map[Channel]time.Time
	version int64                       // of the watches the percolator holds; -1: none yet
	scopes  map[Channel]retrieval.Scope // channels' sources, read once per batch
	perc    *percolate.Percolator
	watches map[int64]retrieval.Watch

	metrics *watchMetrics
}

// NewWatcher returns a Watcher; Run runs it.
func NewWatcher(opt WatcherOptions) (*Watcher, error) {
	if opt.Store == nil || opt.Poster == nil {
		return nil, errors.New("bot: WatcherOptions needs a Store and a Poster")
	}
	if opt.Rate <= 0 {
		opt.Rate = DefaultWatchRate
	}
	if opt.Every <= 0 {
		opt.Every = DefaultWatchEvery
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Holder == "" {
		opt.Holder = retrieval.NewHolder()
	}
	return &Watcher{opt: opt, lg: opt.Logger.With("task", "watches"), version: -1, failing: map[Channel]time.Time{},
		metrics: newWatchMetrics()}, nil
}

// Run runs a round every opt.Every until ctx is done. A failed round is
// logged and tried again at the next.
func (w *Watcher) Run(ctx context.Context) error {
	t := time.NewTicker(w.opt.Every)
	defer t.Stop()
	for {
		if err := w.leasedRound(ctx); err != nil && ctx.Err() == nil {
			w.lg.Warn("watch round failed", logErr, err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// leasedRound runs a round while holding the replicas' lease, or skips
// it when another replica holds it.
func (w *Watcher) leasedRound(ctx context.Context) error {
	if w.opt.Leaser == nil {
		return w.Round(ctx)
	}
	var err error
	_, lerr := retrieval.HoldLease(ctx, w.opt.Leaser, watchLease, w.opt.Holder, watchTTL, w.opt.Now,
		func(ctx context.Context) { err = w.Round(ctx) })
	return errors.Join(lerr, err)
}

// Round matches what was indexed since the last round, then posts.
func (w *Watcher) Round(ctx context.Context) error {
	if err := w.load(ctx); err != nil {
		return err
	}
	if err := w.match(ctx); err != nil {
		return err
	}
	return w.deliver(ctx)
}

// load rebuilds the percolator when the watches changed.
func (w *Watcher) load(ctx context.Context) error {
	v, err := w.opt.Store.WatchesVersion(ctx)
	if err != nil || v == w.version {
		return err
	}
	all, err := w.opt.Store.AllWatches(ctx)
	if err != nil {
		return err
	}
	w.watches = make(map[int64]retrieval.Watch, len(all))
	for _, x := range all {
		w.watches[x.ID] = x
	}
	w.perc, w.version = percolate.New(all), v
	w.lg.Debug("watches loaded", "watches", w.perc.Len())
	return nil
}

// match reads the new articles in batches, and records what each
// batch matched with the cursor past it, in one transaction.
func (w *Watcher) match(ctx context.Context) error {
	cursor, err := w.opt.Store.WatchCursor(ctx)
	if err != nil {
		return err
	}
	if !w.started {
		// Before the first round ever, the cursor is where the oldest
		// watch starts, or the newest article, which moves as articles
		// come: store it, so none is missed.
		if err := w.opt.Store.SetWatchCursor(ctx, cursor); err != nil {
			return err
		}
		w.started = true
	}
	for {
		batch, err := w.opt.Store.ArticlesAfter(ctx, cursor, watchBatch)
		if err != nil || len(batch) == 0 {
			return err
		}
		var hits []retrieval.WatchHit
		w.scopes = map[Channel]retrieval.Scope{} // sources may change between batches
		for _, n := range batch {
			if hits, err = w.matchOne(ctx, n, hits); err != nil {
				return err
			}
		}
		cursor = batch[len(batch)-1].Doc
		added, err := w.opt.Store.RecordWatchHits(ctx, hits, cursor)
		if err != nil {
			return err
		}
		w.metrics.stories.Add(float64(added))
		if len(batch) < watchBatch {
			return nil
		}
	}
}

// matchOne adds to hits a story for each watch n matches, unless the
// watch has it, or a copy of it, already (stored, or in hits).
func (w *Watcher) matchOne(ctx context.Context, n retrieval.NewArticle, hits []retrieval.WatchHit) ([]retrieval.WatchHit, error) {
	for _, m := range w.perc.Match(n.Article) {
		watch, ok := w.watches[m.Watch]
		if !ok || n.Doc <= watch.FromDoc {
			continue // set after this article was indexed
		}
		if slices.ContainsFunc(hits, func(h retrieval.WatchHit) bool { return h.Watch == watch.ID && sameStory(h, n) }) {
			continue
		}
		in, err := w.inScope(ctx, watch, n.Article)
		if err != nil {
			return hits, err
		}
		if !in {
			continue // not from a source the channel answers from
		}
		seen, err := w.seen(ctx, watch.ID, n)
		if err != nil {
			return hits, err
		}
		if seen {
			continue
		}
		a := n.Article
		hits = append(hits, retrieval.WatchHit{Watch: watch.ID, Article: a.ID, Simhash: n.Simhash, Title: a.Title, URL: a.URL,
			Outlet: a.Outlet, Published: a.Published, Sentence: m.Sentence, Found: w.opt.Now()})
	}
	return hits, nil
}

// inScope reports whether a is among the sources of watch's channel.
func (w *Watcher) inScope(ctx context.Context, watch retrieval.Watch, a retrieval.Article) (bool, error) {
	if w.opt.Scope == nil {
		return true, nil
	}
	ch := Channel{Platform: watch.Platform, Workspace: watch.Workspace, ID: watch.Channel}
	scope, ok := w.scopes[ch]
	if !ok {
		var err error
		if scope, err = w.opt.Scope(ctx, ch); err != nil {
			return false, fmt.Errorf("sources of %s: %w", ch, err)
		}
		w.scopes[ch] = scope
	}
	return scope.Holds(a.Outlet, a.Feed, a.Category), nil
}

// seen reports whether watch has the story n already stored.
func (w *Watcher) seen(ctx context.Context, watch int64, n retrieval.NewArticle) (bool, error) {
	hits, err := w.opt.Store.WatchHits(ctx, watch, w.opt.Now().Add(-storyMemory))
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(hits, func(h retrieval.WatchHit) bool { return sameStory(h, n) }), nil
}

// sameStory reports whether n is the story of h: the same article, or a
// syndicated copy (near-identical SimHash).
func sameStory(h retrieval.WatchHit, n retrieval.NewArticle) bool {
	return h.Article == n.Article.ID || engine.NearCopies(h.Simhash, n.Simhash)
}
