package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
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
}

// WatcherOptions configures a Watcher. Zero fields take defaults.
type WatcherOptions struct {
	Store  WatchSource // required
	Poster Poster      // required
	// Leaser, when set, is the database replicas share: one of them at
	// a time runs the rounds. Nil runs them here regardless.
	Leaser retrieval.Leaser
	Holder string // this process in leases, default retrieval.NewHolder()

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
	// failing holds the channels whose last post failed (the bot was
	// removed, the platform is down) until when to try again, so a dead
	// channel costs a log line a minute, not one a round.
	failing map[Channel]time.Time
	version int64 // of the watches the percolator holds; -1: none yet
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

// deliver posts the pending stories, channel by channel.
func (w *Watcher) deliver(ctx context.Context) error {
	pending, err := w.opt.Store.PendingWatchHits(ctx)
	if err != nil || len(pending) == 0 {
		return err
	}
	var order []Channel
	byChannel := map[Channel][]retrieval.WatchHit{}
	for _, h := range pending {
		ch := Channel{Platform: h.Platform, Workspace: h.Workspace, ID: h.Channel}
		if _, ok := byChannel[ch]; !ok {
			order = append(order, ch)
		}
		byChannel[ch] = append(byChannel[ch], h)
	}
	var errs []error
	now := w.opt.Now()
	for _, ch := range order {
		if now.Before(w.failing[ch]) {
			continue
		}
		delete(w.failing, ch)
		if err := w.deliverTo(ctx, ch, byChannel[ch]); err != nil {
			w.failing[ch] = now.Add(failedChannelWait)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// deliverTo posts a channel's pending stories within its rate limit:
// one post each while they fit, else as many as fit less one, and the
// rest in one digest. With no room left they wait for the window to
// move, and then go out in one digest. A story that several of the
// channel's watches found is one post.
func (w *Watcher) deliverTo(ctx context.Context, ch Channel, hits []retrieval.WatchHit) error {
	now := w.opt.Now()
	sent, err := w.opt.Store.ChannelPostsSince(ctx, ch.Platform, ch.Workspace, ch.ID, now.Add(-watchWindow))
	if err != nil {
		return err
	}
	room := w.opt.Rate - sent
	if room <= 0 {
		return nil
	}
	singles := stories(hits)
	var rest [][]retrieval.WatchHit
	if len(singles) > room {
		singles, rest = singles[:room-1], singles[room-1:]
	}
	for _, s := range singles {
		if err := w.post(ctx, ch, watchReply(s), hitIDs(s)); err != nil {
			return err
		}
	}
	if len(rest) == 0 {
		return nil
	}
	var ids []int64
	for _, s := range rest {
		ids = append(ids, hitIDs(s)...)
	}
	return w.post(ctx, ch, digestReply(rest, w.opt.Rate), ids)
}

// stories groups a channel's hits by story, in order of first hit.
func stories(hits []retrieval.WatchHit) [][]retrieval.WatchHit {
	var out [][]retrieval.WatchHit
	for _, h := range hits {
		n := retrieval.NewArticle{Article: retrieval.Article{ID: h.Article}, Simhash: h.Simhash}
		i := slices.IndexFunc(out, func(s []retrieval.WatchHit) bool { return sameStory(s[0], n) })
		if i < 0 {
			out = append(out, []retrieval.WatchHit{h})
			continue
		}
		out[i] = append(out[i], h)
	}
	return out
}

func hitIDs(hits []retrieval.WatchHit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// post sends r and records that it carried the hits ids. Should the
// record fail after the post, the stories would go out again: the
// record is tried with a context of its own.
func (w *Watcher) post(ctx context.Context, ch Channel, r Reply, ids []int64) error {
	if err := w.opt.Poster.Post(ctx, ch, r); err != nil {
		w.metrics.failures.Inc()
		return fmt.Errorf("post to %s: %w", ch, err)
	}
	w.metrics.posts.WithLabelValues(r.Kind.String()).Inc()
	w.lg.Info("watch posted", logPlatform, ch.Platform, logChannel, ch.ID, logKind, r.Kind.String(), "stories", len(ids))
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return w.opt.Store.MarkWatchHitsSent(rctx, ids, w.opt.Now())
}

// storySource is a found story as a Reply's source.
func storySource(n int, h retrieval.WatchHit) Source {
	return Source{N: n, Hit: retrieval.Hit{Text: h.Sentence, Article: retrieval.Article{
		ID: h.Article, Title: h.Title, URL: h.URL, Outlet: h.Outlet, Published: h.Published}}}
}

// watchReply is one story, for the watches that found it.
func watchReply(story []retrieval.WatchHit) Reply {
	topics := make([]string, len(story))
	for i, h := range story {
		topics[i] = "“" + h.Topic + "”"
	}
	return Reply{Kind: KindWatch, Question: story[0].Topic, Text: "New on " + strings.Join(topics, " and ") + ":",
		Sources: []Source{storySource(1, story[0])}}
}

// digestReply gathers the stories the rate limit held back.
func digestReply(stories [][]retrieval.WatchHit, rate int) Reply {
	srcs := make([]Source, len(stories))
	for i, s := range stories {
		srcs[i] = storySource(i+1, s[0])
	}
	text := fmt.Sprintf("%d more stories on this channel's watches (more than the %d posts an hour I make here):", len(stories), rate)
	return Reply{Kind: KindDigest, Text: text, Sources: srcs}
}

// Posters routes each post to the Poster of its channel's platform.
type Posters map[string]Poster

// Post posts r through the poster of ch.Platform.
func (p Posters) Post(ctx context.Context, ch Channel, r Reply) error {
	if to, ok := p[ch.Platform]; ok {
		return to.Post(ctx, ch, r)
	}
	return fmt.Errorf("no chat platform %q to post to %s", ch.Platform, ch)
}
