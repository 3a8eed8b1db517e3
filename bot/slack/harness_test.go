package slack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/byline-news/byline/bot/bottest"
)

// harness runs one adapter against one fake Slack.
type harness struct {
	t      testing.TB
	fake   *fakeSlack
	h      *newsHandler
	a      *Adapter
	app    *httptest.Server // HTTP mode: serves a.Routes
	sock   *wsConn          // Socket Mode: the fake's end
	cancel context.CancelFunc
	runErr chan error

	seenUpdates []apiCall // chat.update calls collect took from the fake
}

// startHTTP runs an adapter in HTTP mode behind its own test server.
func startHTTP(t testing.TB, edit ...func(*Options)) *harness {
	return start(t, Options{SigningSecret: testSecret}, edit)
}

// startSocket runs an adapter in Socket Mode connected to the fake.
func startSocket(t testing.TB, edit ...func(*Options)) *harness {
	return start(t, Options{AppToken: testAppToken}, edit)
}

func start(t testing.TB, opt Options, edit []func(*Options)) *harness {
	t.Helper()
	h := newNewsHandler()
	hs := startWith(t, h, opt, edit)
	hs.h = h
	return hs
}

// startWith runs an adapter answering with h (hs.h stays nil): HTTP mode
// unless opt has an app token.
func startWith(t testing.TB, h Handler, opt Options, edit []func(*Options)) *harness {
	t.Helper()
	hs := &harness{t: t, fake: newFakeSlack(t), runErr: make(chan error, 1)}
	opt.BotToken, opt.APIURL, opt.Logger = testBotToken, hs.fake.apiURL(), bottest.Logger(t)
	for _, e := range edit {
		e(&opt)
	}
	a, err := New(h, opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	hs.a = a
	if opt.AppToken == "" {
		mux := http.NewServeMux()
		a.Routes(mux)
		hs.app = httptest.NewServer(mux)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hs.cancel = cancel
	go func() { hs.runErr <- a.Run(ctx) }()
	t.Cleanup(hs.stop)
	if opt.AppToken != "" {
		hs.sock = hs.connection()
	}
	bottest.Eventually(t, "adapter ready", a.Ready)
	return hs
}

// stop cancels Run and waits for it, then closes the app server.
func (hs *harness) stop() {
	hs.cancel()
	select {
	case err := <-hs.runErr:
		if err != nil {
			hs.t.Errorf("Run returned %v, want nil on shutdown", err)
		}
	case <-time.After(2 * ShutdownGrace):
		hs.t.Errorf("Run did not return after its context was cancelled")
	}
	hs.runErr <- nil // later stops return at once
	if hs.app != nil {
		hs.app.Close()
	}
}

// connection waits for the adapter's Socket Mode connection.
func (hs *harness) connection() *wsConn {
	select {
	case c := <-hs.fake.conns:
		return c
	case <-time.After(waitTimeout):
		hs.t.Fatalf("the adapter never opened a Socket Mode connection")
		return nil
	}
}

// envelope sends a Socket Mode envelope to the adapter.
func (hs *harness) envelope(id, kind string, payload any) {
	hs.t.Helper()
	err := hs.sock.write(map[string]any{
		"envelope_id": id, "type": kind, "payload": payload,
		"accepts_response_payload": kind == "slash_commands", "retry_attempt": 0, "retry_reason": "",
	})
	if err != nil {
		hs.t.Fatalf("writing envelope %s: %v", id, err)
	}
}

// settle waits until no answer is in flight, so a test can assert that
// something did not happen. Call it only when no request is in progress.
func (hs *harness) settle() { hs.a.work.Wait() }

// signed posts body to the app's path, signed as Slack signs it at when.
func (hs *harness) signed(path, contentType string, body []byte, when time.Time, hdr map[string]string) *http.Response {
	hs.t.Helper()
	ts := strconv.FormatInt(when.Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, hs.app.URL+path, bytes.NewReader(body))
	if err != nil {
		hs.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return hs.do(req)
}

func (hs *harness) do(req *http.Request) *http.Response {
	hs.t.Helper()
	res, err := hs.app.Client().Do(req)
	if err != nil {
		hs.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res
}

// event posts a signed Events API callback carrying inner.
func (hs *harness) event(eventID string, inner map[string]any, hdr map[string]string) *http.Response {
	hs.t.Helper()
	body, _ := json.Marshal(callback(eventID, inner))
	return hs.signed("/slack/events", "application/json", body, time.Now(), hdr)
}

// sign is Slack's v0 request signature.
func sign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%s:", ts)
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// callback is an Events API event_callback body (also a Socket Mode
// events_api payload).
func callback(eventID string, inner map[string]any) map[string]any {
	return map[string]any{
		"token": "legacy", "team_id": testTeam, "api_app_id": "A123", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000000, "event": inner,
	}
}

// mention is an app_mention event; threadTS may be "".
func mention(text, ts, threadTS string) map[string]any {
	e := map[string]any{"type": "app_mention", "user": testHuman, "text": "<@" + testBotUser + "> " + text,
		"ts": ts, "channel": testChannel, "event_ts": ts}
	if threadTS != "" {
		e["thread_ts"] = threadTS
	}
	return e
}

// userMessage is a message event from a person in a channel thread.
func userMessage(text, ts, threadTS string) map[string]any {
	e := map[string]any{"type": "message", "user": testHuman, "text": text, "ts": ts,
		"channel": testChannel, "channel_type": "channel", "event_ts": ts}
	if threadTS != "" {
		e["thread_ts"] = threadTS
	}
	return e
}
