package answer

import (
	"context"
	"testing"

	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/llm/fakeai"
	"github.com/byline-news/byline/retrieval"
)

// BenchmarkAnswerPaths measures what the model path adds to an answer
// beyond the model's own time: the fake model (fakeai on 127.0.0.1)
// answers at once, so llm minus extractive is byline's overhead (prompt,
// HTTP and JSON or SSE, validation).
//
//	go test ./answer/ -run XXX -bench AnswerPaths
func BenchmarkAnswerPaths(b *testing.B) {
	srv, err := fakeai.Listen("", &fakeai.Handler{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c, err := llm.New(llm.Options{BaseURL: srv.URL, Model: "fake"})
	if err != nil {
		b.Fatal(err)
	}
	hits := []retrieval.Hit{liang, harbour, festival, library, bakery}
	const q = "what did Liang deny?"
	ctx := context.Background()
	b.Run("extractive", func(b *testing.B) {
		for b.Loop() {
			Extract(q, hits, Options{})
		}
	})
	b.Run("llm", func(b *testing.B) {
		for b.Loop() {
			if ans, reason := Generate(ctx, c, q, hits, Options{}, GenOptions{}); !ans.Generated {
				b.Fatalf("fell back: %s", reason)
			}
		}
	})
	b.Run("llm-stream", func(b *testing.B) {
		for b.Loop() {
			if ans, reason := Generate(ctx, c, q, hits, Options{}, GenOptions{Partial: func(string) {}}); !ans.Generated {
				b.Fatalf("fell back: %s", reason)
			}
		}
	})
}
