package discord

import (
	"context"
	"strings"
	"testing"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// TestRealBotRestart answers a /news question, a mention in a thread
// and a mention in a channel with one adapter, stops it as `byline
// serve` stops (the adapter, then its state writer), and checks that a
// new adapter over the same database, as after a deploy, records a 👍
// on the earlier answer, answers a reply in the thread without a
// mention and a reply to the earlier answer with its conversation; and
// that after one more restart the same 👍 is known to be recorded.
func TestRealBotRestart(t *testing.T) {
	t.Parallel()
	ix := bottest.Index(t, realArticles)
	core := bottest.Bot(t, ix)
	both := func(state *bot.StateWriter) Options {
		opt, h := gatewayOptions(), httpOptions()
		opt.PublicKey, opt.AppID = h.PublicKey, h.AppID
		opt.MessageContent, opt.State = true, state
		return opt
	}

	state, stopState := bottest.StateWriter(t, ix)
	before := start(t, core, setup{opt: both(state)})
	helpful := buttons(t, dataOf(t, before.respond(command("9101", "what did Liang deny?"))))[0]
	before.dispatch("MESSAGE_CREATE", before.fake.userMessage(testThread, testHuman, mentionOf(testBotID)+" what did Liang deny?", testBotID))
	checkAnswer(t, before.fake.next(t, "message").JSON)
	before.dispatch("MESSAGE_CREATE", before.fake.userMessage(testChannel, testHuman, mentionOf(testBotID)+" what did Liang deny?", testBotID))
	checkAnswer(t, before.fake.next(t, "message").JSON)
	answerID := before.fake.latest(testChannel)["id"].(string)
	before.stop()
	stopState()

	state, stopState = bottest.StateWriter(t, ix)
	after := start(t, core, setup{opt: both(state)})
	if got := dataOf(t, after.respond(click("9102", helpful)))["content"]; got != thanksText {
		t.Errorf("👍 after the restart answered %q, want %q", got, thanksText)
	}
	checkFeedback(t, ix)

	after.fake.userMessage(testThread, testHuman, mentionOf(testBotID)+" what did Liang deny?", testBotID) // the thread's history
	after.dispatch("MESSAGE_CREATE", after.fake.userMessage(testThread, testHuman, "and what did Panetta say?"))
	if c := after.fake.next(t, "message").JSON["content"].(string); !strings.Contains(c, "not all of the cyber attacks could be attributed to China") {
		t.Errorf("thread follow-up after the restart answered %q, want Panetta's sentence", c)
	}
	if turns, ok := after.a.convos.Get(answerID); !ok || len(turns) != 2 || turns[0].Text != "what did Liang deny?" || !turns[1].FromBot {
		t.Errorf("conversation of the answer from before the restart = %+v, %v; want the question and the answer", turns, ok)
	}
	q := after.fake.userMessage(testChannel, testHuman, mentionOf(testBotID)+" and what did Panetta say?", testBotID)
	q["type"], q["message_reference"] = 19, map[string]any{"message_id": answerID, "channel_id": testChannel}
	after.dispatch("MESSAGE_CREATE", q)
	if c := after.fake.next(t, "message").JSON["content"].(string); !strings.Contains(c, "not all of the cyber attacks could be attributed to China") {
		t.Errorf("reply to an answer from before the restart answered %q, want Panetta's sentence from its conversation", c)
	}
	after.stop()
	stopState()

	state, _ = bottest.StateWriter(t, ix)
	opt := httpOptions()
	opt.State = state
	again := start(t, core, setup{opt: opt})
	if got := dataOf(t, again.respond(click("9103", helpful)))["content"]; got != againText {
		t.Errorf("the same 👍 after another restart answered %q, want %q", got, againText)
	}
	checkFeedback(t, ix)
}

// checkFeedback checks that the index holds one 👍 on the Liang answer.
func checkFeedback(t *testing.T, ix *sqlite.Index) {
	t.Helper()
	var stored []sqlite.Feedback
	if err := ix.ListFeedback(context.Background(), func(f sqlite.Feedback) error { stored = append(stored, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].Platform != "discord" || !stored[0].Helpful || stored[0].User != testOther ||
		stored[0].Question != "what did Liang deny?" || !strings.Contains(stored[0].Answer, "denied") {
		t.Errorf("feedback stored %+v, want one 👍 on the Liang answer", stored)
	}
}
