package slack

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
)

// TestScheduledBriefingChannelArchived: a channel's daily briefing,
// scheduled by mentioning the bot, meets an archived channel when it
// fires (Slack answers is_archived): the schedule is deleted, so the
// next day nothing is tried.
func TestScheduledBriefingChannelArchived(t *testing.T) {
	day := time.Date(2026, time.December, 7, 8, 0, 0, 0, time.UTC)
	ix := bottest.Index(t, []retrieval.Article{briefingStory("ferry", "Ferry strike ends", day.Add(-2*time.Hour))})
	clk := bottest.NewClock(day.Add(-time.Hour))
	b, err := bot.New(bot.Options{Searcher: ix, Briefings: ix, Now: clk.Now, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	const text = "brief daily 08:00 Europe/London"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "<@" + testBotUser + "> " + text, TS: "1700000100.000100"})
	hs.event("Ev1", mention(text, "1700000100.000100", ""), nil)
	hs.fake.next(t, "chat.postEphemeral") // the confirmation
	hs.fake.failPosts(func(url.Values) (int, string) { return http.StatusOK, "is_archived" })
	s, err := bot.NewScheduler(b, bot.SchedulerOptions{Queue: ix, Poster: hs.a})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := ix.Briefing(ctx, "slack", testTeam, testChannel); err != nil {
		t.Fatalf("the scheduled briefing: %v", err)
	}
	clk.Set(day)
	if n, err := s.Fire(ctx); n != 0 || err != nil {
		t.Fatalf("Fire in an archived channel = %d, %v; want 0", n, err)
	}
	if hs.fake.count("chat.postMessage") != 1 {
		t.Fatalf("%d chat.postMessage calls, want the one Slack refused", hs.fake.count("chat.postMessage"))
	}
	if _, err := ix.Briefing(ctx, "slack", testTeam, testChannel); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("the archived channel's briefing: %v; want it deleted", err)
	}
	clk.Set(day.Add(24 * time.Hour))
	if n, err := s.Fire(ctx); n != 0 || err != nil || hs.fake.count("chat.postMessage") != 1 {
		t.Errorf("the next day: Fire = %d, %v, %d calls in all; want nothing tried", n, err, hs.fake.count("chat.postMessage"))
	}
}
