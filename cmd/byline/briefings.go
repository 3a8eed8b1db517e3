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

// posters routes a post to the adapter of its channel's platform.
type posters map[string]bot.Poster

// postersOf collects the platforms that can post unasked.
func postersOf(platforms map[string]platform) posters {
	out := posters{}
	for name, p := range platforms {
		if pp, ok := p.(bot.Poster); ok {
			out[name] = pp
		}
	}
	return out
}

func (p posters) Post(ctx context.Context, ch bot.Channel, r bot.Reply) error {
	to, ok := p[ch.Platform]
	if !ok {
		return fmt.Errorf("post to %s: %s is not configured", ch, ch.Platform)
	}
	return to.Post(ctx, ch, r)
}

// briefings returns serve's scheduler of the daily briefings, posting
// through the platforms that can post (none: it logs each failure).
func (a *app) briefings(b *bot.Bot, ix store, platforms map[string]platform) (*bot.Scheduler, error) {
	s, err := bot.NewScheduler(b, bot.SchedulerOptions{Queue: ix, Poster: postersOf(platforms)})
	if err != nil {
		return nil, fmt.Errorf("briefings: %w", err)
	}
	return s, nil
}
