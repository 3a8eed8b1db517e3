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

// TestScheduledBriefingThroughDiscord: a member schedules the channel's
// briefing for 08:00 New York time by mentioning the bot; the
// scheduler, reading an injected clock, posts it in that channel over
// Discord's REST API at 08:00 EST (13:00 UTC), not before and once.
func TestScheduledBriefingThroughDiscord(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, time.December, 7, 13, 0, 0, 0, time.UTC)
	story := func(id, title string, ago time.Duration) retrieval.Article {
		return retrieval.Article{ID: id, Title: title, Outlet: "Test Wire", URL: "https://example.com/" + id,
			Published: at.Add(-ago), Paragraphs: []string{title + ", officials said on the day."}}
	}
	ix := bottest.Index(t, []retrieval.Article{
		story("ferry", "Ferry strike ends", 2*time.Hour),
		story("budget", "Council passes budget", 30*time.Hour),
	})
	clk := bottest.NewClock(at.Add(-2 * time.Hour))
	b, err := bot.New(bot.Options{Searcher: ix, Briefings: ix, Now: clk.Now, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	hs := start(t, b, setup{opt: gatewayOptions()})
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testChannel, testHuman, mentionOf(testBotID)+" brief daily 08:00 America/New_York", testBotID))
	reply := hs.fake.next(t, "message")
	if c, _ := reply.JSON["content"].(string); !strings.Contains(c, `Daily briefing scheduled: 08:00 America/New\_York`) {
		t.Fatalf("reply %q, want the schedule confirmed", c)
	}
	s, err := bot.NewScheduler(b, bot.SchedulerOptions{Queue: ix, Poster: hs.a})
	if err != nil {
		t.Fatal(err)
	}
	fire := func(now time.Time, want int) {
		t.Helper()
		clk.Set(now)
		if n, err := s.Fire(context.Background()); n != want || err != nil {
			t.Fatalf("at %v: posted %d (%v), want %d", now, n, err, want)
		}
	}
	fire(at.Add(-time.Second), 0)
	fire(at, 1)
	post := hs.fake.next(t, "message")
	if post.Path != "/api/v9/channels/"+testChannel+"/messages" || post.JSON["message_reference"] != nil {
		t.Errorf("posted to %s (reference %v), want channel %s, not as a reply", post.Path, post.JSON["message_reference"], testChannel)
	}
	checkNoMentions(t, post.JSON)
	if c := post.JSON["content"]; c != "Daily briefing, Mon 7 Dec 2026: top stories in the last 24 hours" {
		t.Errorf("content %q", c)
	}
	embeds, _ := post.JSON["embeds"].([]any)
	if len(embeds) != 1 {
		t.Fatalf("embeds %v, want one", post.JSON["embeds"])
	}
	desc, _ := embeds[0].(map[string]any)["description"].(string)
	if !strings.Contains(desc, "[Ferry strike ends](<https://example.com/ferry>)") || strings.Contains(desc, "budget") {
		t.Errorf("stories %q, want the ferry story and not the 30-hour-old budget", desc)
	}
	fire(at.Add(time.Minute), 0)
	if n := hs.fake.count("message"); n != 2 {
		t.Errorf("%d messages in all, want 2: the confirmation and one briefing", n)
	}
}
