package discord

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// These tests run the real conversation core (*bot.Bot) over a real
// SQLite index, wired into the adapter as `byline serve` wires them,
// against the fake Discord. The articles are invented for the tests; the
// first retells, in our own words, the facts of a news story about Liang
// Guanglie's visit to the Pentagon.
var realArticles = []retrieval.Article{{
	ID: "r-pentagon", URL: "https://example.com/world/pentagon-cyber-talks", Outlet: "Test Wire",
	Title:     "China's defence minister rejects blame for cyber attacks",
	Published: time.Date(2012, time.May, 7, 18, 0, 0, 0, time.UTC),
	Paragraphs: []string{
		"Defence officials from the United States and China said on Monday they were willing to cooperate against the growing danger of cyber attacks.",
		"At a Pentagon news conference, the visiting Chinese Defence Minister Liang Guanglie denied that China was behind the cyber attacks on the United States, saying no evidence linked them to his country.",
		"US Defense Secretary Leon Panetta said that not all of the cyber attacks could be attributed to China.",
		"The two men also talked about North Korea's nuclear programme, American arms sales to Taiwan and disputes in the South China Sea.",
	},
}, {
	ID: "r-alerts", URL: "https://example.com/work/alerts?id=7&src=rss", Outlet: "Test Gazette",
	Title:     "Gamers tire of @everyone and <@&456> alerts",
	Published: time.Date(2024, time.March, 5, 9, 0, 0, 0, time.UTC),
	Paragraphs: []string{
		"A survey of chat server members found that @everyone and @here alerts, and direct pings such as <@123>, were the notifications they disliked most.",
		"Moderators were urged to send fewer alerts late at night.",
	},
}, {
	ID: "r-bridge", URL: "https://example.com/local/bridge", Outlet: "Test Gazette",
	Title:     "Harbour bridge reopens after repairs",
	Published: time.Date(2012, time.May, 7, 10, 0, 0, 0, time.UTC),
	Paragraphs: []string{
		"The harbour bridge reopened to traffic on Monday after six weeks of repairs, the city council said.",
		"Engineers replaced the worn steel cables that had forced the closure.",
	},
}}

// feedbackStore saves the bot's feedback in the index's database, like
// cmd/byline/serve.go's adapter of the same name.
type feedbackStore struct{ ix *sqlite.Index }

func (s feedbackStore) SaveFeedback(ctx context.Context, f bot.Feedback) error {
	return s.ix.SaveFeedback(ctx, sqlite.Feedback{At: f.At, Platform: f.Platform, Workspace: f.Workspace,
		Channel: f.Channel, User: f.User, Question: f.Question, Answer: f.Answer, Sources: f.Sources, Helpful: f.Helpful})
}

// realIndex is a fresh SQLite index in t's temporary directory.
func realIndex(t testing.TB, articles []retrieval.Article) *sqlite.Index {
	t.Helper()
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "byline.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Put(ctx, articles); err != nil {
		t.Fatal(err)
	}
	return ix
}

// realBot is the conversation core over ix, as serve builds it.
func realBot(t testing.TB, ix *sqlite.Index) *bot.Bot {
	t.Helper()
	b, err := bot.New(bot.Options{Searcher: ix, Feedback: feedbackStore{ix}, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRealBotOverHTTPInteractions(t *testing.T) {
	ix := realIndex(t, realArticles)
	hs := start(t, realBot(t, ix), setup{opt: httpOptions()})

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
	ix := realIndex(t, realArticles)
	opt := gatewayOptions()
	opt.MessageContent = true
	hs := start(t, realBot(t, ix), setup{opt: opt})

	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, mentionOf(testBotID)+" what did Liang deny?", testBotID))
	first := hs.fake.next(t, "message")
	checkAnswer(t, first.JSON)
	eventually(t, "thread remembered", func() bool { return hs.a.threads.Active(testThread) })

	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, "and what did Panetta say?"))
	follow := hs.fake.next(t, "message")
	if c := follow.JSON["content"].(string); !strings.Contains(c, "not all of the cyber attacks could be attributed to China") {
		t.Errorf("follow-up answered %q, want Panetta's sentence from the thread's context", c)
	}
}
