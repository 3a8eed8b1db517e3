package discord

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
)

// TestWatchOverGateway sets watches by mentioning the bot in two
// channels, then runs the watch loop as serve does, posting through
// this adapter: a matching story is posted once in the channel that
// watches it, with its link and sentence and pinging nobody.
func TestWatchOverGateway(t *testing.T) {
	ix := bottest.Index(t, realArticles)
	core, err := bot.New(bot.Options{Searcher: ix, Watches: ix, Logger: bottest.Logger(t), RatePerUser: -1})
	if err != nil {
		t.Fatal(err)
	}
	hs := start(t, core, setup{opt: gatewayOptions()})
	const other = "4300"
	for _, c := range []struct{ ch, topic string }{{testChannel, "ukraine grain"}, {other, "snooker"}} {
		hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(c.ch, testHuman, mentionOf(testBotID)+" watch "+c.topic, testBotID))
		if got := hs.fake.next(t, "message").JSON["content"].(string); !strings.Contains(got, "Watching “"+c.topic+"”") {
			t.Fatalf("watch %s answered %q", c.topic, got)
		}
	}
	w, err := bot.NewWatcher(bot.WatcherOptions{Store: ix, Poster: bot.Posters{"discord": hs.a}, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	story := retrieval.Article{ID: "grain", Title: "Grain ships leave Odesa", Outlet: "Test Wire", URL: "https://example.com/grain",
		Published:  time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC),
		Paragraphs: []string{"Ukraine sent grain ships to sea on Monday, and told @everyone at the port to stand back.", "Buyers waited in Egypt."}}
	if _, err := ix.Put(context.Background(), []retrieval.Article{story}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := w.Round(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	post := hs.fake.next(t, "message")
	if post.Path != "/api/v9/channels/"+testChannel+"/messages" || post.JSON["content"] != "New on “ukraine grain”:" {
		t.Fatalf("posted %s %v, want the story in channel %s", post.Path, post.JSON["content"], testChannel)
	}
	checkNoMentions(t, post.JSON)
	desc := post.JSON["embeds"].([]any)[0].(map[string]any)["description"].(string)
	if !strings.Contains(desc, "[Grain ships leave Odesa](<https://example.com/grain>)") || !strings.Contains(desc, "> Ukraine sent grain ships to sea on Monday") ||
		strings.Contains(desc, "@everyone") {
		t.Errorf("story %q, want its link and its sentence, @everyone defused", desc)
	}
	if n := hs.fake.count("message"); n != 3 {
		t.Errorf("%d messages in all, want the two confirmations and one post", n)
	}
}
