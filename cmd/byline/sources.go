package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/byline-news/byline/ingest/crawl"
	"github.com/byline-news/byline/retrieval"
)

// defaultFeedEvery is how often a feed added from chat is polled, as
// for "byline feeds add" without --every.
const defaultFeedEvery = 15 * time.Minute

// chatSources lets admins add articles and feeds from chat: it
// implements bot.Sources over the crawler and the index, as the add and
// feeds commands do on the command line.
type chatSources struct {
	crawler *crawl.Crawler
	ix      store
	every   time.Duration    // default defaultFeedEvery
	now     func() time.Time // default time.Now
}

func (s chatSources) AddURL(ctx context.Context, url string) (retrieval.Article, error) {
	a, _, err := s.crawler.AddURL(ctx, url)
	return a, err
}

// AddFeed polls the feed once now and subscribes when that works, as
// "byline feeds add" does; otherwise the error says why, and nothing is
// subscribed (a feed already subscribed stays).
func (s chatSources) AddFeed(ctx context.Context, url string) (string, error) {
	every := s.every
	if every <= 0 {
		every = defaultFeedEvery
	}
	line, err := subscribe(ctx, s.ix, s.crawler, url, every, s.clock()())
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Subscribed to %s, polled every %s. %s", url, every, line), nil
}

func (s chatSources) clock() func() time.Time {
	if s.now != nil {
		return s.now
	}
	return time.Now
}

func (s chatSources) RemoveFeed(ctx context.Context, url string) error {
	err := s.ix.RemoveFeed(ctx, url)
	if errors.Is(err, retrieval.ErrNotFound) {
		return errors.New("no such feed is subscribed (see feeds list)")
	}
	return err
}

// ListFeeds describes each feed on one line: name, interval, last poll,
// articles and status.
func (s chatSources) ListFeeds(ctx context.Context) ([]string, error) {
	feeds, err := s.ix.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(feeds))
	for _, f := range feeds {
		name := f.URL
		if f.Title != "" {
			name = clip(f.Title, 40) + " (" + f.URL + ")"
		}
		status := "ok"
		if f.Failures > 0 {
			status = fmt.Sprintf("failing ×%d: %s", f.Failures, clip(f.LastError, 80))
		} else if f.LastPolled.IsZero() {
			status = "not polled yet"
		}
		out = append(out, fmt.Sprintf("%s · every %s · last poll %s · %d articles · %s",
			name, f.Every, stamp(f.LastPolled), f.Articles, status))
	}
	return out, nil
}
