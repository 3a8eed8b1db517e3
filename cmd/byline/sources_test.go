package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// TestChatSourcesOverRealCrawler drives the chat commands through the
// real core into chatSources, over the crawler serve builds, against a
// local site.
func TestChatSourcesOverRealCrawler(t *testing.T) {
	site := newsSite(t)
	e := newEnv(t)
	e.vars["BYLINE_FETCH_ALLOW"] = "127.0.0.1"
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, filepath.Join(e.dir, "chat.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	cfg, err := config.Load(e.getenv)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	c := a.crawler(ix, nil)
	b, err := bot.New(bot.Options{Searcher: ix, Sources: chatSources{crawler: c, ix: ix}, Logger: a.log, RatePerUser: -1})
	if err != nil {
		t.Fatal(err)
	}
	say := func(text string, admin bool) bot.Reply {
		return b.Handle(ctx, bot.Message{Platform: "slack", User: "U1", Text: text, Admin: admin})
	}
	feed := site.URL + "/feed.xml"
	steps := []struct {
		text     string
		admin    bool
		kind     bot.Kind
		contains string
	}{
		{"add " + site.URL + "/quay", false, bot.KindRejected, "Only byline admins"},
		{"add <" + site.URL + "/quay>", true, bot.KindAdmin,
			"Indexed “Quay wall repairs begin” · Lakeside Courier · as of 24 Nov 2026 · 2 paragraphs"},
		{"who is the harbour master?", false, bot.KindAnswer, "Aled Pryce"},
		{"add " + site.URL + "/missing", true, bot.KindAdmin, "Couldn't add " + site.URL + "/missing: "},
		{"feeds add " + site.URL + "/quay", true, bot.KindAdmin, "not an RSS, Atom or JSON feed; not subscribed"}, // a page, not a feed
		{"feeds list", true, bot.KindAdmin, "No feeds yet"},                                                       // the page was not subscribed
		{"feeds add " + feed, true, bot.KindAdmin, "Subscribed to " + feed + ", polled every 15m0s. Lakeside Courier"},
		{"feeds list", true, bot.KindAdmin, "Lakeside Courier (" + feed + ") · every 15m0s"},
		{"feeds remove " + feed, true, bot.KindAdmin, "Unsubscribed from " + feed},
		{"feeds remove " + feed, true, bot.KindAdmin, "Couldn't remove " + feed + ": no such feed is subscribed"},
	}
	for _, s := range steps {
		r := say(s.text, s.admin)
		if r.Kind != s.kind || !strings.Contains(r.Text, s.contains) {
			t.Errorf("%q (admin %v) → %v %q, want %v containing %q", s.text, s.admin, r.Kind, r.Text, s.kind, s.contains)
		}
	}
	if n, err := ix.Count(ctx); err != nil || n != 1 {
		t.Errorf("indexed %d articles (%v), want the quay story once", n, err)
	}
}
