package discord

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
)

// TestWatchChannelDeleted: two channels watch the same topic; one was
// deleted (Discord answers Unknown Channel). The watch loop, posting
// through this adapter, removes the deleted channel's watch and posts
// the story in the other, which keeps its watch.
func TestWatchChannelDeleted(t *testing.T) {
	ix := bottest.Index(t, realArticles)
	core, err := bot.New(bot.Options{Searcher: ix, Watches: ix, Logger: bottest.Logger(t), RatePerUser: -1})
	if err != nil {
		t.Fatal(err)
	}
	hs := start(t, core, setup{opt: gatewayOptions()})
	const deleted = "4300"
	for _, ch := range []string{testChannel, deleted} {
		hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(ch, testHuman, mentionOf(testBotID)+" watch ukraine grain", testBotID))
		if got := hs.fake.next(t, "message").JSON["content"].(string); !strings.Contains(got, "Watching “ukraine grain”") {
			t.Fatalf("watch in %s answered %q", ch, got)
		}
	}
	ctx := context.Background()
	if all, err := ix.AllWatches(ctx); err != nil || len(all) != 2 {
		t.Fatalf("watches set: %+v, %v; want 2", all, err)
	}
	hs.fake.failPosts(func(ch string) (int, any) {
		if ch != deleted {
			return 0, nil
		}
		return http.StatusNotFound, map[string]any{"message": "Unknown Channel", "code": 10003}
	})
	w, err := bot.NewWatcher(bot.WatcherOptions{Store: ix, Poster: bot.Posters{"discord": hs.a}, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	story := retrieval.Article{ID: "grain", Title: "Grain ships leave Odesa", Outlet: "Test Wire", URL: "https://example.com/grain",
		Published:  time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC),
		Paragraphs: []string{"Ukraine sent grain ships to sea on Monday.", "Buyers waited in Egypt."}}
	if _, err := ix.Put(ctx, []retrieval.Article{story}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := w.Round(ctx); err != nil {
			t.Fatalf("Round: %v; want a gone channel handled, not an error", err)
		}
	}
	all, err := ix.AllWatches(ctx)
	if err != nil || len(all) != 1 || all[0].Channel != testChannel {
		t.Errorf("watches left: %+v, %v; want only channel %s's", all, err, testChannel)
	}
	var posted, refused int
	for range 2 {
		c := hs.fake.next(t, "message")
		switch {
		case c.Path == "/api/v9/channels/"+testChannel+"/messages" && c.Status == http.StatusOK:
			posted++
		case c.Path == "/api/v9/channels/"+deleted+"/messages" && c.Status == http.StatusNotFound:
			refused++
		}
	}
	if posted != 1 || refused != 1 || hs.fake.count("message") != 4 {
		t.Errorf("posted %d, refused %d, %d messages in all; want one each after the two confirmations, nothing retried",
			posted, refused, hs.fake.count("message"))
	}
}
