package discord

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
)

// TestAdminAddsArticleByCommand runs /news add through the real core: a
// member with Manage Server, or a listed admin, reaches Sources; anyone
// else is refused before it.
func TestAdminAddsArticleByCommand(t *testing.T) {
	const page = "https://example.com/world/bridge"
	src := &bottest.Sources{Pages: map[string]retrieval.Article{page: {
		URL: page, Title: "Harbour bridge reopens", Outlet: "Test Gazette",
		Published: time.Date(2012, time.May, 7, 10, 0, 0, 0, time.UTC), Paragraphs: []string{"One.", "Two.", "Three."},
	}}}
	core, err := bot.New(bot.Options{Searcher: bottest.Index(t, nil), Sources: src, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	opt := httpOptions()
	opt.Admins = []string{testHuman}
	hs := start(t, core, setup{opt: opt})
	as := func(id, user, permissions string) map[string]any {
		ia := command(id, "add <"+page+">")
		ia["member"] = map[string]any{"user": map[string]any{"id": user, "username": "u" + user}, "permissions": permissions}
		return dataOf(t, hs.respond(ia))
	}
	want := "Indexed “Harbour bridge reopens” · Test Gazette · as of 7 May 2012 · 3 paragraphs"
	for _, tt := range []struct {
		name, user, permissions, want string
	}{
		{"Manage Server", testOther, "32", want},
		{"listed admin", testHuman, "0", want},
		{"other permissions only", testOther, "2048", "Only byline admins can add articles or feeds."},
	} {
		data := as("77"+tt.user+tt.permissions, tt.user, tt.permissions)
		if c, _ := data["content"].(string); c != tt.want || data["flags"] != float64(discordgo.MessageFlagsEphemeral) {
			t.Errorf("%s: answered %v, want %q to the asker only", tt.name, data, tt.want)
		}
	}
	if calls := src.Calls(); !slices.Equal(calls, []string{"add " + page, "add " + page}) {
		t.Errorf("Sources received %q, want the two admins' adds", calls)
	}
	if strings.Contains(strings.Join(src.Calls(), " "), "<") {
		t.Errorf("the URL reached Sources still wrapped: %q", src.Calls())
	}
}
