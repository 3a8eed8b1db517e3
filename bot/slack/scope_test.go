package slack

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
)

// TestChannelsWithDifferentSources: an admin gives two channels
// different sources with /news sources add, and the same question, by
// /news or by a mention, then gets a different answer in each, each from
// its channel's outlet; a channel left alone answers from everything.
func TestChannelsWithDifferentSources(t *testing.T) {
	ix := bottest.Index(t, []retrieval.Article{bottest.Fares4, bottest.Fares9})
	core, err := bot.New(bot.Options{Searcher: ix, Scopes: ix, Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	hs := startWith(t, core, Options{SigningSecret: testSecret, Admins: []string{testHuman}}, nil)
	const other = "C0POST"
	n := 0
	// slash runs /news text in channel and returns the answer and its
	// source lines.
	slashed := func(channel, text string) (string, string) {
		t.Helper()
		n++
		name := "cmd-" + string(rune('a'+n))
		form, _ := url.ParseQuery(string(command(text, hs.fake.responseURL(name))))
		form.Set("channel_id", channel)
		hs.signed("/slack/commands", formType, []byte(form.Encode()), time.Now(), nil)
		c := hs.fake.next(t, "respond")
		return sectionText(t, c), strings.Join(blockTexts(blocksOf(t, c), "context"), "\n")
	}
	slash := func(channel, text string) string {
		t.Helper()
		s, src := slashed(channel, text)
		return s + "\n" + src
	}
	// testChannel gets the outlet whose answer loses without a scope.
	if got := slash(testChannel, "sources add outlet harbour herald"); !strings.Contains(got, "Added the outlet harbour herald") {
		t.Fatalf("sources add in %s: %q", testChannel, got)
	}
	if got := slash(other, "sources add Estuary Post"); !strings.Contains(got, "Added the outlet Estuary Post") {
		t.Fatalf("sources add in %s: %q", other, got)
	}
	if got, _ := slashed(testChannel, "sources"); got != "This channel answers only from the outlet harbour herald." {
		t.Errorf("sources in %s: %q", testChannel, got)
	}

	herald := slash(testChannel, bottest.FaresQuestion)
	post := slash(other, bottest.FaresQuestion)
	if !strings.Contains(herald, "9 percent") || strings.Contains(herald, "4 percent") || !strings.Contains(herald, "Harbour Herald") {
		t.Errorf("answer in %s = %q, want the Harbour Herald's 9 percent", testChannel, herald)
	}
	if !strings.Contains(post, "4 percent") || strings.Contains(post, "9 percent") || !strings.Contains(post, "Estuary Post") {
		t.Errorf("answer in %s = %q, want the Estuary Post's 4 percent", other, post)
	}
	// A mention in a channel searches its sources too.
	mentioned := sectionText(t, hs.ask("EvScope1", bottest.FaresQuestion, "1700000200.000100", ""))
	if !strings.Contains(mentioned, "9 percent") || strings.Contains(mentioned, "4 percent") {
		t.Errorf("mention in %s = %q, want the Harbour Herald's answer", testChannel, mentioned)
	}
	// So does a follow-up in the thread, without a mention.
	const parent, follow = "1700000200.000100", "1700000200.000300"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "and by how much did fares rise?", TS: follow, ThreadTS: parent})
	hs.event("EvScope2", userMessage("and by how much did fares rise?", follow, parent), nil)
	hs.fake.next(t, "conversations.replies")
	if got := sectionText(t, hs.answerTo(follow, parent)); !strings.Contains(got, "9 percent") || strings.Contains(got, "4 percent") {
		t.Errorf("follow-up in %s = %q, want the Harbour Herald's answer", testChannel, got)
	}
	// Another channel, with no sources of its own, answers from both.
	if got, _ := slashed("C0ALL", "sources"); got != "This channel answers from everything I have indexed." {
		t.Errorf("sources in an untouched channel: %q", got)
	}
	hs.settle()
}
