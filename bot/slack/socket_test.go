package slack

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/byline-news/byline/bot"
)

const (
	parentTS   = "1700000000.000100"
	followTS   = "1700000000.000300"
	boeText    = "what did the Bank of England do with interest rates?"
	boeAnswer  = "The Bank of England has held interest rates at 5.25% for the fourth time in a row"
	boeSource  = "[1] <https://www.bbc.co.uk/news/business-68184414|Bank of England holds interest rates at 5.25%> · BBC News · as of Feb 1, 2024"
	followText = "and what did the governor say about inflation?"
)

// askInThread mentions the bot at parentTS over Socket Mode and waits
// for the whole answer (👀 added, posted, 👀 removed).
func (hs *harness) askOverSocket(envID, eventID string) (add, post, remove apiCall) {
	hs.t.Helper()
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "<@U0BYLINE1> " + boeText, TS: parentTS})
	hs.envelope(envID, "events_api", callback(eventID, mention(boeText, parentTS, "")))
	return hs.fake.next(hs.t, "reactions.add"), hs.fake.next(hs.t, "chat.postMessage"), hs.fake.next(hs.t, "reactions.remove")
}

func TestSocketModeMentionAnsweredInThread(t *testing.T) {
	hs := startSocket(t)
	add, post, remove := hs.askOverSocket("env-1", "Ev1")

	ack := hs.fake.next(t, "socket.ack")
	if got := ack.JSON["envelope_id"]; got != "env-1" {
		t.Errorf("ack envelope_id = %v, want env-1", got)
	}
	if _, ok := ack.JSON["payload"]; ok {
		t.Errorf("events_api ack carries a payload: %v", ack.JSON)
	}
	for _, c := range []apiCall{add, remove} {
		if c.Form.Get("name") != "eyes" || c.Form.Get("channel") != testChannel || c.Form.Get("timestamp") != parentTS {
			t.Errorf("%s = %v, want eyes on %s/%s", c.Method, c.Form, testChannel, parentTS)
		}
	}
	// 👀 goes on in the background, so the answer may come first; it
	// comes off after both.
	if !(add.Seq < remove.Seq && post.Seq < remove.Seq) {
		t.Errorf("order: reactions.add #%d, chat.postMessage #%d, reactions.remove #%d; want add and post before remove", add.Seq, post.Seq, remove.Seq)
	}
	checkAnswerPost(t, post, parentTS)

	want := bot.Message{Platform: "slack", Workspace: testTeam, Channel: testChannel, User: testHuman, Thread: parentTS, Text: boeText, BotName: "byline"}
	got := hs.h.questions()
	if len(got) == 1 {
		if got[0].Partial == nil {
			t.Errorf("the message has no Partial: a generated answer could not be streamed")
		}
		got[0].Partial = nil // a func: DeepEqual only matches nil ones
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("handler got %+v, want [%+v]", got, want)
	}
}

// checkAnswerPost checks a threaded Block Kit answer about the Bank of
// England: text section, source line, buttons, no previews.
func checkAnswerPost(t *testing.T, post apiCall, thread string) {
	t.Helper()
	f := post.Form
	if f.Get("channel") != testChannel || f.Get("thread_ts") != thread {
		t.Errorf("posted to %s thread %q, want %s thread %s", f.Get("channel"), f.Get("thread_ts"), testChannel, thread)
	}
	if f.Get("unfurl_links") != "false" || f.Get("unfurl_media") != "false" {
		t.Errorf("unfurl_links=%q unfurl_media=%q, want both false", f.Get("unfurl_links"), f.Get("unfurl_media"))
	}
	blocks := blocksOf(t, post)
	if s := blockTexts(blocks, "section"); len(s) != 1 || !strings.HasPrefix(s[0], boeAnswer) {
		t.Errorf("sections = %q, want one starting %q", s, boeAnswer)
	}
	if c := blockTexts(blocks, "context"); len(c) != 1 || c[0] != boeSource {
		t.Errorf("source lines = %q, want [%q]", c, boeSource)
	}
	b := buttons(blocks)
	if b[actionHelpful] == "" || b[actionHelpful] != b[actionUnhelpful] {
		t.Errorf("buttons = %v, want 👍 and 👎 carrying the same answer ID", b)
	}
	if _, ok := b[actionShare]; ok {
		t.Errorf("a thread answer offers Share: %v", b)
	}
	if !strings.HasPrefix(f.Get("text"), boeAnswer) || !strings.Contains(f.Get("text"), "Bank of England holds interest rates") {
		t.Errorf("fallback text = %q, want the answer and its source", f.Get("text"))
	}
}

