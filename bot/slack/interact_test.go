package slack

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
)

// click is a block_actions payload for one button.
func click(actionID, value, responseURL string) map[string]any {
	return map[string]any{
		"type": "block_actions", "user": map[string]any{"id": testHuman, "name": "alice"},
		"team": map[string]any{"id": testTeam}, "channel": map[string]any{"id": testChannel, "name": "news"},
		"api_app_id": "A123", "trigger_id": "1.2.4", "response_url": responseURL,
		"container": map[string]any{"type": "message", "message_ts": "1700000000.000200", "channel_id": testChannel, "is_ephemeral": true},
		"actions": []map[string]any{{"type": "button", "action_id": actionID, "block_id": actionsBlockID,
			"value": value, "action_ts": "1700000001.000001", "text": map[string]any{"type": "plain_text", "text": "x"}}},
	}
}

// interact posts a signed interactivity request carrying payload.
func (hs *harness) interact(payload map[string]any) *http.Response {
	hs.t.Helper()
	js, _ := json.Marshal(payload)
	body := []byte(url.Values{"payload": {string(js)}}.Encode())
	res := hs.signed("/slack/interactions", formType, body, time.Now(), nil)
	if res.StatusCode != http.StatusOK {
		hs.t.Fatalf("interaction: status %d, want 200", res.StatusCode)
	}
	return res
}

// askByCommand runs "/news interest rates" and returns the buttons of
// the ephemeral answer.
func (hs *harness) askByCommand() map[string]string {
	hs.t.Helper()
	hs.signed("/slack/commands", formType, command("interest rates", hs.fake.responseURL("cmd-1")), time.Now(), nil)
	return buttons(blocksOf(hs.t, hs.fake.next(hs.t, "respond")))
}

func TestShareButtonPostsInChannel(t *testing.T) {
	hs := startHTTP(t)
	id := hs.askByCommand()[actionShare]
	hs.interact(click(actionShare, id, hs.fake.responseURL("act-1")))

	post := hs.fake.next(t, "chat.postMessage")
	if post.Form.Get("channel") != testChannel || post.Form.Has("thread_ts") || post.Form.Get("unfurl_links") != "false" {
		t.Errorf("shared post = %v, want the channel's top level without previews", post.Form)
	}
	blocks := blocksOf(t, post)
	if s := blockTexts(blocks, "section"); len(s) != 1 || !strings.HasPrefix(s[0], boeAnswer) {
		t.Errorf("sections = %q, want the same answer", s)
	}
	ctx := blockTexts(blocks, "context")
	if len(ctx) != 2 || ctx[0] != "<@"+testHuman+"> asked: interest rates" || ctx[1] != boeSource {
		t.Errorf("context lines = %q, want who asked, then the source", ctx)
	}
	b := buttons(blocks)
	if _, ok := b[actionShare]; ok || b[actionHelpful] != id {
		t.Errorf("buttons = %v, want 👍/👎 for answer %s and no Share", b, id)
	}
}

func TestFeedbackButtonSavesFeedback(t *testing.T) {
	hs := startHTTP(t)
	id := hs.askByCommand()[actionHelpful]
	hs.interact(click(actionHelpful, id, hs.fake.responseURL("act-2")))

	thanks := hs.fake.next(t, "respond")
	if thanks.JSON["path"] != "/respond/act-2" || thanks.JSON["response_type"] != "ephemeral" || thanks.JSON["text"] != thanksText ||
		thanks.JSON["replace_original"] != false {
		t.Errorf("acknowledgement = %v, want an ephemeral %q beside the answer", thanks.JSON, thanksText)
	}
	fb := hs.h.feedbacks()
	if len(fb) != 1 {
		t.Fatalf("SaveFeedback called %d times, want 1", len(fb))
	}
	got := fb[0]
	if got.At.IsZero() {
		t.Errorf("feedback has no time")
	}
	got.At = time.Time{}
	want := bot.Feedback{
		Platform: "slack", Workspace: testTeam, Channel: testChannel, User: testHuman,
		Question: "interest rates", Answer: strings.TrimSpace(boeAnswer + ", but signalled that cuts could come later this year. [1]"),
		Sources: []string{"a-boe"}, Helpful: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("feedback = %+v\nwant %+v", got, want)
	}
}

func TestFeedbackOnUnknownAnswer(t *testing.T) {
	hs := startHTTP(t)
	hs.interact(click(actionUnhelpful, "no-such-answer", hs.fake.responseURL("act-3")))
	if got := hs.fake.next(t, "respond"); got.JSON["text"] != expiredText {
		t.Errorf("reply = %v, want %q", got.JSON["text"], expiredText)
	}
	if fb := hs.h.feedbacks(); len(fb) != 0 {
		t.Errorf("feedback saved for an unknown answer: %+v", fb)
	}
}

func TestSocketModeFeedbackClick(t *testing.T) {
	hs := startSocket(t)
	_, post, _ := hs.askOverSocket("env-1", "Ev1")
	id := buttons(blocksOf(t, post))[actionUnhelpful]
	hs.envelope("env-2", "interactive", click(actionUnhelpful, id, hs.fake.responseURL("act-4")))
	hs.fake.next(t, "respond")
	if fb := hs.h.feedbacks(); len(fb) != 1 || fb[0].Helpful || fb[0].Question != boeText || fb[0].Sources[0] != "a-boe" {
		t.Errorf("feedback = %+v, want one 👎 on the Bank of England answer", fb)
	}
	acks := map[any]bool{}
	for range 2 {
		acks[hs.fake.next(t, "socket.ack").JSON["envelope_id"]] = true
	}
	if !acks["env-1"] || !acks["env-2"] {
		t.Errorf("acked %v, want env-1 and env-2", acks)
	}
}
