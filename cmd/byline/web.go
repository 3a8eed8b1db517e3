package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/ingest/crawl"
	"github.com/byline-news/byline/ingest/fetch"
)

// crawler builds the web crawler over ix. The allow list of private
// hosts was checked by config.Load; refusals name its setting. onPoll,
// when not nil, is told every feed poll's outcome.
func (a *app) crawler(ix store, onPoll func(crawl.PollResult)) *crawl.Crawler {
	f := fetch.New(fetch.Options{Allow: a.cfg.FetchAllow, AllowSetting: config.VarFetchAllow, Logger: a.log})
	return crawl.New(crawl.Options{Index: ix, Fetcher: f, Logger: a.log, OnPoll: onPoll,
		Leases: ix, Holder: a.leaseHolder()})
}

func runAdd(ctx context.Context, a *app, args []string) error {
	var db string
	fs := a.flags("add", "URL...", `
Fetches each article page, extracts its text, title, outlet, author and
dates, and indexes it (replacing an earlier copy of the same story).
Only http and https; private and internal addresses are refused unless
BYLINE_FETCH_ALLOW lists them (hosts or CIDRs, comma-separated).`)
	fs.StringVar(&db, "db", "", "database `file` (created if missing), or postgres:// URL")
	urls, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(urls) == 0 {
		return fmt.Errorf("%w: add needs at least one URL", errUsage)
	}
	path, _ := a.dbPath(db)
	ix, err := a.openIndex(ctx, path, true)
	if err != nil {
		return err
	}
	defer ix.Close()
	a.quietWeb()
	c := a.crawler(ix, nil)
	samples := sampleCount(ctx, ix)
	failed := 0
	for _, u := range urls {
		art, _, err := c.AddURL(ctx, u)
		if err != nil {
			failed++
			fmt.Fprintf(a.err, "byline: %v\n", err)
			continue
		}
		fmt.Fprintf(a.out, "Indexed %q · %s · %s (%s)\n", art.Title, sourceLine(art.Outlet, art.Published, ""), count(len(art.Paragraphs), "paragraph"), art.ID)
	}
	a.samplesGone(ctx, ix, samples)
	embedErr := a.embedAfterIndex(ctx, ix, false)
	if failed > 0 {
		return exitError{code: 1}
	}
	return embedErr
}

func runFeeds(ctx context.Context, a *app, args []string) error {
	var db string
	var every time.Duration
	fs := a.flags("feeds", "add|list|remove|poll [URL...]", `
Manages the RSS, Atom and JSON feeds that "byline serve" polls:
  feeds add URL [--every 15m]   poll it once now, and subscribe if that works
  feeds list                    each feed's title, interval, last poll, next poll, articles and last error
  feeds remove URL              unsubscribe (indexed articles stay)
  feeds poll [URL...]           poll now: every feed, or the ones named
Items that carry their full text are indexed from the feed; others are
fetched from their page. Feeds are fetched with conditional GET, at most
one request per second per host, and failing feeds back off.`)
	fs.StringVar(&db, "db", "", "database `file`, or postgres:// URL")
	fs.DurationVar(&every, "every", 15*time.Minute, "how often to poll the feed (feeds add)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return fmt.Errorf("%w: feeds needs add, list, remove or poll", errUsage)
	}
	path, _ := a.dbPath(db)
	ix, err := a.openIndex(ctx, path, rest[0] == "add")
	if err != nil {
		return err
	}
	defer ix.Close()
	switch rest[0] {
	case "add":
		return a.feedsAdd(ctx, ix, rest[1:], every)
	case "list":
		return a.feedsList(ctx, ix)
	case "remove":
		return a.feedsRemove(ctx, ix, rest[1:])
	case "poll":
		return a.feedsPoll(ctx, ix, rest[1:])
	}
	return fmt.Errorf("%w: unknown feeds command %q: use add, list, remove or poll", errUsage, rest[0])
}

func checkFeedURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: %q is not an http(s) URL", errUsage, raw)
	}
	return nil
}

func (a *app) feedsAdd(ctx context.Context, ix store, urls []string, every time.Duration) error {
	if len(urls) == 0 {
		return fmt.Errorf("%w: feeds add needs a URL", errUsage)
	}
	if every < time.Minute {
		return fmt.Errorf("%w: --every must be at least 1m", errUsage)
	}
	for _, u := range urls {
		if err := checkFeedURL(u); err != nil {
			return err
		}
	}
	a.quietWeb()
	c := a.crawler(ix, nil)
	samples := sampleCount(ctx, ix)
	failed := 0
	for _, u := range urls {
		line, err := subscribe(ctx, ix, c, u, every, time.Now())
		if err != nil {
			failed++
			fmt.Fprintf(a.err, "byline: %v\n", aboutURL(u, err))
			continue
		}
		fmt.Fprintf(a.out, "Subscribed to %s, polled every %s. %s\n", u, every, line)
	}
	a.samplesGone(ctx, ix, samples)
	embedErr := a.embedAfterIndex(ctx, ix, false)
	if failed > 0 {
		return exitError{code: 1}
	}
	return embedErr
}

