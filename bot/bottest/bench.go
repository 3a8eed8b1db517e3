package bottest

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/eval"
	"github.com/byline-news/byline/eval/bench"
)

// The shared data, relative to an adapter package's directory
// (bot/<platform>), where its benchmarks run.
const (
	BenchArticles  = "../../../shared/data/news/articles.jsonl"
	BenchQuestions = "../../../shared/data/qa/bbc-dev.jsonl"
)

// BenchCore is the real core, wired as `byline serve` wires it, over an
// index of n paragraphs made from bench.Copies of the shared BBC
// articles, with a running StateWriter into the same database for the
// adapter's Options.State, and the bbc-dev questions. The index is built once and kept
// in the system temporary directory under cache (see bench.CachedIndex).
// The core has answered one question already, as a running server has,
// so the index's segments are loaded before the first timed one. It
// skips the benchmark when the shared data is not there.
func BenchCore(b *testing.B, cache, platform string, n int) (*bot.Bot, *bot.StateWriter, []eval.Question) {
	b.Helper()
	for _, p := range []string{BenchArticles, BenchQuestions} {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("shared data not found (%v): this benchmark needs shared/data/news/articles.jsonl and shared/data/qa/bbc-dev.jsonl beside the repository", err)
		}
	}
	ctx := context.Background()
	ix, err := bench.CachedIndex(ctx, filepath.Join(os.TempDir(), cache), BenchArticles, n, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	if st, err := ix.Stats(ctx); err == nil {
		// Fewer than asked: copies of articles whose text repeats
		// another's replace each other in the index.
		b.Logf("index: %d articles, %d paragraphs", st.Articles, st.Paragraphs)
	}
	qs, err := eval.BBCQuestions(BenchQuestions)
	if err != nil || len(qs) == 0 {
		b.Fatalf("questions from %s: %d, %v", BenchQuestions, len(qs), err)
	}
	core := newBot(b, ix, slog.New(slog.DiscardHandler))
	core.Handle(ctx, bot.Message{Platform: platform, User: "warmup", Text: qs[0].Question})
	w, _ := runState(b, ix, slog.New(slog.DiscardHandler)) // stops before ix closes: cleanups run last first
	return core, w, qs
}

// ReportLatency reports the p50 and p99 of latency in milliseconds and,
// for each unit in shares, its count as a share of all: shares
// {"answered/mention": 81} over 100 latencies reports 0.81
// answered/mention. It reports nothing when latency is empty.
func ReportLatency(b *testing.B, latency []time.Duration, shares map[string]int) {
	if len(latency) == 0 {
		return
	}
	slices.Sort(latency)
	ms := func(q float64) float64 {
		return float64(latency[int(q*float64(len(latency)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50_ms")
	b.ReportMetric(ms(0.99), "p99_ms")
	for unit, n := range shares {
		b.ReportMetric(float64(n)/float64(len(latency)), unit)
	}
}
