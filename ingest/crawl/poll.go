package crawl

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/byline-news/byline/ingest/feed"
	"github.com/byline-news/byline/ingest/fetch"
	"github.com/byline-news/byline/retrieval"
)

// PollResult says what one poll of a feed did.
type PollResult struct {
	Feed        string
	Title       string
	NotModified bool // the server said nothing changed (304)
	Items       int  // items in the feed
	Indexed     int  // articles added or replaced
	Skipped     int  // items already indexed and not updated
	Failed      int  // items whose page could not be fetched or read
	Err         error
}

// Poll polls one subscribed feed now.
func (c *Crawler) Poll(ctx context.Context, url string) (PollResult, error) {
	f, err := c.ix.Feed(ctx, url)
	if err != nil {
		return PollResult{Feed: url}, err
	}
	return c.poll(ctx, f), nil
}

// poll fetches f (conditionally), indexes its new and updated items in
// one transaction, and records the outcome and the next poll time.
func (c *Crawler) poll(ctx context.Context, f retrieval.FeedState) PollResult {
	res := PollResult{Feed: f.URL, Title: f.Title}
	err := c.pollFeed(ctx, &f, &res)
	now := c.now()
	f.LastPolled = now
	if err != nil {
		res.Err = err
		f.Failures++
		f.LastError = err.Error()
		c.log.Warn("feed poll failed", "feed", f.URL, "failures", f.Failures, "err", err)
	} else {
		f.Failures, f.LastError = 0, ""
	}
	f.NextPoll = nextPoll(now, f.Every, f.Failures)
	if err := c.ix.SaveFeedState(ctx, f); err != nil && !errors.Is(err, retrieval.ErrNotFound) {
		c.log.Error("save feed state", "feed", f.URL, "err", err)
	}
	if c.onPoll != nil {
		c.onPoll(res)
	}
	return res
}

func (c *Crawler) pollFeed(ctx context.Context, f *retrieval.FeedState, res *PollResult) error {
	resp, err := c.fetcher.Fetch(ctx, fetch.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified})
	if err != nil {
		return err
	}
	if resp.NotModified {
		res.NotModified = true
		return nil
	}
	parsed, err := feed.ParseFrom(resp.Body, resp.URL)
	if err != nil {
		return fmt.Errorf("%s: %w", f.URL, err)
	}
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	if parsed.Title != "" {
		f.Title, res.Title = parsed.Title, parsed.Title
	}
	res.Items = len(parsed.Items)
	arts := c.items(ctx, parsed, res)
	if len(arts) == 0 {
		return ctx.Err()
	}
	for i := range arts {
		// As subscribed, not as redirected: it is what channels name.
		arts[i].Feed = f.URL
	}
	put, err := c.ix.Put(ctx, arts)
	if err != nil {
		return fmt.Errorf("index items of %s: %w", f.URL, err)
	}
	res.Indexed = put.Added + put.Replaced
	res.Skipped += put.Unchanged
	f.Articles += res.Indexed
	return nil
}

// items turns feed items into articles: from the feed's own full text
// when it carries it, else by fetching the page. Items already indexed
// are fetched again only when the feed says they were updated since.
func (c *Crawler) items(ctx context.Context, f *feed.Feed, res *PollResult) []retrieval.Article {
	var out []retrieval.Article
	for _, it := range f.Items {
		if ctx.Err() != nil {
			break
		}
		if a, ok := feed.ItemArticle(f, it); ok {
			out = append(out, a)
			continue
		}
		if it.URL == "" {
			res.Failed++
			continue
		}
		if c.fresh(ctx, it) {
			res.Skipped++
			continue
		}
		a, err := c.itemPage(ctx, f, it)
		if err != nil {
			res.Failed++
			c.log.Warn("feed item", "url", it.URL, "err", err)
			continue
		}
		out = append(out, a)
	}
	return out
}

// itemID is the ID an item's page is indexed under: from the item's
// link, so the next poll can tell it is already indexed without
// fetching it again.
func itemID(it feed.Item) string { return retrieval.URLID(retrieval.CanonicalURL(it.URL)) }

// fresh reports whether the item's page is indexed and the feed gives no
// later version of it than the one held. Versions are compared by the
// publisher's own times (the feed item's against the stored article's),
// never by when we indexed it: our clock says nothing about theirs.
func (c *Crawler) fresh(ctx context.Context, it feed.Item) bool {
	a, err := c.ix.Article(ctx, itemID(it))
	if err != nil {
		return false
	}
	return !version(it.Published, it.Updated).After(version(a.Published, a.Updated))
}

// version is the publisher's time for a version of a story: the later of
// its published and updated times (zero when it gives neither).
func version(published, updated time.Time) time.Time {
	if updated.After(published) {
		return updated
	}
	return published
}

func (c *Crawler) itemPage(ctx context.Context, f *feed.Feed, it feed.Item) (retrieval.Article, error) {
	a, _, err := c.page(ctx, it.URL)
	if err != nil {
		return a, err
	}
	a.ID = itemID(it)
	if a.Outlet == "" {
		a.Outlet = f.Title
	}
	if a.Published.IsZero() {
		a.Published = it.Published
	}
	// Keep the later of the page's and the feed's update times, so the
	// next poll sees this version as held and does not fetch it again.
	if it.Updated.After(version(a.Published, a.Updated)) {
		a.Updated = it.Updated
	}
	if a.Title == "" {
		a.Title = it.Title
	}
	return a, nil
}
