package slack

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byline-news/byline/bot/bottest"
)

func TestNewRejectsBadOptions(t *testing.T) {
	h := newNewsHandler()
	cases := []struct {
		name string
		opt  Options
		want string
	}{
		{"no bot token", Options{SigningSecret: "s"}, "bot token is required"},
		{"user token", Options{BotToken: "xoxp-1-secretpart", SigningSecret: "s"}, `must start with xoxb- (got a xoxp- token)`},
		{"app token as bot token", Options{BotToken: "xapp-1-secretpart", AppToken: "xapp-1-a"}, `must start with xoxb- (got a xapp- token)`},
		{"garbage bot token", Options{BotToken: "secretpart", SigningSecret: "s"}, "got an unrecognised token"},
		{"bot token as app token", Options{BotToken: "xoxb-1", AppToken: "xoxb-secretpart"}, "app-level token must start with xapp- (got a xoxb- token)"},
		{"no transport", Options{BotToken: "xoxb-1"}, "signing secret is required in HTTP mode"},
		{"bad command", Options{BotToken: "xoxb-1", SigningSecret: "s", Command: "news"}, `command "news"`},
		{"bad API URL", Options{BotToken: "xoxb-1", SigningSecret: "s", APIURL: "slack.example/api"}, "must be an absolute http(s) URL"},
	}
	for _, c := range cases {
		_, err := New(h, c.opt)
		if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want ErrInvalidOptions mentioning %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "secretpart") {
			t.Errorf("%s: error leaks the token: %v", c.name, err)
		}
	}
	if _, err := New(nil, Options{BotToken: "xoxb-1", SigningSecret: "s"}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("nil handler: err = %v, want ErrInvalidOptions", err)
	}
	_, err := New(h, Options{BotToken: "xoxp-1"})
	if err == nil || !strings.Contains(err.Error(), "xoxb-") || !strings.Contains(err.Error(), "signing secret") {
		t.Errorf("two problems: err = %v, want both reported", err)
	}
}

func TestNewDefaults(t *testing.T) {
	a, err := New(newNewsHandler(), Options{BotToken: "xoxb-1", SigningSecret: "s", APIURL: "http://127.0.0.1:1/api"})
	if err != nil {
		t.Fatal(err)
	}
	o := a.opt
	if !o.Ephemeral || o.Command != DefaultCommand || o.MaxInFlight != DefaultMaxInFlight ||
		o.AnswerTimeout != DefaultAnswerTimeout || o.APIURL != "http://127.0.0.1:1/api/" || a.Ready() {
		t.Errorf("defaults = %+v, ready %v", o, a.Ready())
	}
	a, _ = New(newNewsHandler(), Options{BotToken: "xoxb-1", AppToken: "xapp-1", EphemeralSet: true})
	if a.opt.Ephemeral {
		t.Errorf("Ephemeral = true, want false when set explicitly")
	}
}

func TestTSBefore(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"1700000000.000100", "1700000000.000300", true},
		{"1700000000.000300", "1700000000.000100", false},
		{"1700000000.000100", "1700000000.000100", false},
		{"1699999999.999999", "1700000000.000000", true},
		{"1700000000.1", "1700000000.000200", false},
		{"1700000000.0001", "1700000000.000200", true},
		{"", "1700000000.000200", false},
	}
	for _, c := range cases {
		if got := tsBefore(c.a, c.b); got != c.want {
			t.Errorf("tsBefore(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestShutdownFinishesAnswersInFlight(t *testing.T) {
	hs := startHTTP(t)
	hs.h.gate, hs.h.entered = make(chan struct{}), make(chan struct{}, 1)
	hs.event("Ev1", mention(boeText, parentTS, ""), nil)
	<-hs.h.entered
	hs.cancel() // Run must now wait for the answer in flight
	bottest.Eventually(t, "not ready", func() bool { return !hs.a.Ready() })
	if res := hs.event("Ev2", mention(boeText, "1700000000.000900", ""), nil); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("event during shutdown: status %d, want 503", res.StatusCode)
	}
	close(hs.h.gate)
	if err := <-hs.runErr; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	hs.runErr <- nil
	if n := hs.fake.count("chat.postMessage"); n != 1 {
		t.Errorf("%d answers posted by the time Run returned, want 1", n)
	}
	if n := hs.fake.count("reactions.remove"); n != 1 {
		t.Errorf("👀 not removed before Run returned")
	}
}

func TestRunFailsOnInvalidTokens(t *testing.T) {
	fake := newFakeSlack(t)
	for _, opt := range []Options{
		{BotToken: "xoxb-revoked", SigningSecret: testSecret},
		{BotToken: testBotToken, AppToken: "xapp-1-revoked"},
	} {
		opt.APIURL, opt.Logger = fake.apiURL(), bottest.Logger(t)
		a, err := New(newNewsHandler(), opt)
		if err != nil {
			t.Fatal(err)
		}
		err = a.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "invalid_auth") || a.Ready() {
			t.Errorf("app token %q: Run = %v (ready %v), want an invalid_auth error", opt.AppToken, err, a.Ready())
		}
	}
}

// TestRunRetriesUnreachableSlack starts the adapter while Slack cannot be
// reached: auth.test first meets a dropped connection, then a 502. Run
// keeps trying with backoff and serves once Slack answers.
func TestRunRetriesUnreachableSlack(t *testing.T) {
	fake := newFakeSlack(t)
	target, _ := url.Parse(fake.srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var authCalls atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/auth.test") {
			switch authCalls.Add(1) {
			case 1: // the network drops the connection
				conn, _, _ := http.NewResponseController(w).Hijack()
				conn.Close()
				return
			case 2:
				http.Error(w, "bad gateway", http.StatusBadGateway)
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	a, err := New(newNewsHandler(), Options{BotToken: testBotToken, SigningSecret: testSecret, APIURL: front.URL + "/", Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	a.backoff = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	bottest.Eventually(t, "ready after Slack came back", a.Ready)
	if n := authCalls.Load(); n != 3 {
		t.Errorf("auth.test tried %d times, want 3 (dropped, 502, then answered)", n)
	}
	if me := a.me(); me.userID != testBotUser {
		t.Errorf("identity %+v, want the bot user %s", me, testBotUser)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil on shutdown", err)
	}
}

// TestRunStopsRetryingWhenCancelled: an operator stopping a bot that
// never reached Slack gets a prompt, clean exit.
func TestRunStopsRetryingWhenCancelled(t *testing.T) {
	var calls atomic.Int32
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	a, err := New(newNewsHandler(), Options{BotToken: testBotToken, SigningSecret: testSecret, APIURL: down.URL + "/", Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	a.backoff = time.Hour // the retry would wait an hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	bottest.Eventually(t, "auth.test tried", func() bool { return calls.Load() > 0 })
	cancel()
	select {
	case err := <-done:
		if err != nil || a.Ready() {
			t.Errorf("Run = %v (ready %v), want nil and not ready", err, a.Ready())
		}
	case <-time.After(waitTimeout):
		t.Fatal("Run kept waiting after its context was cancelled")
	}
}
