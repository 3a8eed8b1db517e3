package llm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byline-news/byline/llm/fakeai"
)

// failing500 fails every chat request, asking for an immediate retry so
// that tests do not wait for the backoff.
var failing500 = fakeai.Reply{Status: http.StatusInternalServerError, RetryAfter: "0"}

func TestBreaker(t *testing.T) {
	t.Parallel()
	var healthy atomic.Bool
	srv := fakeai.Start(t, &fakeai.Handler{
		Chat: func(int, fakeai.Request) fakeai.Reply {
			if healthy.Load() {
				return fakeai.Reply{Content: "ok [1]."}
			}
			return failing500
		},
		Embed: func(_ int, req fakeai.EmbedRequest) fakeai.EmbedReply { return vectorsFor(req) },
	})
	clock := newFakeClock()
	var logs logBuffer
	c := mustNew(t, Options{BaseURL: srv.URL, Model: "m", EmbedModel: "e", Now: clock.Now, Logger: logs.logger()})
	ctx := context.Background()
	complete := func() error { _, err := c.Complete(ctx, "s", "u"); return err }

	for i := range DefaultBreakerThreshold {
		if err := complete(); err == nil || errors.Is(err, ErrUnavailable) {
			t.Fatalf("call %d: error %v, want HTTP 500", i+1, err)
		}
	}
	sent := len(srv.Requests())
	if sent != DefaultBreakerThreshold*maxAttempts {
		t.Fatalf("%d requests, want %d", sent, DefaultBreakerThreshold*maxAttempts)
	}

	// Open: the chat model's calls are refused and nothing is sent; the
	// embedding model has a breaker of its own and is still served.
	refused := []struct {
		name string
		call func() error
	}{
		{"Complete", complete},
		{"Stream", func() error { _, err := c.Stream(ctx, "s", "u", nil); return err }},
	}
	for _, r := range refused {
		if err := r.call(); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "HTTP 500") {
			t.Errorf("%s while open: error %v, want ErrUnavailable naming the last failure", r.name, err)
		}
	}
	if n := len(srv.Requests()); n != sent {
		t.Errorf("%d chat requests while open, want %d", n, sent)
	}
	if _, err := c.Embed(ctx, []string{"a"}); err != nil || len(srv.EmbedRequests()) != 1 {
		t.Errorf("Embed while the chat breaker is open: %v, %d requests; want it served", err, len(srv.EmbedRequests()))
	}
	want := Metrics{Calls: 6, Failures: 5, Retries: 10, Rejected: 2, BreakerOpen: true, BreakerTrips: 1, EmbedTexts: 1, EmbedTokens: 1}
	if m := c.Metrics(); m != want {
		t.Errorf("Metrics = %+v, want %+v", m, want)
	}
	if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "circuit breaker open") {
		t.Errorf("no warning of the breaker opening:\n%s", l)
	}

	// Still open until the cooldown is over.
	clock.Advance(DefaultBreakerCooldown - time.Second)
	if err := complete(); !errors.Is(err, ErrUnavailable) {
		t.Errorf("before the cooldown's end: error %v, want ErrUnavailable", err)
	}
	// Then one trial call; it fails, and the breaker opens again.
	clock.Advance(time.Second)
	if err := complete(); err == nil || errors.Is(err, ErrUnavailable) {
		t.Errorf("trial call: error %v, want HTTP 500", err)
	}
	if n := len(srv.Requests()); n != sent+maxAttempts {
		t.Errorf("%d requests after the trial, want %d", n, sent+maxAttempts)
	}
	if err := complete(); !errors.Is(err, ErrUnavailable) {
		t.Errorf("after a failed trial: error %v, want ErrUnavailable", err)
	}
	if m := c.Metrics(); !m.BreakerOpen || m.BreakerTrips != 2 {
		t.Errorf("after a failed trial: Metrics = %+v, want open with 2 trips", m)
	}

	// A successful trial closes it.
	clock.Advance(DefaultBreakerCooldown)
	healthy.Store(true)
	for i := range 2 {
		if err := complete(); err != nil {
			t.Fatalf("call %d after recovery: %v", i+1, err)
		}
	}
	if m := c.Metrics(); m.BreakerOpen || m.BreakerTrips != 2 {
		t.Errorf("after recovery: Metrics = %+v, want closed", m)
	}
	if l := logs.String(); !strings.Contains(l, "level=INFO") || !strings.Contains(l, "circuit breaker closed") {
		t.Errorf("no notice of the breaker closing:\n%s", l)
	}
}