// subscribe adds the feed and polls it once; when that first poll fails
// (a refused address, no feed at the URL, a server error) the feed is
// not kept, and the one error says why (without naming u unless the
// failure does: callers name it).
func subscribe(ctx context.Context, ix store, c *crawl.Crawler, u string, every time.Duration, now time.Time) (string, error) {
	_, err := ix.Feed(ctx, u)
	had := err == nil // adding it again changes only the interval
	if err := ix.AddFeed(ctx, u, every, now); err != nil {
		return "", err
	}
	res, err := c.Poll(ctx, u)
	if err == nil {
		err = res.Err
	}
	if err != nil && had {
		return "", fmt.Errorf("%w (still subscribed, as before)", err)
	}
	if err != nil {
		if rerr := ix.RemoveFeed(context.WithoutCancel(ctx), u); rerr != nil {
			return "", fmt.Errorf("%w (and it could not be unsubscribed: %v)", err, rerr)
		}
		return "", fmt.Errorf("%w; not subscribed", err)
	}
	return pollLine(res), nil
}

// quietWeb keeps the fetcher's and crawler's warnings out of add and
// feeds, which report each failure themselves, once; BYLINE_LOG_LEVEL=debug
// shows them again.
func (a *app) quietWeb() {
	if a.cfg.LogLevel > slog.LevelDebug {
		a.log = slog.New(slog.NewTextHandler(a.err, &slog.HandlerOptions{Level: max(a.cfg.LogLevel, slog.LevelError)}))
	}
}

func (a *app) feedsRemove(ctx context.Context, ix store, urls []string) error {
	if len(urls) == 0 {
		return fmt.Errorf("%w: feeds remove needs a URL (see byline feeds list)", errUsage)
	}
	for _, u := range urls {
		if err := ix.RemoveFeed(ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "Unsubscribed from %s.\n", u)
	}
	return nil
}

func (a *app) feedsPoll(ctx context.Context, ix store, urls []string) error {
	a.quietWeb()
	c := a.crawler(ix, nil)
	samples := sampleCount(ctx, ix)
	if len(urls) == 0 {
		feeds, err := ix.Feeds(ctx)
		if err != nil {
			return err
		}
		for _, f := range feeds {
			urls = append(urls, f.URL)
		}
	}
	failed := 0
	for _, u := range urls {
		res, err := c.Poll(ctx, u)
		if err == nil {
			err = res.Err
		}
		if err != nil {
			failed++
			fmt.Fprintf(a.err, "byline: %v\n", aboutURL(u, err))
			continue
		}
		fmt.Fprintln(a.out, pollLine(res))
	}
	a.samplesGone(ctx, ix, samples)
	embedErr := a.embedAfterIndex(ctx, ix, false)
	if failed > 0 {
		return exitError{code: 1}
	}
	return embedErr
}

func pollLine(r crawl.PollResult) string {
	name := r.Feed
	if r.Title != "" {
		name = r.Title + " (" + r.Feed + ")"
	}
	if r.NotModified {
		return name + ": not modified since the last poll"
	}
	return fmt.Sprintf("%s: %s, %d indexed, %d already indexed, %d failed", name, count(r.Items, "item"), r.Indexed, r.Skipped, r.Failed)
}

func (a *app) feedsList(ctx context.Context, ix store) error {
	feeds, err := ix.Feeds(ctx)
	if err != nil {
		return err
	}
	if len(feeds) == 0 {
		fmt.Fprintln(a.err, "byline: no feeds yet: byline feeds add URL")
		return nil
	}
	w := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "URL\tTITLE\tEVERY\tLAST POLL\tNEXT POLL\tARTICLES\tSTATUS")
	for _, f := range feeds {
		status := "ok"
		if f.Failures > 0 {
			status = fmt.Sprintf("failing ×%d: %s", f.Failures, clip(f.LastError, 80))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", termSafe(f.URL), termSafe(clip(f.Title, 40)), f.Every, stamp(f.LastPolled),
			stamp(f.NextPoll), f.Articles, termSafe(status))
	}
	return w.Flush()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// aboutURL names u in err, unless err names it already ("fetch u: …").
func aboutURL(u string, err error) error {
	if strings.Contains(err.Error(), u) {
		return err
	}
	return fmt.Errorf("%s: %w", u, err)
}
