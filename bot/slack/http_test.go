package slack

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// triggers numbers the commands' trigger_ids: each invocation has its own.
var triggers atomic.Int64

// command is a slash command form as Slack posts it.
func command(text, responseURL string) []byte {
	return []byte(url.Values{
		"token": {"legacy"}, "team_id": {testTeam}, "team_domain": {"news"}, "channel_id": {testChannel},
		"channel_name": {"news"}, "user_id": {testHuman}, "user_name": {"alice"}, "command": {"/news"},
		"text": {text}, "response_url": {responseURL}, "trigger_id": {fmt.Sprintf("1.2.%d", triggers.Add(1))}, "api_app_id": {"A123"},
		"is_enterprise_install": {"false"},
	}.Encode())
}

const formType = "application/x-www-form-urlencoded"

func TestHTTPSlashCommandAcksBeforeAnswering(t *testing.T) {
	hs := startHTTP(t)
	hs.h.gate, hs.h.entered = make(chan struct{}), make(chan struct{}, 1)

	res := hs.signed("/slack/commands", formType, command("interest rates", hs.fake.responseURL("cmd-1")), time.Now(), nil)
	// The handler is still blocked on the gate: the 200 did not wait for it.
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.StatusCode)
	}
	var ack ackPayload
	if err := json.NewDecoder(res.Body).Decode(&ack); err != nil || ack.ResponseType != "ephemeral" || !strings.Contains(ack.Text, "interest rates") {
		t.Errorf("ack = %+v (%v), want an ephemeral note about the question", ack, err)
	}
	<-hs.h.entered
	if n := hs.fake.count("respond"); n != 0 {
		t.Fatalf("answered before the handler finished: %d responses", n)
	}
	close(hs.h.gate)
	post := hs.fake.next(t, "respond")
	if post.JSON["path"] != "/respond/cmd-1" || post.JSON["response_type"] != "ephemeral" {
		t.Errorf("response = %v, want ephemeral at /respond/cmd-1", post.JSON)
	}
	if s := blockTexts(blocksOf(t, post), "section"); len(s) != 1 || !strings.HasPrefix(s[0], boeAnswer) {
		t.Errorf("sections = %q, want the answer", s)
	}
}

func TestHTTPSlashCommandHelp(t *testing.T) {
	for _, text := range []string{"", "help"} {
		hs := startHTTP(t)
		res := hs.signed("/slack/commands", formType, command(text, hs.fake.responseURL("help")), time.Now(), nil)
		if body, _ := io.ReadAll(res.Body); res.StatusCode != http.StatusOK || len(body) != 0 {
			t.Errorf("/news %q: status %d body %q, want an empty 200", text, res.StatusCode, body)
		}
		post := hs.fake.next(t, "respond")
		ctx := blockTexts(blocksOf(t, post), "context")
		if len(ctx) != 1 || !strings.Contains(ctx[0], "/news <question>") || post.JSON["response_type"] != "ephemeral" {
			t.Errorf("/news %q: response %v, want ephemeral help with Slack usage", text, post.JSON)
		}
		if q := hs.h.questions(); len(q) != 1 || q[0].Text != "help" {
			t.Errorf("/news %q: handler got %+v, want \"help\"", text, q)
		}
	}
}

func TestHTTPMentionInThread(t *testing.T) {
	hs := startHTTP(t)
	const thread = "1699999000.000100"
	res := hs.event("Ev1", mention(boeText, parentTS, thread), nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.StatusCode)
	}
	checkAnswerPost(t, hs.fake.next(t, "chat.postMessage"), thread)
	if hs.fake.next(t, "conversations.replies").Form.Get("ts") != thread {
		t.Errorf("history not fetched for the mention's thread")
	}
	if q := hs.h.questions(); len(q) != 1 || q[0].Thread != thread || q[0].Text != boeText {
		t.Errorf("handler got %+v, want the question in thread %s", q, thread)
	}
}

