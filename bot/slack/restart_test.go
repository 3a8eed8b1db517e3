package slack

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// TestRealBotRestart answers in a thread and on /news with one adapter,
// stops it as `byline serve` stops (the adapter, then its state writer),
// and checks that a new adapter over the same database, as after a
// deploy, answers a reply in that thread without a mention and records
// a 👍 and shares an answer given before the restart.
func TestRealBotRestart(t *testing.T) {
	ix := bottest.Index(t, realArticles)
	core := bottest.Bot(t, ix)
	state, stopState := bottest.StateWriter(t, ix)
	before := startWith(t, core, Options{SigningSecret: testSecret, State: state}, nil)
	const parent = "1700000100.000100"
	helpful := buttons(blocksOf(t, before.ask("Ev1", "what did Liang deny?", parent, "")))[actionHelpful]
	before.signed("/slack/commands", formType, command("what did Liang deny?", before.fake.responseURL("cmd-1")), time.Now(), nil)
	share := buttons(blocksOf(t, before.fake.next(t, "respond")))[actionShare]
	if helpful == "" || share == "" {
		t.Fatalf("answers without buttons: 👍 %q, share %q", helpful, share)
	}
	before.stop()
	stopState()

	state, _ = bottest.StateWriter(t, ix)
	after := startWith(t, core, Options{SigningSecret: testSecret, State: state}, nil)
	after.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "<@" + testBotUser + "> what did Liang deny?", TS: parent})

	// A reply in a thread the bot never answered in is still ignored.
	after.event("Ev2", userMessage("and what did Panetta say?", "1700000500.000200", "1700000500.000100"), nil)
	after.settle()
	if n := after.fake.count("chat.postMessage"); n != 0 {
		t.Fatalf("%d posts for a reply in a thread the bot never answered in, want none", n)
	}

	const follow = "1700000100.000300"
	after.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "and what did Panetta say?", TS: follow, ThreadTS: parent})
	after.event("Ev3", userMessage("and what did Panetta say?", follow, parent), nil)
	if body := sectionText(t, after.answerTo(follow, parent)); !strings.Contains(body, "not all of the cyber attacks could be attributed to China") {
		t.Errorf("follow-up after the restart answered %q, want Panetta's sentence", body)
	}

	after.interact(click(actionHelpful, helpful, after.fake.responseURL("act-1")))
	if thanks := after.fake.next(t, "respond"); thanks.JSON["text"] != thanksText {
		t.Errorf("👍 after the restart acknowledged with %v, want %q", thanks.JSON["text"], thanksText)
	}
	var stored []sqlite.Feedback
	if err := ix.ListFeedback(context.Background(), func(f sqlite.Feedback) error { stored = append(stored, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || !stored[0].Helpful || stored[0].Platform != "slack" || stored[0].Channel != testChannel ||
		stored[0].Question != "what did Liang deny?" || !strings.Contains(stored[0].Answer, "denied") ||
		len(stored[0].Sources) == 0 || stored[0].Sources[0] != bottest.Pentagon.ID {
		t.Errorf("feedback stored %+v, want one 👍 on the Liang answer from before the restart", stored)
	}

	after.interact(click(actionShare, share, after.fake.responseURL("act-2")))
	post := after.fake.next(t, "chat.postMessage")
	if post.Form.Get("channel") != testChannel || post.Form.Has("thread_ts") || !strings.Contains(sectionText(t, post), "denied") {
		t.Errorf("shared after the restart: %v, want the Liang answer at the channel's top level", post.Form)
	}
}
