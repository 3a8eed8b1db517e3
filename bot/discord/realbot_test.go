package discord

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// These tests run the real conversation core (*bot.Bot) over a real
// SQLite index, wired into the adapter as `byline serve` wires them,
// against the fake Discord. The articles are invented for the tests (see
// bottest.Pentagon); the second quotes Discord's mention syntax.
var realArticles = []retrieval.Article{
	bottest.Pentagon,
	{
		ID: "r-alerts", URL: "https://example.com/work/alerts?id=7&src=rss", Outlet: "Test Gazette",
		Title:     "Gamers tire of @everyone and <@&456> alerts",
		Published: time.Date(2024, time.March, 5, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"A survey of chat server members found that @everyone and @here alerts, and direct pings such as <@123>, were the notifications they disliked most.",
			"Moderators were urged to send fewer alerts late at night.",
		},
	},
	bottest.Bridge,
}

func TestRealBotOverHTTPInteractions(t *testing.T) {
	ix := bottest.Index(t, realArticles)
	hs := start(t, bottest.Bot(t, ix), setup{opt: httpOptions()})

	answer := dataOf(t, hs.respond(command("9101", "what did Liang deny?")))
	checkAnswer(t, answer)

	alerts := dataOf(t, hs.respond(command("9102", "which notifications did chat server members dislike most?")))
	checkNoMentions(t, alerts)
	text := alerts["content"].(string) + "\n" + alerts["embeds"].([]any)[0].(map[string]any)["description"].(string)
	if !strings.Contains(text, "example.com/work/alerts") || !strings.Contains(text, "123") {
		t.Fatalf("answered %q, want the alerts article quoted", text)
	}
	if pinging.MatchString(text) {
		t.Errorf("answer would ping: %q", text)
	}

	none := dataOf(t, hs.respond(command("9103", "who won the snooker world championship in Sheffield?")))
	if c := none["content"].(string); !strings.Contains(c, "couldn't find") || len(buttons(t, none)) != 0 {
		t.Errorf("unanswerable: %v, want a clear couldn't-find reply without buttons", none)
	}

	hs.respond(click("9104", buttons(t, answer)[0]))
	var stored []sqlite.Feedback
	err := ix.ListFeedback(context.Background(), func(f sqlite.Feedback) error { stored = append(stored, f); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].Platform != "discord" || !stored[0].Helpful || stored[0].User != testOther ||
		stored[0].Question != "what did Liang deny?" || !strings.Contains(stored[0].Answer, "denied") ||
		len(stored[0].Sources) == 0 || stored[0].Sources[0] != "r-pentagon" {
		t.Errorf("feedback stored %+v, want one 👍 on the Liang answer", stored)
	}
}

func TestRealBotThreadOverGateway(t *testing.T) {
	t.Parallel()
	hs := startThread(t)
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, "and what did Panetta say?"))
	follow := hs.fake.next(t, "message")
	if c := follow.JSON["content"].(string); !strings.Contains(c, "not all of the cyber attacks could be attributed to China") {
		t.Errorf("follow-up answered %q, want Panetta's sentence from the thread's context", c)
	}
}

// startThread starts the real core over the gateway, with the Message
// Content intent, and asks it about Liang in testThread, which it then
// follows without mentions.
func startThread(t *testing.T) *harness {
	t.Helper()
	opt := gatewayOptions()
	opt.MessageContent = true
	hs := start(t, bottest.Bot(t, bottest.Index(t, realArticles)), setup{opt: opt})
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, mentionOf(testBotID)+" what did Liang deny?", testBotID))
	checkAnswer(t, hs.fake.next(t, "message").JSON)
	bottest.Eventually(t, "thread remembered", func() bool { return hs.a.threads.Active(testThread) })
	return hs
}

// TestRealBotSaysWhatItSearched asks the real core a misspelt question
// through an interaction: the answer comes as if spelt right, under a
// small line saying what was searched, and the line is not read back as
// part of the answer when the thread goes on.
func TestRealBotSaysWhatItSearched(t *testing.T) {
	ix := bottest.Index(t, realArticles)
	hs := start(t, bottest.Bot(t, ix), setup{opt: httpOptions()})
	data := dataOf(t, hs.respond(command("9201", "what did Liang dneied?")))
	checkNoMentions(t, data)
	content, _ := data["content"].(string)
	note, answer, _ := strings.Cut(content, "\n")
	if note != "-# Searched for: what did Liang denied?" || !strings.Contains(answer, "denied") {
		t.Errorf("content = %q, want the searched note, then Liang's denial", content)
	}
	a := &Adapter{}
	a.setMe(testBotID, "", "")
	msg := &discordgo.Message{Author: &discordgo.User{ID: testBotID}, Content: content}
	if got := a.turns([]*discordgo.Message{msg}); len(got) != 1 || got[0].Text != unescape(answer) {
		t.Errorf("read back as %+v, want the answer alone", got)
	}
}

// TestRealBotLinkInQuestion asks in a thread with a link whose preview
// the user suppressed (<https://…>): it is answered from the linked
// story, not refused for the link's parts ("example", "com", "src"),
// words no article has.
func TestRealBotLinkInQuestion(t *testing.T) {
	t.Parallel()
	askInThread(t, "which alerts did they dislike? <https://example.com/work/alerts?src=rss&id=7>", "notifications they disliked most")
}

// TestRealBotUnindexedLink checks that a question linking to a story
// byline has not indexed is answered from the stories it has, with a
// subtext line saying so first.
func TestRealBotUnindexedLink(t *testing.T) {
	t.Parallel()
	c := askInThread(t, "which alerts did they dislike? <https://elsewhere.example/alerts-story>", "notifications they disliked most")
	if !strings.HasPrefix(c, "-# I haven't indexed https://elsewhere.example/alerts-story; this is from other stories.\n") {
		t.Errorf("answer = %q, want the note first, as subtext", c)
	}
}

// TestRealBotAddressedByName follows up in a thread addressing the bot by
// the user name READY gave: the name is no word of the question.
func TestRealBotAddressedByName(t *testing.T) {
	t.Parallel()
	askInThread(t, "byline: what did Panetta say?", "not all of the cyber attacks could be attributed to China")
}

// askInThread follows up in a thread the real core answered in with
// text, checks that the answer holds want, and returns it.
func askInThread(t *testing.T, text, want string) string {
	t.Helper()
	hs := startThread(t)
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, text))
	c := hs.fake.next(t, "message").JSON["content"].(string)
	if !strings.Contains(c, want) {
		t.Errorf("answer to %q = %q, want %q in it", text, c, want)
	}
	return c
}
