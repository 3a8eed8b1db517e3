package slack

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// These tests run the real conversation core (*bot.Bot) over a real
// SQLite index, wired into the adapter exactly as `byline serve` wires
// them, against the fake Slack. The articles are invented for the tests
// (see bottest.Pentagon); the second quotes Slack's mention syntax.
var realArticles = []retrieval.Article{
	bottest.Pentagon,
	{
		ID: "r-alerts", URL: "https://example.com/work/alerts?id=7&src=rss", Outlet: "Test Gazette",
		Title:     "Office workers tire of <!channel> and @here alerts",
		Published: time.Date(2024, time.March, 5, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"A survey of remote office workers found that <!channel> and @here alerts, and direct pings such as <@U123>, were the notifications they disliked most.",
			"Managers were urged to send fewer alerts after office hours.",
		},
	},
	bottest.Bridge,
}

// gatedHandler holds every question until gate is closed, then passes it
// to the real core, so a test can see what happens before an answer.
type gatedHandler struct {
	Handler
	gate    chan struct{}
	entered chan struct{}
}

func (g gatedHandler) Handle(ctx context.Context, m bot.Message) bot.Reply {
	g.entered <- struct{}{}
	select {
	case <-g.gate:
	case <-ctx.Done():
	}
	return g.Handler.Handle(ctx, m)
}

// ask mentions the bot at ts (in thread, when set), as a person would:
// the message is added to the fake's history too. It returns the post
// that answered it.
func (hs *harness) ask(eventID, text, ts, thread string) apiCall {
	hs.t.Helper()
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "<@" + testBotUser + "> " + text, TS: ts, ThreadTS: thread})
	if res := hs.event(eventID, mention(text, ts, thread), nil); res.StatusCode != http.StatusOK {
		hs.t.Fatalf("%s: status %d, want 200", eventID, res.StatusCode)
	}
	return hs.answerTo(ts, thread)
}

// answerTo waits for the chat.postMessage in the thread of the message
// at ts and for the 👀 on it to be removed, so the thread is remembered.
func (hs *harness) answerTo(ts, thread string) apiCall {
	hs.t.Helper()
	post := hs.fake.next(hs.t, "chat.postMessage")
	if want := cmp.Or(thread, ts); post.Form.Get("channel") != testChannel || post.Form.Get("thread_ts") != want {
		hs.t.Fatalf("answer posted to %s thread %q, want %s thread %s", post.Form.Get("channel"), post.Form.Get("thread_ts"), testChannel, want)
	}
	if rm := hs.fake.next(hs.t, "reactions.remove"); rm.Form.Get("timestamp") != ts {
		hs.t.Fatalf("👀 removed from %s, want %s", rm.Form.Get("timestamp"), ts)
	}
	return post
}

// sectionText joins the mrkdwn of a post's section blocks.
func sectionText(t testing.TB, c apiCall) string {
	return strings.Join(blockTexts(blocksOf(t, c), "section"), "\n")
}

