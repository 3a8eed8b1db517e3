package llm

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/byline-news/byline/llm/fakeai"
)

func newEmbedClient(t *testing.T, url string) *Client {
	t.Helper()
	return mustNew(t, Options{BaseURL: url, APIKey: "sk-test", EmbedModel: "text-embedding-3-small"})
}

// vectorsFor is a scripted embeddings reply: one small vector per text.
func vectorsFor(req fakeai.EmbedRequest) fakeai.EmbedReply {
	var r fakeai.EmbedReply
	for i := range req.Input {
		r.Vectors = append(r.Vectors, []float32{float32(i), 1})
	}
	return r
}

func TestEmbed(t *testing.T) {
	t.Parallel()
	texts := []string{"first article", "second one here", "third"}
	srv := fakeai.Start(t, &fakeai.Handler{Embed: func(int, fakeai.EmbedRequest) fakeai.EmbedReply {
		// Out of order: the index field, not the position, says which text.
		return fakeai.EmbedReply{
			Vectors: [][]float32{{3, 3}, {1, 1}, {2, 2}},
			Indexes: []int{2, 0, 1},
			Tokens:  7,
		}
	}})
	c := newEmbedClient(t, srv.URL)
	got, err := c.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]float32{{1, 1}, {2, 2}, {3, 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Embed = %v, want %v", got, want)
	}
	reqs := srv.EmbedRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	if r := reqs[0]; r.Model != "text-embedding-3-small" || !slices.Equal(r.Input, texts) || r.Auth != "Bearer sk-test" {
		t.Errorf("request model %q, input %q, auth %q", r.Model, r.Input, r.Auth)
	}
	m := c.Metrics()
	if m.Calls != 1 || m.EmbedTexts != 3 || m.EmbedTokens != 7 || m.PromptTokens != 0 {
		t.Errorf("Metrics = %+v, want 1 call, 3 texts, 7 embedding tokens", m)
	}
}

func TestEmbedNothing(t *testing.T) {
	t.Parallel()
	srv := fakeai.Start(t, &fakeai.Handler{Embed: func(_ int, req fakeai.EmbedRequest) fakeai.EmbedReply { return vectorsFor(req) }})
	got, err := newEmbedClient(t, srv.URL).Embed(context.Background(), nil)
	if got != nil || err != nil || len(srv.EmbedRequests()) != 0 {
		t.Errorf("Embed(nil) = %v, %v with %d requests; want nothing sent", got, err, len(srv.EmbedRequests()))
	}
}

func TestEmbedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply fakeai.EmbedReply
		want  string
	}{
		{"too few", fakeai.EmbedReply{Vectors: [][]float32{{1}, {2}}}, "2 vectors for 3 texts"},
		{"too many", fakeai.EmbedReply{Vectors: [][]float32{{1}, {2}, {3}, {4}}}, "4 vectors for 3 texts"},
		{"index out of range", fakeai.EmbedReply{Vectors: [][]float32{{1}, {2}, {3}}, Indexes: []int{0, 1, 3}}, "index 3 for 3 texts"},
		{"index twice", fakeai.EmbedReply{Vectors: [][]float32{{1}, {2}, {3}}, Indexes: []int{0, 1, 1}}, "two vectors with index 1"},
		{"empty vector", fakeai.EmbedReply{Vectors: [][]float32{{1}, {}, {3}}}, "empty vector for text 2"},
		{"mixed sizes", fakeai.EmbedReply{Vectors: [][]float32{{1, 1}, {2}, {3, 3}}}, "vectors of 2 and 1 dimensions"},
		{"bad request", fakeai.EmbedReply{Status: http.StatusBadRequest}, "HTTP 400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakeai.Start(t, &fakeai.Handler{Embed: func(int, fakeai.EmbedRequest) fakeai.EmbedReply { return tt.reply }})
			got, err := newEmbedClient(t, srv.URL).Embed(context.Background(), []string{"a", "b", "c"})
			if err == nil || !strings.Contains(err.Error(), tt.want) || got != nil {
				t.Fatalf("Embed = %v, %v; want an error with %q", got, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "embeddings with text-embedding-3-small: ") {
				t.Errorf("error %q does not name the call and model", err)
			}
		})
	}
}

func TestEmbedRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	srv := fakeai.Start(t, &fakeai.Handler{Embed: func(_ int, req fakeai.EmbedRequest) fakeai.EmbedReply { return vectorsFor(req) }})
	tests := []struct {
		name  string
		opt   Options
		texts []string
		want  string
	}{
		{"no embedding model", Options{BaseURL: srv.URL, Model: "gpt-4o-mini"}, []string{"a"}, "no embedding model set"},
		{"empty text", Options{BaseURL: srv.URL, EmbedModel: "e"}, []string{"a", " \n"}, "text 2 of 2 is empty"},
	}
	for _, tt := range tests {
		_, err := mustNew(t, tt.opt).Embed(context.Background(), tt.texts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Embed error = %v, want %q", tt.name, err, tt.want)
		}
	}
	if n := len(srv.EmbedRequests()); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestEmbedRetriesRateLimit(t *testing.T) {
	t.Parallel()
	srv := fakeai.Start(t, &fakeai.Handler{Embed: func(n int, req fakeai.EmbedRequest) fakeai.EmbedReply {
		if n == 1 {
			return fakeai.EmbedReply{Status: http.StatusTooManyRequests, RetryAfter: "0"}
		}
		return vectorsFor(req)
	}})
	c := newEmbedClient(t, srv.URL)
	got, err := c.Embed(context.Background(), []string{"a", "b"})
	if err != nil || len(got) != 2 {
		t.Fatalf("Embed = %v, %v; want 2 vectors after a retry", got, err)
	}
	reqs := srv.EmbedRequests()
	if len(reqs) != 2 || reqs[0].Body != reqs[1].Body {
		t.Errorf("%d requests, want 2 with the same body", len(reqs))
	}
	if m := c.Metrics(); m.Retries != 1 || m.Calls != 1 || m.Failures != 0 {
		t.Errorf("Metrics = %+v, want 1 call with 1 retry", m)
	}
}
