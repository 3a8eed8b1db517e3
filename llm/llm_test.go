package llm

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/llm/fakeai"
)

func newClient(t *testing.T, url string) *Client {
	t.Helper()
	return mustNew(t, Options{BaseURL: url, APIKey: "sk-test", Model: "gpt-4o-mini"})
}

func mustNew(t testing.TB, opt Options) *Client {
	t.Helper()
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeClock is the breaker's clock in tests, moved by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 9, 8, 30, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logBuffer collects a Client's log lines, from any goroutine.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestComplete(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, fakeai.Always("  Liang denied it [1].\n"))
	got, err := newClient(t, srv.URL).Complete(context.Background(), "be brief", "what did Liang deny?")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Liang denied it [1]."; got != want {
		t.Errorf("Complete = %q, want %q", got, want)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Model != "gpt-4o-mini" || r.Auth != "Bearer sk-test" || r.MaxTokens != MaxTokens {
		t.Errorf("request model %q, auth %q, max_tokens %d", r.Model, r.Auth, r.MaxTokens)
	}
	if r.Temperature == nil || *r.Temperature > 1e-6 {
		t.Errorf("temperature = %v, want (near) 0 and present", r.Temperature)
	}
	if len(r.Messages) != 2 || r.Messages[0].Role != "system" || r.Messages[0].Content != "be brief" ||
		r.Messages[1].Role != "user" || r.Messages[1].Content != "what did Liang deny?" {
		t.Errorf("messages = %+v", r.Messages)
	}
}

func TestCompleteRetriesRateLimit(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, func(n int, _ fakeai.Request) fakeai.Reply {
		if n == 1 {
			return fakeai.Reply{Status: http.StatusTooManyRequests, RetryAfter: "1"}
		}
		return fakeai.Reply{Content: "ok [1]."}
	})
	got, err := newClient(t, srv.URL).Complete(context.Background(), "s", "u")
	if err != nil || got != "ok [1]." {
		t.Fatalf("Complete = %q, %v; want the answer after a retry", got, err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	// The retried request carries the same body.
	if r := srv.Requests(); r[0].Body != r[1].Body {
		t.Errorf("retried body differs:\n%s\n%s", r[0].Body, r[1].Body)
	}
}

func TestCompleteGivesUpAfterThreeAttempts(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply {
		return fakeai.Reply{Status: http.StatusInternalServerError}
	})
	_, err := newClient(t, srv.URL).Complete(context.Background(), "s", "u")
	if err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("Complete error = %v, want one naming HTTP 500", err)
	}
	if n := len(srv.Requests()); n != maxAttempts {
		t.Errorf("%d requests, want %d", n, maxAttempts)
	}
}

func TestCompleteNoRetryOnClientError(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply {
		return fakeai.Reply{Status: http.StatusUnauthorized}
	})
	_, err := newClient(t, srv.URL).Complete(context.Background(), "s", "u")
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Fatalf("Complete error = %v, want one naming HTTP 401", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestCompleteRetryAfterBeyondDeadline(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply {
		return fakeai.Reply{Status: http.StatusTooManyRequests, RetryAfter: "20"}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := newClient(t, srv.URL).Complete(ctx, "s", "u")
	if err == nil || !strings.Contains(err.Error(), "HTTP 429") {
		t.Fatalf("Complete error = %v, want HTTP 429 at once", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: the wait would outlast the deadline", n)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  Options
		ok   bool
	}{
		{"no model", Options{}, false},
		{"blank models", Options{Model: " ", EmbedModel: "\t"}, false},
		{"chat model only", Options{Model: "m"}, true},
		{"embedding model only", Options{EmbedModel: "e"}, true},
		{"both models", Options{Model: "m", EmbedModel: "e"}, true},
		{"negative timeout", Options{Model: "m", Timeout: -time.Second}, false},
		{"negative embedding timeout", Options{EmbedModel: "e", EmbedTimeout: -time.Second}, false},
		{"negative cooldown", Options{Model: "m", BreakerCooldown: -time.Second}, false},
		{"breaker off", Options{Model: "m", BreakerThreshold: -1}, true},
	}
	for _, tt := range tests {
		_, err := New(tt.opt)
		if (err == nil) != tt.ok {
			t.Errorf("%s: New error = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestNoChatModel(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, fakeai.Always("x [1]."))
	c := mustNew(t, Options{BaseURL: srv.URL, EmbedModel: "text-embedding-3-small"})
	if c.Model() != "" || c.EmbedModel() != "text-embedding-3-small" {
		t.Errorf("Model() = %q, EmbedModel() = %q", c.Model(), c.EmbedModel())
	}
	if _, err := c.Complete(context.Background(), "s", "u"); err == nil || !strings.Contains(err.Error(), "no chat model") {
		t.Errorf("Complete error = %v, want no chat model", err)
	}
	if _, err := c.Stream(context.Background(), "s", "u", nil); err == nil || !strings.Contains(err.Error(), "no chat model") {
		t.Errorf("Stream error = %v, want no chat model", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestCompleteUsageAndLog(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, fakeai.Always("Liang denied it [1]."))
	var logs logBuffer
	c := mustNew(t, Options{BaseURL: srv.URL, Model: "gpt-4o-mini", Logger: logs.logger()})
	if _, err := c.Complete(context.Background(), "s", "u"); err != nil {
		t.Fatal(err)
	}
	// The fake counts a word a token: "s" and "u" in, four words out.
	m := c.Metrics()
	if m.Calls != 1 || m.PromptTokens != 2 || m.CompletionTokens != 4 || m.Failures != 0 {
		t.Errorf("Metrics = %+v, want 1 call, 2 prompt and 4 completion tokens", m)
	}
	for _, want := range []string{"level=DEBUG", `msg="llm call"`, "model=gpt-4o-mini", "prompt_tokens=2", "completion_tokens=4", "total_tokens=6", "latency="} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
}

func TestCompleteCutOff(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply {
		return fakeai.Reply{Content: "Liang denied", FinishReason: "length"}
	})
	_, err := newClient(t, srv.URL).Complete(context.Background(), "s", "u")
	if err == nil || !strings.Contains(err.Error(), "cut off at 200 tokens") {
		t.Fatalf("Complete error = %v, want the reply cut off", err)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"2", 2 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(3 * time.Second).Format(http.TimeFormat), 3 * time.Second, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
