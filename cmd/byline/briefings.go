package main

import (
	"fmt"

	"github.com/byline-news/byline/bot"
)

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