func TestRealBotOverHTTP(t *testing.T) {
	ix := bottest.Index(t, realArticles)
	b := bottest.Bot(t, ix)
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	pentagon := realArticles[0]

	// A mention is answered in a thread under it, with its source.
	const parent = "1700000100.000100"
	post := hs.ask("Ev1", "what did Liang deny?", parent, "")
	body := sectionText(t, post)
	if !strings.Contains(body, "denied") || !strings.Contains(body, "Liang") {
		t.Errorf("answer = %q, want Liang's denial", body)
	}
	src := blockTexts(blocksOf(t, post), "context")
	if len(src) == 0 || !strings.HasPrefix(src[0], "[1] <"+pentagon.URL+"|"+escape(pentagon.Title)+"> · Test Wire · as of May 7, 2012") {
		t.Errorf("source lines = %q, want the Pentagon article's title and URL first", src)
	}
	helpful := buttons(blocksOf(t, post))[actionHelpful]
	if helpful == "" {
		t.Fatalf("no 👍 button on the answer: %v", blocksOf(t, post))
	}

	// A follow-up in that thread, without a mention, is answered from the
	// thread's context.
	const follow = "1700000100.000300"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "and what did Panetta say?", TS: follow, ThreadTS: parent})
	hs.event("Ev2", userMessage("and what did Panetta say?", follow, parent), nil)
	replies := hs.fake.next(t, "conversations.replies")
	if replies.Form.Get("ts") != parent {
		t.Errorf("history fetched for thread %q, want %s", replies.Form.Get("ts"), parent)
	}
	post = hs.answerTo(follow, parent)
	if body := sectionText(t, post); !strings.Contains(body, "not all of the cyber attacks could be attributed to China") {
		t.Errorf("follow-up answer = %q, want Panetta's sentence", body)
	}
	unhelpful := buttons(blocksOf(t, post))[actionUnhelpful]

	// An article that quotes Slack's mention syntax pings nobody.
	post = hs.ask("Ev3", "which notifications did remote office workers dislike most?", "1700000200.000100", "")
	if src := blockTexts(blocksOf(t, post), "context"); len(src) == 0 || !strings.Contains(src[0], "example.com/work/alerts") {
		t.Fatalf("answered from %q, want the alerts article", src)
	}
	checkNoPings(t, post)

	// An unanswerable question gets a visible reply saying so.
	post = hs.ask("Ev4", "who won the snooker world championship in Sheffield?", "1700000300.000100", "")
	if body := sectionText(t, post); !strings.Contains(body, "couldn't find") {
		t.Errorf("unanswerable: reply %q, want it to say it couldn't find it", body)
	}
	if b := buttons(blocksOf(t, post)); len(b) != 0 {
		t.Errorf("abstention carries buttons %v", b)
	}

	// /news is acknowledged at once and answered at its response_url.
	g := gatedHandler{Handler: b, gate: make(chan struct{}), entered: make(chan struct{}, 1)}
	slash := startWith(t, g, Options{SigningSecret: testSecret}, nil)
	res := slash.signed("/slack/commands", formType, command("what did Liang deny?", slash.fake.responseURL("cmd-1")), time.Now(), nil)
	var ack ackPayload
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&ack) != nil || !strings.Contains(ack.Text, "Liang") {
		t.Errorf("/news: status %d ack %+v, want 200 and a note about the question", res.StatusCode, ack)
	}
	<-g.entered // the core has the question, and has not answered it
	if n := slash.fake.count("respond"); n != 0 {
		t.Fatalf("answered before the core did: %d responses", n)
	}
	close(g.gate)
	resp := slash.fake.next(t, "respond")
	if resp.JSON["path"] != "/respond/cmd-1" || !strings.Contains(sectionText(t, resp), "denied") {
		t.Errorf("/news answer = %v, want Liang's denial at /respond/cmd-1", resp.JSON)
	}

	// 👍 on the first thread answer and 👎 on the follow-up are stored in
	// the database; the follow-up's question shows the words it borrowed
	// from the thread.
	hs.interact(click(actionHelpful, helpful, hs.fake.responseURL("act-1")))
	if thanks := hs.fake.next(t, "respond"); thanks.JSON["text"] != thanksText {
		t.Errorf("click acknowledged with %v, want %q", thanks.JSON["text"], thanksText)
	}
	hs.interact(click(actionUnhelpful, unhelpful, hs.fake.responseURL("act-2")))
	hs.fake.next(t, "respond")
	stored := map[bool]sqlite.Feedback{}
	err := ix.ListFeedback(context.Background(), func(f sqlite.Feedback) error {
		if _, dup := stored[f.Helpful]; dup {
			t.Errorf("two feedback rows with helpful=%v", f.Helpful)
		}
		stored[f.Helpful] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 {
		t.Fatalf("feedback rows stored: %+v, want a 👍 and a 👎", stored)
	}
	f := stored[true]
	if f.Platform != "slack" || f.Workspace != testTeam || f.Channel != testChannel || f.User != testHuman ||
		f.Question != "what did Liang deny?" || !strings.Contains(f.Answer, "denied") ||
		len(f.Sources) == 0 || f.Sources[0] != pentagon.ID || time.Since(f.At) > time.Minute {
		t.Errorf("stored 👍 = %+v, want it on the Liang answer", f)
	}
	f = stored[false]
	if f.Question != "and what did Panetta say? (deny)" || !strings.Contains(f.Answer, "Panetta") ||
		len(f.Sources) == 0 || f.Sources[0] != pentagon.ID {
		t.Errorf("stored 👎 = %+v, want it on the Panetta follow-up, asked with the thread's context", f)
	}
}

// checkNoPings fails when anything in a post (its blocks, decoded, and
// its fallback text) would notify someone.
func checkNoPings(t *testing.T, post apiCall) {
	t.Helper()
	all := append(strs(blocksOf(t, post)), textOf(post), post.Form.Get("blocks"))
	joined := strings.Join(all, "\n")
	if !strings.Contains(joined, "channel") || !strings.Contains(joined, "here") {
		t.Fatalf("the post does not quote the alerts at all: %q", joined)
	}
	for _, s := range all {
		if pinging.MatchString(s) {
			t.Errorf("post would ping: %q", s)
		}
		for _, live := range []string{"<!channel>", "<!here>", "<@U123>", "@here"} {
			if strings.Contains(s, live) {
				t.Errorf("post carries a live %s: %q", live, s)
			}
		}
	}
}

func TestRealBotOverSocketMode(t *testing.T) {
	ix := bottest.Index(t, realArticles)
	hs := startWith(t, bottest.Bot(t, ix), Options{AppToken: testAppToken}, nil)
	const parent = "1700000100.000100"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "<@" + testBotUser + "> what did Liang deny?", TS: parent})
	hs.envelope("env-1", "events_api", callback("Ev1", mention("what did Liang deny?", parent, "")))
	post := hs.answerTo(parent, "")
	if body := sectionText(t, post); !strings.Contains(body, "denied") {
		t.Errorf("answer = %q, want Liang's denial", body)
	}
	if ack := hs.fake.next(t, "socket.ack"); ack.JSON["envelope_id"] != "env-1" {
		t.Errorf("ack = %v, want env-1", ack.JSON)
	}

	const follow = "1700000100.000300"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "and what did Panetta say?", TS: follow, ThreadTS: parent})
	hs.envelope("env-2", "events_api", callback("Ev2", userMessage("and what did Panetta say?", follow, parent)))
	if body := sectionText(t, hs.answerTo(follow, parent)); !strings.Contains(body, "not all of the cyber attacks could be attributed to China") {
		t.Errorf("follow-up answer = %q, want Panetta's sentence", body)
	}
}

