package llm

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/byline-news/byline/llm/fakeai"
)

func TestStream(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply {
		return fakeai.Reply{Chunks: []string{"  Liang ", "denied ", "", "it [1].\n"}}
	})
	c := newClient(t, srv.URL)
	var got []string
	reply, err := c.Stream(context.Background(), "be brief", "what did Liang deny?", func(soFar string) {
		got = append(got, soFar)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Liang denied it [1]."; reply != want {
		t.Errorf("Stream = %q, want %q", reply, want)
	}
	// One call a delta with text, each text growing the one before.
	want := []string{"Liang ", "Liang denied ", "Liang denied it [1].\n"}
	if !slices.Equal(got, want) {
		t.Errorf("onText got %q, want %q", got, want)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if !r.Stream || r.StreamOptions == nil || !r.StreamOptions.IncludeUsage {
		t.Errorf("request stream %v, stream_options %+v; want a stream with usage", r.Stream, r.StreamOptions)
	}
	if r.Model != "gpt-4o-mini" || r.MaxTokens != MaxTokens || r.Temperature == nil || *r.Temperature > 1e-6 {
		t.Errorf("request model %q, max_tokens %d, temperature %v", r.Model, r.MaxTokens, r.Temperature)
	}
	if len(r.Messages) != 2 || r.Messages[0].Content != "be brief" || r.Messages[1].Content != "what did Liang deny?" {
		t.Errorf("messages = %+v", r.Messages)
	}
	// The usage chunk counts a word a token: 2+4 words in, 4 out.
	m := c.Metrics()
	if m.Calls != 1 || m.PromptTokens != 6 || m.CompletionTokens != 4 {
		t.Errorf("Metrics = %+v, want one call with the usage chunk's 6 prompt and 4 completion tokens", m)
	}
}

func TestStreamNilCallback(t *testing.T) {
	t.Parallel()
	srv := fakeai.NewServer(t, fakeai.Always("Liang denied it [1]."))
	got, err := newClient(t, srv.URL).Stream(context.Background(), "s", "u", nil)
	if err != nil || got != "Liang denied it [1]." {
		t.Fatalf("Stream = %q, %v", got, err)
	}
}

func TestStreamErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		reply    fakeai.Reply
		want     string // in the error
		requests int
	}{
		{"cut off", fakeai.Reply{Chunks: []string{"Liang ", "denied"}, NoFinish: true}, "the stream was cut off before the model finished", 1},
		{"length", fakeai.Reply{Chunks: []string{"Liang ", "denied"}, FinishReason: "length"}, "the reply was cut off at 200 tokens", 1},
		{"error event", fakeai.Reply{Chunks: []string{"Liang "}, StreamError: "model overloaded"}, "server error mid-stream: model overloaded", 1},
		{"server error", fakeai.Reply{Status: http.StatusInternalServerError, RetryAfter: "0"}, "HTTP 500", maxAttempts},
		{"unauthorized", fakeai.Reply{Status: http.StatusUnauthorized}, "HTTP 401", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakeai.NewServer(t, func(int, fakeai.Request) fakeai.Reply { return tt.reply })
			got, err := newClient(t, srv.URL).Stream(context.Background(), "s", "u", func(string) {})
			if err == nil || !strings.Contains(err.Error(), tt.want) || got != "" {
				t.Errorf("Stream = %q, %v; want an error with %q", got, err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "chat completion stream with gpt-4o-mini: ") {
				t.Errorf("error %q does not name the call and model", err)
			}
			if n := len(srv.Requests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}
