package llm

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/llm/llmtest"
)

func newClient(t *testing.T, url string) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: url, APIKey: "sk-test", Model: "gpt-4o-mini"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestComplete(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t, llmtest.Always("  Liang denied it [1].\n"))
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
	srv := llmtest.NewServer(t, func(n int, _ llmtest.Request) llmtest.Reply {
		if n == 1 {
			return llmtest.Reply{Status: http.StatusTooManyRequests, RetryAfter: "1"}
		}
		return llmtest.Reply{Content: "ok [1]."}
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
	srv := llmtest.NewServer(t, func(int, llmtest.Request) llmtest.Reply {
		return llmtest.Reply{Status: http.StatusInternalServerError}
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
	srv := llmtest.NewServer(t, func(int, llmtest.Request) llmtest.Reply {
		return llmtest.Reply{Status: http.StatusUnauthorized}
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
	srv := llmtest.NewServer(t, func(int, llmtest.Request) llmtest.Reply {
		return llmtest.Reply{Status: http.StatusTooManyRequests, RetryAfter: "20"}
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
	if _, err := New(Options{}); err == nil {
		t.Error("New with no model: no error")
	}
	if _, err := New(Options{Model: "m", Timeout: -time.Second}); err == nil {
		t.Error("New with a negative timeout: no error")
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