func TestSocketModeFollowUpUsesThreadHistory(t *testing.T) {
	hs := startSocket(t)
	_, first, _ := hs.askOverSocket("env-1", "Ev1")

	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: followText, TS: followTS, ThreadTS: parentTS})
	hs.envelope("env-2", "events_api", callback("Ev2", userMessage(followText, followTS, parentTS)))
	post := hs.fake.next(t, "chat.postMessage")
	if post.Form.Get("thread_ts") != parentTS {
		t.Errorf("follow-up answered in thread %q, want %s", post.Form.Get("thread_ts"), parentTS)
	}
	if hs.fake.count("conversations.replies") != 1 {
		t.Errorf("conversations.replies called %d times, want 1 (the follow-up)", hs.fake.count("conversations.replies"))
	}
	qs := hs.h.questions()
	if len(qs) != 2 {
		t.Fatalf("handler got %d questions, want 2", len(qs))
	}
	got := qs[1]
	if got.Text != followText || got.Thread != parentTS {
		t.Errorf("follow-up message = %+v, want text %q in thread %s", got, followText, parentTS)
	}
	want := []bot.Turn{{User: testHuman, Text: boeText}, {User: testBotUser, Text: plain(first.Form.Get("text"), testBotUser), FromBot: true}}
	if !reflect.DeepEqual(got.History, want) {
		t.Errorf("History = %+v\nwant %+v", got.History, want)
	}
}

// TestSocketModeThanksInThreadNotAnswered checks that a reply in the
// bot's thread that only reacts ("thanks, great answer!") gets no reply,
// while the question after it does.
func TestSocketModeThanksInThreadNotAnswered(t *testing.T) {
	hs := startSocket(t)
	hs.askOverSocket("env-1", "Ev1")
	const thanksTS = "1700000000.000400"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "thanks, great answer!", TS: thanksTS, ThreadTS: parentTS})
	hs.envelope("env-2", "events_api", callback("Ev2", userMessage("thanks, great answer!", thanksTS, parentTS)))
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: followText, TS: followTS, ThreadTS: parentTS})
	hs.envelope("env-3", "events_api", callback("Ev3", userMessage(followText, followTS, parentTS)))
	hs.fake.next(t, "chat.postMessage")
	hs.settle()
	qs := hs.h.questions()
	if len(qs) != 2 || qs[1].Text != followText {
		t.Fatalf("handler got %+v, want the first question and the follow-up, not the thanks", qs)
	}
	if n := hs.fake.count("chat.postMessage"); n != 2 {
		t.Errorf("%d posts, want 2 (the answer and the follow-up's)", n)
	}
}

func TestSocketModeSlashCommand(t *testing.T) {
	hs := startSocket(t)
	hs.envelope("env-3", "slash_commands", map[string]any{
		"command": "/news", "text": "interest rates", "channel_id": testChannel, "channel_name": "news",
		"user_id": testHuman, "user_name": "alice", "team_id": testTeam, "team_domain": "news", "api_app_id": "A123",
		"is_enterprise_install": "false", "response_url": hs.fake.responseURL("cmd-1"), "trigger_id": "1.2.3",
	})
	ack := hs.fake.next(t, "socket.ack")
	payload, _ := ack.JSON["payload"].(map[string]any)
	if ack.JSON["envelope_id"] != "env-3" || payload["response_type"] != "ephemeral" ||
		!strings.Contains(payload["text"].(string), "interest rates") {
		t.Errorf("ack = %v, want env-3 with an ephemeral note about the question", ack.JSON)
	}
	res := hs.fake.next(t, "respond")
	if res.JSON["path"] != "/respond/cmd-1" || res.JSON["response_type"] != "ephemeral" {
		t.Errorf("response_url post = %v, want ephemeral at /respond/cmd-1", res.JSON)
	}
	blocks := blocksOf(t, res)
	if s := blockTexts(blocks, "section"); len(s) != 1 || !strings.HasPrefix(s[0], boeAnswer) {
		t.Errorf("sections = %q, want the answer", s)
	}
	if b := buttons(blocks); b[actionShare] == "" || b[actionShare] != b[actionHelpful] {
		t.Errorf("buttons = %v, want Share, 👍 and 👎 for one answer", b)
	}
	if q := hs.h.questions(); len(q) != 1 || q[0].Text != "interest rates" || q[0].Thread != "" {
		t.Errorf("handler got %+v, want the command text outside any thread", q)
	}

	// The same command redelivered in a new envelope is acknowledged,
	// without a payload, and not answered again.
	hs.envelope("env-4", "slash_commands", map[string]any{
		"command": "/news", "text": "interest rates", "channel_id": testChannel, "user_id": testHuman, "team_id": testTeam,
		"response_url": hs.fake.responseURL("cmd-1"), "trigger_id": "1.2.3",
	})
	if ack := hs.fake.next(t, "socket.ack"); ack.JSON["envelope_id"] != "env-4" || ack.JSON["payload"] != nil {
		t.Errorf("redelivery ack = %v, want env-4 without a payload", ack.JSON)
	}
	hs.settle()
	if n := hs.fake.count("respond"); n != 1 {
		t.Errorf("%d answers at the response_url, want 1", n)
	}
	if n := hs.fake.count("reactions.add"); n != 0 {
		t.Errorf("slash command added %d reactions, want 0", n)
	}
}

