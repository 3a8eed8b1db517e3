package main

import (
	"context"
	"fmt"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// channelStories gives the briefings of a channel their stories from
// the index: the newest, or those that match a topic (through the
// bot's searcher, hybrid when embeddings are on).
type channelStories struct {
	ix     store
	search bot.Searcher
}

func (s channelStories) Stories(ctx context.Context, scope retrieval.Scope, topic string, since, until time.Time, n int) ([]retrieval.Hit, error) {
	if topic == "" {
		return s.ix.RecentIn(ctx, scope, since, until, n)
	}
	return s.search.Search(ctx, retrieval.Query{Text: topic, Since: since, Until: until, K: n, Scope: scope})
}

// postersOf collects the platforms that can post unasked, by name.
func postersOf(platforms map[string]platform) bot.Posters {
	out := bot.Posters{}
	for name, p := range platforms {
		if pp, ok := p.(bot.Poster); ok {
			out[name] = pp
		}
	}
	return out
}

// briefings returns serve's scheduler of the daily briefings, posting
// through the platforms that can post (none: it logs each failure).
func (a *app) briefings(b *bot.Bot, ix store, posters bot.Posters) (*bot.Scheduler, error) {
	s, err := bot.NewScheduler(b, bot.SchedulerOptions{Queue: ix, Poster: posters})
	if err != nil {
		return nil, fmt.Errorf("briefings: %w", err)
	}
	return s, nil
}