func TestHTTPURLVerification(t *testing.T) {
	hs := startHTTP(t)
	body := []byte(`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	res := hs.signed("/slack/events", "application/json", body, time.Now(), nil)
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || string(got) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("status %d body %q, want 200 and the challenge", res.StatusCode, got)
	}
}

func TestHTTPRejectsUnverifiedRequests(t *testing.T) {
	hs := startHTTP(t)
	body, _ := json.Marshal(callback("Ev1", mention(boeText, parentTS, "")))
	now := time.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	old := strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10)
	cases := []struct {
		name    string
		ts, sig string
		body    []byte
	}{
		{"unsigned", "", "", body},
		{"wrong secret", ts, sign("not-the-secret", ts, body), body},
		{"six minutes old", old, sign(testSecret, old, body), body},
		{"tampered body", ts, sign(testSecret, ts, body), append([]byte(" "), body...)},
		{"not v0", ts, "v1=" + strings.TrimPrefix(sign(testSecret, ts, body), "v0="), body},
	}
	for _, path := range []string{"/slack/events", "/slack/commands", "/slack/interactions"} {
		for _, c := range cases {
			req, _ := http.NewRequest(http.MethodPost, hs.app.URL+path, strings.NewReader(string(c.body)))
			if c.ts != "" {
				req.Header.Set("X-Slack-Request-Timestamp", c.ts)
				req.Header.Set("X-Slack-Signature", c.sig)
			}
			if res := hs.do(req); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s: status %d, want 401", path, c.name, res.StatusCode)
			}
		}
	}
	hs.settle()
	if q := hs.h.questions(); len(q) != 0 {
		t.Errorf("handler was asked %+v by unverified requests", q)
	}
	for _, m := range []string{"chat.postMessage", "reactions.add", "respond"} {
		if n := hs.fake.count(m); n != 0 {
			t.Errorf("%d %s calls after unverified requests, want 0", n, m)
		}
	}
}

// TestHTTPReplayedCommandAnsweredOnce replays one signed slash command
// ten times within Slack's five-minute signature window: the signature
// is valid every time, and it is answered once.
func TestHTTPReplayedCommandAnsweredOnce(t *testing.T) {
	hs := startHTTP(t)
	body := command("interest rates", hs.fake.responseURL("cmd-1"))
	now := time.Now()
	for i := range 10 {
		res := hs.signed("/slack/commands", formType, body, now, nil)
		ack, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("delivery %d: status %d, want 200", i+1, res.StatusCode)
		}
		if i > 0 && len(ack) != 0 {
			t.Errorf("replay %d acknowledged with %q, want an empty 200", i, ack)
		}
	}
	hs.fake.next(t, "respond")
	hs.settle()
	if q := hs.h.questions(); len(q) != 1 {
		t.Errorf("handler asked %d times, want once", len(q))
	}
	if n := hs.fake.count("respond"); n != 1 {
		t.Errorf("%d answers at the response_url, want 1", n)
	}
	// Another invocation (its own trigger_id) of the same text is answered.
	hs.signed("/slack/commands", formType, command("interest rates", hs.fake.responseURL("cmd-2")), now, nil)
	if res := hs.fake.next(t, "respond"); res.JSON["path"] != "/respond/cmd-2" {
		t.Errorf("second invocation answered at %v, want /respond/cmd-2", res.JSON["path"])
	}
}

// TestHTTPRefusesUnsignedRequestsBeforeTheBody sends headers that
// promise a body and never sends it: a request without Slack's
// signature headers, or with a stale timestamp, is refused at once.
func TestHTTPRefusesUnsignedRequestsBeforeTheBody(t *testing.T) {
	hs := startHTTP(t)
	stale := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
	for name, hdr := range map[string]string{
		"no signature headers": "",
		"stale timestamp":      "X-Slack-Request-Timestamp: " + stale + "\r\nX-Slack-Signature: v0=" + strings.Repeat("ab", 32) + "\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", strings.TrimPrefix(hs.app.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /slack/commands HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: 100000\r\n%s\r\n", formType, hdr)
			conn.SetReadDeadline(time.Now().Add(waitTimeout))
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no response while the body is outstanding: %v", err)
			}
			if res.StatusCode != http.StatusUnauthorized || !res.Close {
				t.Errorf("status %d, close %v; want 401 and the connection closed", res.StatusCode, res.Close)
			}
		})
	}
}

func TestHTTPRetryAnsweredOnce(t *testing.T) {
	hs := startHTTP(t)
	ev := mention(boeText, parentTS, "")
	for i, hdr := range []map[string]string{nil, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}} {
		if res := hs.event("Ev1", ev, hdr); res.StatusCode != http.StatusOK {
			t.Fatalf("delivery %d: status %d, want 200", i+1, res.StatusCode)
		}
	}
	hs.fake.next(t, "chat.postMessage")
	hs.settle()
	if n := hs.fake.count("chat.postMessage"); n != 1 {
		t.Errorf("%d answers to one event delivered twice, want 1", n)
	}
}

func TestHTTPMentionAndMessagePairAnsweredOnce(t *testing.T) {
	hs := startHTTP(t)
	hs.event("Ev1", mention(boeText, parentTS, ""), nil)
	hs.fake.next(t, "reactions.remove") // answered, thread remembered

	// A reply in that thread that mentions the bot arrives twice: as a
	// message (the thread is followed) and as an app_mention.
	text := "<@" + testBotUser + "> " + followText
	hs.event("Ev2", userMessage(text, followTS, parentTS), nil)
	hs.event("Ev3", mention(followText, followTS, parentTS), nil)
	hs.fake.next(t, "chat.postMessage")
	hs.fake.next(t, "chat.postMessage")
	hs.settle()
	if n := hs.fake.count("chat.postMessage"); n != 2 {
		t.Errorf("%d answers, want 2 (the mention and one for the pair)", n)
	}
	if q := hs.h.questions(); len(q) != 2 || q[1].Text != followText {
		t.Errorf("handler got %+v, want the follow-up once, mention removed", q)
	}
}

func TestHTTPMessagesAnsweredOrIgnored(t *testing.T) {
	dm := func(extra map[string]any) map[string]any {
		e := map[string]any{"type": "message", "user": testHuman, "text": "interest rates", "ts": "1700000001.000100",
			"channel": "D0ALICE01", "channel_type": "im", "event_ts": "1700000001.000100"}
		for k, v := range extra {
			e[k] = v
		}
		return e
	}
	cases := []struct {
		name   string
		event  map[string]any
		answer bool
	}{
		{"direct message", dm(nil), true},
		{"dm from a bot", dm(map[string]any{"bot_id": "B0OTHER01", "subtype": "bot_message"}), false},
		{"own message", dm(map[string]any{"user": testBotUser, "bot_id": testBotID}), false},
		{"edited", dm(map[string]any{"subtype": "message_changed"}), false},
		{"deleted", dm(map[string]any{"subtype": "message_deleted"}), false},
		{"channel message, no mention", userMessage("interest rates", "1700000001.000200", ""), false},
		{"reply in a thread the bot is not in", userMessage("interest rates", "1700000001.000300", "1700000001.000001"), false},
		{"mention from a bot", func() map[string]any {
			e := mention(boeText, "1700000001.000400", "")
			e["bot_id"] = "B0OTHER01"
			return e
		}(), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hs := startHTTP(t)
			if res := hs.event("Ev-"+c.name, c.event, nil); res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			hs.settle()
			if got := hs.fake.count("chat.postMessage") == 1; got != c.answer {
				t.Errorf("answered = %v, want %v", got, c.answer)
			}
			if c.answer {
				post := hs.fake.next(t, "chat.postMessage")
				if post.Form.Get("channel") != "D0ALICE01" || post.Form.Has("thread_ts") {
					t.Errorf("DM answer posted to %v, want top level of D0ALICE01", post.Form)
				}
			}
		})
	}
}
