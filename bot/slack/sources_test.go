package slack

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
)

// TestAdminAddsArticleByCommand runs /news add through the real core: a
// configured admin's command reaches Sources with the link's target (not
// Slack's label), and anyone else's is refused before it does.
func TestAdminAddsArticleByCommand(t *testing.T) {
	const page = "https://example.com/world/bridge?id=7&src=rss"
	src := &bottest.Sources{Pages: map[string]retrieval.Article{page: {
		URL: page, Title: "Harbour bridge reopens", Outlet: "Test Gazette",
		Published: time.Date(2012, time.May, 7, 10, 0, 0, 0, time.UTC), Paragraphs: []string{"One.", "Two."},
	}}}
	core, err := bot.New(bot.Options{Searcher: bottest.Index(t, nil), Sources: src, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	hs := startWith(t, core, Options{SigningSecret: testSecret, Admins: []string{testHuman}}, nil)
	// Slack sends links in commands escaped and wrapped, with a label.
	wrapped := "add <https://example.com/world/bridge?id=7&amp;src=rss|example.com/world/bridge>"

	hs.signed("/slack/commands", formType, command(wrapped, hs.fake.responseURL("cmd-1")), time.Now(), nil)
	resp := hs.fake.next(t, "respond")
	want := "Indexed “Harbour bridge reopens” · Test Gazette · as of 7 May 2012 · 2 paragraphs"
	if got := sectionText(t, resp); !strings.Contains(got, want) || resp.JSON["response_type"] != "ephemeral" {
		t.Errorf("admin: answered %v, want %q to the admin only", resp.JSON, want)
	}

	form, _ := url.ParseQuery(string(command(wrapped, hs.fake.responseURL("cmd-2"))))
	form.Set("user_id", "U0NOTADMIN")
	hs.signed("/slack/commands", formType, []byte(form.Encode()), time.Now(), nil)
	resp = hs.fake.next(t, "respond")
	if got := sectionText(t, resp); !strings.Contains(got, "Only byline admins can add articles or feeds.") {
		t.Errorf("non-admin: answered %q, want a refusal", got)
	}
	hs.settle()
	if calls := src.Calls(); !slices.Equal(calls, []string{"add " + page}) {
		t.Errorf("Sources received %q, want only the admin's add of %s", calls, page)
	}
}
