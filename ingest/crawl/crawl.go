// Package crawl keeps the index current from the web: it adds single
// article pages and polls subscribed feeds on their schedules, fetching
// through package fetch (polite and SSRF-safe), reading feeds with
// package feed and pages with ingest.ReadPage.
package crawl

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/ingest/extract"
	"github.com/byline-news/byline/ingest/fetch"
	"github.com/byline-news/byline/retrieval"
)

// Store is what the crawler needs of the database: the articles it
// indexes and the feeds it polls. Both storage backends implement it.
type Store interface {
	Put(ctx context.Context, articles []retrieval.Article) (retrieval.PutResult, error)
	Article(ctx context.Context, id string) (retrieval.Article, error)
	Feed(ctx context.Context, url string) (retrieval.FeedState, error)
	DueFeeds(ctx context.Context, now time.Time) ([]retrieval.FeedState, error)
	SaveFeedState(ctx context.Context, f retrieval.FeedState) error
}

// Leases lets processes that share a database (serve replicas) take
// turns: a feed is polled by the holder of its lease only. Both storage
// backends implement it.
type Leases = retrieval.Leaser

// Crawler fetches and indexes. It is safe for concurrent use; polls of
// one process are serialised by Run, and with Options.Leases those of
// all processes sharing the database, feed by feed.
type Crawler struct {
	ix      Store
	fetcher *fetch.Fetcher
	log     *slog.Logger
	now     func() time.Time
	tick    time.Duration
	onPoll  func(PollResult)
	leases  Leases
	holder  string
}

// Options configure a Crawler.
type Options struct {
	Index   Store
	Fetcher *fetch.Fetcher
	Logger  *slog.Logger
	Now     func() time.Time // default time.Now
	Tick    time.Duration    // how often Run looks for due feeds; default 1 minute

	// OnPoll, when set, is told the outcome of every poll of a feed
	// (serve counts them for /metrics), from the goroutine that polled.
	OnPoll func(PollResult)

	// Leases, when set, makes PollDue poll a feed only while holding its
	// lease, so that of several processes sharing the database one polls
	// it, and the others skip it: no page is fetched twice. Holder names
	// this process in them (default: host, process ID and a random part).
	Leases Leases
	Holder string
}

// New returns a Crawler.
func New(opt Options) *Crawler {
	c := &Crawler{ix: opt.Index, fetcher: opt.Fetcher, log: opt.Logger, now: opt.Now, tick: opt.Tick, onPoll: opt.OnPoll,
		leases: opt.Leases, holder: cmp.Or(opt.Holder, retrieval.NewHolder())}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.tick <= 0 {
		c.tick = time.Minute
	}
	return c
}

// AddURL fetches one article page and indexes it in its own transaction.
func (c *Crawler) AddURL(ctx context.Context, url string) (retrieval.Article, retrieval.PutResult, error) {
	a, _, err := c.page(ctx, url)
	if err != nil {
		return a, retrieval.PutResult{}, err
	}
	res, err := c.ix.Put(ctx, []retrieval.Article{a})
	if err != nil {
		return a, res, fmt.Errorf("index %s: %w", url, err)
	}
	return a, res, nil
}

// page fetches and extracts one article.
func (c *Crawler) page(ctx context.Context, url string) (retrieval.Article, time.Time, error) {
	resp, err := c.fetcher.Fetch(ctx, fetch.Request{URL: url})
	if err != nil {
		return retrieval.Article{}, time.Time{}, err
	}
	a, err := ingest.ReadPage(ingest.Page{URL: resp.URL, HTML: resp.Body, FetchedAt: c.now()})
	if errors.Is(err, extract.ErrNoArticle) {
		return retrieval.Article{}, time.Time{}, fmt.Errorf("%s: %w", url, extract.ErrNoArticle)
	}
	if err != nil {
		return retrieval.Article{}, time.Time{}, err
	}
	return a, a.Updated, nil
}

// Run polls due feeds until ctx is done.
func (c *Crawler) Run(ctx context.Context) error {
	t := time.NewTicker(c.tick)
	defer t.Stop()
	for {
		if _, err := c.PollDue(ctx); err != nil && ctx.Err() == nil {
			c.log.Error("poll feeds", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PollDue polls every feed whose next poll is due, one after another,
// and returns what each poll did. With Options.Leases, a feed another
// process is polling, or polled since it was found due, is skipped and
// has no result.
func (c *Crawler) PollDue(ctx context.Context) ([]PollResult, error) {
	due, err := c.ix.DueFeeds(ctx, c.now())
	if err != nil {
		return nil, err
	}
	var out []PollResult
	for _, f := range due {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		if c.leases == nil {
			out = append(out, c.poll(ctx, f))
		} else if res, ok := c.pollLeased(ctx, f.URL); ok {
			out = append(out, res)
		}
	}
	return out, nil
}

// nextPoll schedules the next poll: the interval with ±10% jitter so
// feeds added together drift apart, or an exponential backoff (capped at
// a day) after failures.
func nextPoll(now time.Time, every time.Duration, failures int) time.Time {
	if failures > 0 {
		back := every << min(failures, 10)
		return now.Add(min(back, 24*time.Hour))
	}
	jitter := time.Duration((rand.Float64()*0.2 - 0.1) * float64(every))
	return now.Add(every + jitter)
}
