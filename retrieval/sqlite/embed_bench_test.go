package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/llm/fakeai"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// BenchmarkEmbedBatchSize measures embedding an index of 2,000
// paragraphs end to end (texts read from SQLite, sent through the
// OpenAI client to the local fakeai endpoint, vectors validated and
// stored), per batch size. The fake embeds in microseconds, so this is
// byline's own cost; a real endpoint's time per request adds to it, and
// larger batches amortise that too.
//
//	go test ./retrieval/sqlite/ -run XXX -bench EmbedBatchSize -benchtime 3x
func BenchmarkEmbedBatchSize(b *testing.B) {
	srv, err := fakeai.Listen("", &fakeai.Handler{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	const paragraphs = 2000
	ix := MustOpen(b)
	var arts []retrieval.Article
	for i := range paragraphs / 4 {
		a := retrieval.Article{ID: fmt.Sprintf("a%d", i), Title: fmt.Sprintf("Story %d", i)}
		for p := range 4 {
			a.Paragraphs = append(a.Paragraphs, fmt.Sprintf("Paragraph %d of story %d: the council met on day %d to discuss the harbour, the budget and the %d new homes planned near the river.", p, i, i%28+1, i*7+p))
		}
		arts = append(arts, a)
	}
	if _, err := ix.Put(ctx, arts); err != nil {
		b.Fatal(err)
	}
	runs := 0 // across sub-benchmarks and -count repeats, so every model name is new
	for _, batch := range []int{1, 16, 64, 256} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			n := 0
			for b.Loop() {
				n++
				runs++
				model := fmt.Sprintf("fake-%d", runs) // a new model: everything is embedded again
				c, err := llm.New(llm.Options{BaseURL: srv.URL, EmbedModel: model})
				if err != nil {
					b.Fatal(err)
				}
				res, err := ix.Embed(ctx, c, sqlite.EmbedOptions{Model: model, Batch: batch})
				if err != nil || res.Embedded != paragraphs {
					b.Fatalf("embedded %d, err %v", res.Embedded, err)
				}
			}
			b.ReportMetric(float64(paragraphs*n)/b.Elapsed().Seconds(), "paragraphs/s")
		})
	}
}