// TestReactionNeverDelaysTheAnswer holds reactions.add unanswered until
// the test says (a Slack taking 5 s, or forever) and checks that the
// answer is posted meanwhile, then that the 👀 comes off once the add
// finishes; and that a 429 with Retry-After: 30 is neither waited for
// nor retried. An adapter that waited for the reaction would never post.
func TestReactionNeverDelaysTheAnswer(t *testing.T) {
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode+"/slow", func(t *testing.T) {
			hs := startMode(t, mode)
			gate := make(chan struct{})
			t.Cleanup(func() { closeOnce(gate) })
			hs.fake.answerReactions(func(w http.ResponseWriter) {
				<-gate
				fmt.Fprint(w, `{"ok":true}`)
			})
			hs.mention(mode, "Ev1")
			add := hs.fake.next(t, "reactions.add")     // received, and held
			post := hs.fake.next(t, "chat.postMessage") // while reactions.add is held
			checkAnswerPost(t, post, parentTS)
			if n := hs.fake.count("reactions.remove"); n != 0 {
				t.Errorf("👀 removed while its add was still in flight")
			}
			close(gate)
			remove := hs.fake.next(t, "reactions.remove")
			if !(add.Seq < remove.Seq && post.Seq < remove.Seq) {
				t.Errorf("order: add #%d, post #%d, remove #%d; want the remove last", add.Seq, post.Seq, remove.Seq)
			}
		})
		t.Run(mode+"/rate-limited", func(t *testing.T) {
			hs := startMode(t, mode)
			hs.fake.answerReactions(func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
			})
			hs.mention(mode, "Ev1")
			checkAnswerPost(t, hs.fake.next(t, "chat.postMessage"), parentTS)
			hs.settle()
			hs.stop() // waits for the reactions in the background too
			if n := hs.fake.count("reactions.add"); n != 1 {
				t.Errorf("reactions.add called %d times, want once: a reaction is never retried", n)
			}
			if n := hs.fake.count("reactions.remove"); n != 0 {
				t.Errorf("reactions.remove called %d times, want none after a failed add", n)
			}
		})
	}
}

// startMode starts an adapter in Socket Mode or HTTP mode.
func startMode(t *testing.T, mode string) *harness {
	if mode == "socket" {
		return startSocket(t)
	}
	return startHTTP(t)
}

// mention sends a mention of the bot at parentTS over the harness's
// transport.
func (hs *harness) mention(mode, eventID string) {
	hs.t.Helper()
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "<@U0BYLINE1> " + boeText, TS: parentTS})
	if mode == "socket" {
		hs.envelope("env-"+eventID, "events_api", callback(eventID, mention(boeText, parentTS, "")))
		return
	}
	if res := hs.event(eventID, mention(boeText, parentTS, ""), nil); res.StatusCode != http.StatusOK {
		hs.t.Fatalf("event: status %d", res.StatusCode)
	}
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func closeOnce(c chan struct{}) {
	if !isClosed(c) {
		close(c)
	}
}
