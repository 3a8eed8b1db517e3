package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// stories are two watched stories, the second with text that tries to
// ping everyone.
func stories() []bot.Source {
	pub := time.Date(2026, 11, 9, 8, 30, 0, 0, time.UTC)
	return []bot.Source{
		{N: 1, Hit: retrieval.Hit{Text: "Grain ships left Odesa on Monday under a new corridor deal.",
			Article: retrieval.Article{Title: "Grain corridor reopens", Outlet: "Test Wire", URL: "https://example.com/grain", Published: pub}}},
		{N: 2, Hit: retrieval.Hit{Text: "Traders told @everyone that prices fell.",
			Article: retrieval.Article{Title: "Wheat prices fall", Outlet: "Farm Daily", URL: "https://example.com/wheat"}}},
	}
}

func TestPostStoriesThroughDiscord(t *testing.T) {
	hs := start(t, newFakeCore(), setup{opt: gatewayOptions()})
	ch := bot.Channel{Platform: "discord", Workspace: testGuild, ID: "4200"}
	tests := []struct {
		kind    bot.Kind
		want    []string
		wantNot []string
	}{
		{bot.KindWatch, []string{"**[Grain corridor reopens](<https://example.com/grain>)** · Test Wire · <t:1794213000:d>\n> Grain ships left Odesa on Monday",
			"**[Wheat prices fall](<https://example.com/wheat>)** · Farm Daily\n> Traders told @\u200beveryone"}, []string{"@everyone"}},
		{bot.KindDigest, []string{"Grain corridor reopens](<https://example.com/grain>)** · Test Wire · <t:1794213000:d>\n**[Wheat"}, []string{"Odesa"}},
		{bot.KindBriefing, []string{"<t:1794213000:f>"}, []string{"Odesa"}},
	}
	for _, tt := range tests {
		r := bot.Reply{Kind: tt.kind, Text: "New on “grain”:", Sources: stories()}
		if err := hs.a.Post(context.Background(), ch, r); err != nil {
			t.Fatalf("Post %s: %v", tt.kind, err)
		}
		c := hs.fake.next(t, "message")
		if c.Path != "/api/v9/channels/4200/messages" || c.JSON["message_reference"] != nil {
			t.Errorf("%s: posted to %s with reference %v, want channel 4200 and no reference", tt.kind, c.Path, c.JSON["message_reference"])
		}
		checkNoMentions(t, c.JSON)
		if c.JSON["content"] != "New on “grain”:" {
			t.Errorf("%s: content %q, want the heading", tt.kind, c.JSON["content"])
		}
		embeds, _ := c.JSON["embeds"].([]any)
		if len(embeds) != 1 {
			t.Fatalf("%s: embeds %v, want one", tt.kind, c.JSON["embeds"])
		}
		desc, _ := embeds[0].(map[string]any)["description"].(string)
		if strings.Count(desc, "**[") != 2 {
			t.Errorf("%s: description %q, want two story lines", tt.kind, desc)
		}
		for _, w := range tt.want {
			if !strings.Contains(desc, w) {
				t.Errorf("%s: description %q lacks %q", tt.kind, desc, w)
			}
		}
		for _, w := range tt.wantNot {
			if strings.Contains(desc, w) {
				t.Errorf("%s: description %q holds %q", tt.kind, desc, w)
			}
		}
	}
}

func TestPostNeedsBotToken(t *testing.T) {
	hs := start(t, newFakeCore(), setup{opt: httpOptions()})
	err := hs.a.Post(context.Background(), bot.Channel{Platform: "discord", ID: "4200"}, bot.Reply{Kind: bot.KindWatch, Text: "x"})
	if err == nil || hs.fake.count("message") != 0 {
		t.Errorf("Post without a bot token: %v, %d posts; want an error and none", err, hs.fake.count("message"))
	}
	if err := hs.a.Post(context.Background(), bot.Channel{Platform: "slack", ID: "C1"}, bot.Reply{}); err == nil {
		t.Error("Post to a Slack channel succeeded, want an error")
	}
}

// TestPostChannelGone: Discord's answers that the bot can never post in
// the channel again (Unknown Channel, Missing Access) come back as
// bot.ErrChannelGone, so the loops give the channel up; an outage or a
// rate limit does not, and another channel still takes posts.
func TestPostChannelGone(t *testing.T) {
	errBody := func(code int, msg string) map[string]any { return map[string]any{"message": msg, "code": code} }
	tests := []struct {
		name   string
		status int
		body   any
		gone   bool
		calls  int // posts Discord received: a 429 is retried
	}{
		{"unknown channel", http.StatusNotFound, errBody(10003, "Unknown Channel"), true, 1},
		{"missing access", http.StatusForbidden, errBody(50001, "Missing Access"), true, 1},
		{"missing permissions", http.StatusForbidden, errBody(50013, "Missing Permissions"), false, 1},
		{"plain 404", http.StatusNotFound, errBody(0, "404: Not Found"), false, 1},
		{"500", http.StatusInternalServerError, errBody(0, "500: Internal Server Error"), false, 1},
		{"503", http.StatusServiceUnavailable, errBody(0, "upstream connect error"), false, 1},
		{"429", http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": 0.01, "global": false},
			false, maxRetries + 1},
	}
	hs := start(t, newFakeCore(), setup{opt: gatewayOptions()})
	gone, live := bot.Channel{Platform: "discord", Workspace: testGuild, ID: "4300"}, bot.Channel{Platform: "discord", Workspace: testGuild, ID: "4400"}
	r := bot.Reply{Kind: bot.KindWatch, Text: "New on “grain”:", Sources: stories()}
	for _, tt := range tests {
		hs.fake.failPosts(func(channel string) (int, any) {
			if channel != gone.ID {
				return 0, nil
			}
			return tt.status, tt.body
		})
		before := hs.fake.count("message")
		err := hs.a.Post(context.Background(), gone, r)
		if err == nil || errors.Is(err, bot.ErrChannelGone) != tt.gone {
			t.Errorf("%s: Post = %v; want an error, gone %v", tt.name, err, tt.gone)
		}
		if n := hs.fake.count("message") - before; n != tt.calls {
			t.Errorf("%s: %d posts sent, want %d", tt.name, n, tt.calls)
		}
		if err := hs.a.Post(context.Background(), live, r); err != nil {
			t.Errorf("after %s: Post to another channel = %v", tt.name, err)
		}
	}
}