// TestBreakerOneTrial checks that while the trial call is out, other
// calls are still refused.
func TestBreakerOneTrial(t *testing.T) {
	t.Parallel()
	var healthy atomic.Bool
	entered, release := make(chan struct{}, 1), make(chan struct{})
	srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply {
		if !healthy.Load() {
			return failing500
		}
		select {
		case entered <- struct{}{}:
		default:
		}
		<-release
		return fakeai.Reply{Content: "ok [1]."}
	})
	clock := newFakeClock()
	c := mustNew(t, Options{BaseURL: srv.URL, Model: "m", Now: clock.Now, BreakerThreshold: 1})
	ctx := context.Background()
	if _, err := c.Complete(ctx, "s", "u"); err == nil {
		t.Fatal("first call: no error")
	}
	clock.Advance(DefaultBreakerCooldown)
	healthy.Store(true)

	trial := make(chan error, 1)
	go func() { _, err := c.Complete(ctx, "s", "u"); trial <- err }()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the trial call never reached the server")
	}
	if _, err := c.Complete(ctx, "s", "u"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("call during the trial: error %v, want ErrUnavailable", err)
	}
	close(release)
	if err := <-trial; err != nil {
		t.Fatalf("trial call: %v", err)
	}
	if _, err := c.Complete(ctx, "s", "u"); err != nil {
		t.Errorf("call after the trial: %v", err)
	}
}

// TestBreakerFailures checks what counts as a failure, with a threshold
// of one: the service's errors do; the caller's cancellation and a reply
// cut off at MaxTokens do not.
func TestBreakerFailures(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		reply    fakeai.Reply
		ctx      context.Context
		timeout  time.Duration
		stream   bool
		wantOpen bool
	}{
		{"server error", failing500, context.Background(), 0, false, true},
		{"unauthorized", fakeai.Reply{Status: http.StatusUnauthorized}, context.Background(), 0, false, true},
		{"cut-off stream", fakeai.Reply{Chunks: []string{"a"}, NoFinish: true}, context.Background(), 0, true, true},
		// The client's own timeout: the service is too slow.
		{"client timeout", fakeai.Reply{Chunks: []string{"a"}, Delay: time.Hour}, context.Background(), time.Millisecond, true, true},
		{"caller cancelled", fakeai.Reply{Content: "a [1]."}, cancelled, 0, false, false},
		{"reply at max tokens", fakeai.Reply{Content: "a", FinishReason: "length"}, context.Background(), 0, false, false},
		{"stream at max tokens", fakeai.Reply{Chunks: []string{"a"}, FinishReason: "length"}, context.Background(), 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply { return tt.reply })
			c := mustNew(t, Options{BaseURL: srv.URL, Model: "m", Timeout: tt.timeout, BreakerThreshold: 1})
			var err error
			if tt.stream {
				_, err = c.Stream(tt.ctx, "s", "u", nil)
			} else {
				_, err = c.Complete(tt.ctx, "s", "u")
			}
			if err == nil {
				t.Fatal("no error")
			}
			m := c.Metrics()
			if m.BreakerOpen != tt.wantOpen || (m.Failures == 1) != tt.wantOpen {
				t.Errorf("after %v: Metrics = %+v, want breaker open %v", err, m, tt.wantOpen)
			}
		})
	}
}

func TestBreakerOff(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply { return failing500 })
	c := mustNew(t, Options{BaseURL: srv.URL, Model: "m", BreakerThreshold: -1})
	for i := range DefaultBreakerThreshold + 1 {
		if _, err := c.Complete(context.Background(), "s", "u"); errors.Is(err, ErrUnavailable) || err == nil {
			t.Fatalf("call %d: error %v, want HTTP 500", i+1, err)
		}
	}
	if m := c.Metrics(); m.BreakerOpen || m.BreakerTrips != 0 || m.Failures != int64(DefaultBreakerThreshold+1) {
		t.Errorf("Metrics = %+v, want failures and no trips", m)
	}
}
