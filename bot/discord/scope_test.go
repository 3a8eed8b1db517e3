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

// TestChannelsWithDifferentSources: a member with Manage Server gives
// two channels different sources, and the guild a default, with /news
// sources; the same question then gets a different answer in each
// channel, from its own outlet, and a channel without sources of its own
// follows the guild's default.
func TestChannelsWithDifferentSources(t *testing.T) {
	ix := bottest.Index(t, []retrieval.Article{bottest.Fares4, bottest.Fares9})
	core, err := bot.New(bot.Options{Searcher: ix, Scopes: ix, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	hs := start(t, core, setup{opt: httpOptions()})
	const herald, other = "4200", "4300"
	n := 0
	news := func(channel, text string) string {
		t.Helper()
		n++
		ia := command("95"+string(rune('0'+n/10))+string(rune('0'+n%10)), text)
		ia["channel_id"] = channel
		ia["member"] = map[string]any{"user": map[string]any{"id": testHuman, "username": "alice"}, "permissions": "32"}
		data := dataOf(t, hs.respond(ia))
		c, _ := data["content"].(string)
		if embeds, _ := data["embeds"].([]any); len(embeds) > 0 {
			desc, _ := embeds[0].(map[string]any)["description"].(string)
			c += "\n" + desc
		}
		return c
	}
	for _, s := range []struct{ channel, text, want string }{
		{testChannel, "sources add Estuary Post", "Added the outlet Estuary Post."},
		{herald, "sources add outlet Harbour Herald", "Added the outlet Harbour Herald."},
		{other, "sources default add harbour herald", "The workspace default answers only from the outlet harbour herald."},
		{other, "sources", "This channel answers from the workspace default: the outlet harbour herald."},
	} {
		if got := news(s.channel, s.text); !strings.Contains(got, s.want) {
			t.Fatalf("%s %q: %q, want %q", s.channel, s.text, got, s.want)
		}
	}
	for _, s := range []struct{ channel, want, not string }{
		{testChannel, "4 percent", "Harbour Herald"},
		{herald, "9 percent", "Estuary Post"},
		{other, "9 percent", "Estuary Post"},
	} {
		got := news(s.channel, bottest.FaresQuestion)
		if !strings.Contains(got, s.want) || strings.Contains(got, s.not) {
			t.Errorf("answer in %s = %q, want %q and nothing from %s", s.channel, got, s.want, s.not)
		}
	}
	hs.settle()
}

// TestThreadUsesItsChannelsSources: a Discord thread is a channel of its
// own; a mention in it, and the follow-up, search the sources of the
// channel it belongs to.
func TestThreadUsesItsChannelsSources(t *testing.T) {
	t.Parallel()
	ix := bottest.Index(t, []retrieval.Article{bottest.Fares4, bottest.Fares9})
	ch := retrieval.ChannelKey{Platform: "discord", Workspace: testGuild, Channel: testChannel}
	if _, err := ix.AddChannelSource(context.Background(), ch, retrieval.SourceOutlet, "Harbour Herald", time.Now()); err != nil {
		t.Fatal(err)
	}
	core, err := bot.New(bot.Options{Searcher: ix, Scopes: ix, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	opt := gatewayOptions()
	opt.MessageContent = true
	hs := start(t, core, setup{opt: opt})
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, mentionOf(testBotID)+" "+bottest.FaresQuestion, testBotID))
	first := hs.fake.next(t, "message")
	if c, _ := first.JSON["content"].(string); !strings.Contains(c, "9 percent") {
		t.Errorf("mention in the thread answered %q, want the Harbour Herald's 9 percent", c)
	}
	bottest.Eventually(t, "thread remembered", func() bool { return hs.a.threads.Active(testThread) })
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, "and by how much did the fares rise?"))
	follow := hs.fake.next(t, "message")
	if c, _ := follow.JSON["content"].(string); !strings.Contains(c, "9 percent") || strings.Contains(c, "4 percent") {
		t.Errorf("follow-up answered %q, want the Harbour Herald's 9 percent", c)
	}
}

// TestNewsInThreadUsesItsChannelsSources: /news asked in a thread, with
// the bot token to look the thread up, searches its channel's sources.
func TestNewsInThreadUsesItsChannelsSources(t *testing.T) {
	t.Parallel()
	ix := bottest.Index(t, []retrieval.Article{bottest.Fares4, bottest.Fares9})
	ch := retrieval.ChannelKey{Platform: "discord", Workspace: testGuild, Channel: testChannel}
	if _, err := ix.AddChannelSource(context.Background(), ch, retrieval.SourceOutlet, "Harbour Herald", time.Now()); err != nil {
		t.Fatal(err)
	}
	core, err := bot.New(bot.Options{Searcher: ix, Scopes: ix, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	opt := httpOptions()
	opt.BotToken = testToken
	hs := start(t, core, setup{opt: opt})
	ia := command("9601", bottest.FaresQuestion)
	ia["channel_id"] = testThread
	if c, _ := dataOf(t, hs.respond(ia))["content"].(string); !strings.Contains(c, "9 percent") {
		t.Errorf("/news in the thread answered %q, want the Harbour Herald's 9 percent", c)
	}
}
