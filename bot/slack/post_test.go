package slack

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// stories are two watched stories, the second with text that tries to
// ping the channel.
func stories() []bot.Source {
	pub := time.Date(2026, 11, 9, 8, 30, 0, 0, time.UTC)
	return []bot.Source{
		{N: 1, Hit: retrieval.Hit{Text: "Grain ships left Odesa on Monday under a new corridor deal.",
			Article: retrieval.Article{Title: "Grain corridor reopens", Outlet: "Test Wire", URL: "https://example.com/grain", Published: pub}}},
		{N: 2, Hit: retrieval.Hit{Text: "Traders told <!channel> that prices fell.",
			Article: retrieval.Article{Title: "Wheat prices fall", Outlet: "Farm Daily", URL: "https://example.com/wheat"}}},
	}
}

func TestPostStoriesThroughSlack(t *testing.T) {
	hs := startHTTP(t)
	ch := bot.Channel{Platform: "slack", Workspace: testTeam, ID: "C0WATCH01"}
	tests := []struct {
		kind      bot.Kind
		want      []string
		wantNot   []string
		wantCount int // story sections after the heading
	}{
		{bot.KindWatch, []string{"<https://example.com/grain|Grain corridor reopens> · Test Wire · <!date^1794213000^{date_short}|Nov 9, 2026>",
			"\n>Grain ships left Odesa on Monday", "<https://example.com/wheat|Wheat prices fall> · Farm Daily"}, []string{"<!channel>"}, 2},
		{bot.KindDigest, []string{"<https://example.com/wheat|Wheat prices fall>"}, []string{"Odesa"}, 2},
		{bot.KindBriefing, []string{"{date_short} {time}|Nov 9, 2026 08:30 UTC>"}, []string{"Odesa"}, 2},
	}
	for _, tt := range tests {
		r := bot.Reply{Kind: tt.kind, Text: "New on “grain”:", Sources: stories()}
		if err := hs.a.Post(context.Background(), ch, r); err != nil {
			t.Fatalf("Post %s: %v", tt.kind, err)
		}
		post := hs.fake.next(t, "chat.postMessage")
		f := post.Form
		if f.Get("channel") != ch.ID || f.Has("thread_ts") || f.Get("unfurl_links") != "false" {
			t.Errorf("%s: posted to %q thread %q unfurl %q, want %s, no thread, no unfurl", tt.kind,
				f.Get("channel"), f.Get("thread_ts"), f.Get("unfurl_links"), ch.ID)
		}
		secs := blockTexts(blocksOf(t, post), "section")
		if len(secs) != 1+tt.wantCount || secs[0] != "New on “grain”:" {
			t.Fatalf("%s: sections %q, want the heading then %d stories", tt.kind, secs, tt.wantCount)
		}
		text := strings.Join(secs, "\n")
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: sections %q lack %q", tt.kind, text, w)
			}
		}
		for _, w := range tt.wantNot {
			if strings.Contains(text, w) {
				t.Errorf("%s: sections %q hold %q", tt.kind, text, w)
			}
		}
		if !strings.Contains(f.Get("text"), "Grain corridor reopens") {
			t.Errorf("%s: fallback text %q lacks the titles", tt.kind, f.Get("text"))
		}
	}
}

func TestPostRefusesOtherPlatforms(t *testing.T) {
	hs := startHTTP(t)
	err := hs.a.Post(context.Background(), bot.Channel{Platform: "discord", ID: "4000"}, bot.Reply{Kind: bot.KindWatch, Text: "x"})
	if err == nil || hs.fake.count("chat.postMessage") != 0 {
		t.Errorf("Post to a Discord channel: %v, %d posts; want an error and none", err, hs.fake.count("chat.postMessage"))
	}
}

// TestPostChannelGone: Slack's answers that the bot can never post in
// the channel again come back as bot.ErrChannelGone, so the loops give
// the channel up; an outage does not, nor do rate limits (waited out,
// then given up on for now), and another channel still takes posts.
func TestPostChannelGone(t *testing.T) {
	tests := []struct {
		status int
		code   string
		gone   bool
	}{
		{http.StatusOK, "channel_not_found", true},
		{http.StatusOK, "is_archived", true},
		{http.StatusOK, "channel_is_archived", true},
		{http.StatusOK, "not_in_channel", true},
		{http.StatusOK, "access_denied", true},
		{http.StatusOK, "msg_too_long", false},
		{http.StatusInternalServerError, "internal_error", false},
		{http.StatusServiceUnavailable, "service_unavailable", false},
	}
	hs := startHTTP(t)
	ch := bot.Channel{Platform: "slack", Workspace: testTeam, ID: "C0GONE001"}
	r := bot.Reply{Kind: bot.KindWatch, Text: "New on “grain”:", Sources: stories()}
	for _, tt := range tests {
		hs.fake.failPosts(func(form url.Values) (int, string) {
			if form.Get("channel") != ch.ID {
				return 0, ""
			}
			return tt.status, tt.code
		})
		err := hs.a.Post(context.Background(), ch, r)
		if err == nil || errors.Is(err, bot.ErrChannelGone) != tt.gone {
			t.Errorf("HTTP %d %s: Post = %v; want an error, gone %v", tt.status, tt.code, err, tt.gone)
		}
		hs.fake.next(t, "chat.postMessage")
		if err := hs.a.Post(context.Background(), bot.Channel{Platform: "slack", Workspace: testTeam, ID: "C0LIVE001"}, r); err != nil {
			t.Errorf("after %s: Post to another channel = %v", tt.code, err)
		}
		hs.fake.next(t, "chat.postMessage")
	}
}

// TestPostRateLimitedNotGone: a post Slack keeps answering 429 fails
// after the retries, as passing, not as a channel gone.
func TestPostRateLimitedNotGone(t *testing.T) {
	t.Parallel() // the retries wait Slack's Retry-After, a second each
	hs := startHTTP(t)
	hs.fake.limitPosts.Store(maxRateLimitRetries + 1)
	err := hs.a.Post(context.Background(), bot.Channel{Platform: "slack", Workspace: testTeam, ID: "C0BUSY001"},
		bot.Reply{Kind: bot.KindWatch, Text: "New on “grain”:", Sources: stories()})
	if err == nil || errors.Is(err, bot.ErrChannelGone) {
		t.Errorf("Post rate limited throughout = %v; want an error, not ErrChannelGone", err)
	}
	if n := hs.fake.count("chat.postMessage"); n != maxRateLimitRetries+1 {
		t.Errorf("%d calls, want %d (the first and each retry)", n, maxRateLimitRetries+1)
	}
}
