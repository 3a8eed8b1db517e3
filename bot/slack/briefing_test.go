package slack

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
)

func briefingStory(id, title string, pub time.Time) retrieval.Article {
	return retrieval.Article{ID: id, Title: title, Outlet: "Test Wire", URL: "https://example.com/" + id, Published: pub,
		Paragraphs: []string{title + ", officials said on the day."}}
}

// TestScheduledBriefingThroughSlack: a user schedules the channel's
// briefing for 08:00 London time by mentioning the bot; the scheduler,
// reading an injected clock, posts it through the Slack API at 08:00
// GMT in December and 08:00 BST (07:00 UTC) in June, not before, with
// one linked line per story.
func TestScheduledBriefingThroughSlack(t *testing.T) {
	winter := time.Date(2026, time.December, 7, 8, 0, 0, 0, time.UTC)
	summer := time.Date(2027, time.June, 1, 7, 0, 0, 0, time.UTC)
	ix := bottest.Index(t, []retrieval.Article{
		briefingStory("ferry", "Ferry strike ends", winter.Add(-2*time.Hour)),
		briefingStory("bridge", "Bridge repairs finish", winter.Add(-5*time.Hour)),
		briefingStory("budget", "Council passes budget", winter.Add(-30*time.Hour)),
		briefingStory("regatta", "Harbour regatta returns", summer.Add(-3*time.Hour)),
	})
	clk := bottest.NewClock(winter.Add(-time.Hour))
	b, err := bot.New(bot.Options{Searcher: ix, Briefings: ix, Now: clk.Now, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	const text = "brief daily 08:00 Europe/London"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "<@" + testBotUser + "> " + text, TS: "1700000100.000100"})
	hs.event("Ev1", mention(text, "1700000100.000100", ""), nil)
	reply := hs.fake.next(t, "chat.postEphemeral") // to the asker alone
	if body := sectionText(t, reply); !strings.Contains(body, "Daily briefing scheduled: 08:00 Europe/London") {
		t.Fatalf("reply = %q, want the schedule confirmed", body)
	}
	s, err := bot.NewScheduler(b, bot.SchedulerOptions{Queue: ix, Poster: hs.a})
	if err != nil {
		t.Fatal(err)
	}
	fire := func(at time.Time, want int) {
		t.Helper()
		clk.Set(at)
		before := hs.fake.count("chat.postMessage")
		n, err := s.Fire(context.Background())
		if err != nil || n != want {
			t.Fatalf("at %v: posted %d (%v), want %d", at, n, err, want)
		}
		if got := hs.fake.count("chat.postMessage") - before; got != want {
			t.Fatalf("at %v: %d chat.postMessage calls, want %d", at, got, want)
		}
	}

	fire(winter.Add(-time.Second), 0)
	fire(winter, 1)
	post := hs.fake.next(t, "chat.postMessage")
	if post.Form.Get("channel") != testChannel || post.Form.Has("thread_ts") {
		t.Errorf("posted to %s thread %q, want %s, not in a thread", post.Form.Get("channel"), post.Form.Get("thread_ts"), testChannel)
	}
	secs := blockTexts(blocksOf(t, post), "section")
	want := []string{
		"Daily briefing, Mon 7 Dec 2026: top stories in the last 24 hours",
		"<https://example.com/ferry|Ferry strike ends> · Test Wire · <!date^",
		"<https://example.com/bridge|Bridge repairs finish> · Test Wire · <!date^",
	}
	if len(secs) != len(want) {
		t.Fatalf("sections %q, want the heading and the two stories of the last day", secs)
	}
	for i, w := range want {
		if !strings.HasPrefix(secs[i], w) {
			t.Errorf("section %d = %q, want it to start %q", i, secs[i], w)
		}
	}
	fire(winter.Add(time.Minute), 0)

	// In June the same briefing comes at 08:00 British Summer Time.
	fire(summer.Add(-time.Minute), 0) // months late: skipped, moved to the next 08:00
	fire(summer, 1)
	post = hs.fake.next(t, "chat.postMessage")
	if secs := blockTexts(blocksOf(t, post), "section"); len(secs) != 2 || !strings.Contains(secs[1], "Harbour regatta returns") {
		t.Errorf("June briefing sections = %q, want the regatta story", secs)
	}
	fire(summer.Add(time.Hour), 0)
}