// TestRealBotSaysWhatItSearched mentions the real core with a misspelt
// question: the answer comes as if spelt right, with a context line
// first saying what was searched, escaped like any quoted text.
func TestRealBotSaysWhatItSearched(t *testing.T) {
	post := askReal(t, "what did Liang dneied? <!channel>", "denied")
	ctx := blockTexts(blocksOf(t, post), "context")
	if len(ctx) == 0 || ctx[0] != "Searched for: what did Liang denied? @\u200bchannel" {
		t.Errorf("context lines = %q, want the searched question first, unable to ping", ctx)
	}
}

// TestRealBotAddressedByName asks the real core in a message that
// addresses the bot by the name auth.test gave: the name is no word of
// the question, which is answered as if asked plainly.
func TestRealBotAddressedByName(t *testing.T) {
	askReal(t, "Byline, what did Panetta say?", "not all of the cyber attacks could be attributed to China")
}

// TestRealBotLinkInQuestion checks that a question with a link, which
// Slack sends wrapped (<https://…|label>), is answered from the linked
// story: the link's parts ("example", "com", "src") were searched as
// words no article has, and the question refused.
func TestRealBotLinkInQuestion(t *testing.T) {
	askReal(t, "which alerts did they dislike? <https://example.com/work/alerts?src=rss&id=7|example.com/work/alerts>",
		"notifications they disliked most")
}

// TestRealBotUnindexedLink checks that a question linking to a story
// byline has not indexed is answered from the stories it has, with a
// context line saying so first: the answer is not what the link says.
func TestRealBotUnindexedLink(t *testing.T) {
	post := askReal(t, "which alerts did they dislike? <https://elsewhere.example/alerts-story|elsewhere.example/alerts-story>",
		"notifications they disliked most")
	ctx := blockTexts(blocksOf(t, post), "context")
	if len(ctx) == 0 || ctx[0] != "I haven't indexed https://elsewhere.example/alerts-story; this is from other stories." {
		t.Errorf("context lines = %q, want the note first", ctx)
	}
}

// askReal mentions the real core over HTTP with question and returns
// its answer's post, checking that the answer holds want.
func askReal(t *testing.T, question, want string) apiCall {
	t.Helper()
	hs := startWith(t, bottest.Bot(t, bottest.Index(t, realArticles)), Options{SigningSecret: testSecret}, nil)
	post := hs.ask("Ev1", question, "1700000100.000100", "")
	if body := sectionText(t, post); !strings.Contains(body, want) {
		t.Errorf("answer to %q = %q, want %q in it", question, body, want)
	}
	return post
}
