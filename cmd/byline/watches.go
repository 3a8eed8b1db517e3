package main

import (
	"github.com/byline-news/byline/bot"
)

// watcher is serve's watch loop: it posts through the chat adapters
// that can post unasked, each channel's through its platform's, and
// runs its rounds under a lease so that one replica at a time does.
func (a *app) watcher(b *bot.Bot, ix store, posters bot.Posters) (*bot.Watcher, error) {
	return bot.NewWatcher(bot.WatcherOptions{Store: ix, Poster: posters, Scope: b.Scope, Leaser: ix, Holder: a.leaseHolder(),
		Rate: a.cfg.WatchRate, Every: a.watchEvery, Logger: a.log})
}
