package bench_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/eval"
	"github.com/byline-news/byline/eval/bench"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

var scopeSize = flag.Int("scope-size", 100_000, "paragraphs in BenchmarkScopedSearch's index (the issue's target is at 1000000)")

// The shared data, relative to this package's directory.
const (
	benchArticles  = "../../../shared/data/news/articles.jsonl"
	benchQuestions = "../../../shared/data/qa/bbc-dev.jsonl"
)

// outlets is how many outlets share the scope benchmark's corpus: each
// holds 1% of it.
const outlets = 100

func outletName(i int) string { return fmt.Sprintf("Outlet %02d", i) }

// BenchmarkScopedSearch times the bbc-dev questions over -scope-size
// paragraphs (copies of the BBC articles, each article given one of 100
// outlets in turn, so each outlet holds 1% spread over the whole index),
// unfiltered and limited to one outlet, alternately, and reports both
// p50s and their ratio (the target: scoped p50 within 1.5× of
// unfiltered), and the first scoped search, which learns every segment's
// document sources.
func BenchmarkScopedSearch(b *testing.B) {
	for _, p := range []string{benchArticles, benchQuestions} {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("shared data not found: %v", err)
		}
	}
	ctx := context.Background()
	ix := outletIndex(b, *scopeSize)
	qs, err := eval.BBCQuestions(benchQuestions)
	if err != nil {
		b.Fatal(err)
	}
	scope := retrieval.Scope{Outlets: []string{outletName(7)}}
	search := func(q string, s retrieval.Scope) ([]retrieval.Hit, time.Duration) {
		start := time.Now()
		hits, err := ix.Search(ctx, retrieval.Query{Text: q, K: 5, Scope: s})
		if err != nil && err != retrieval.ErrEmptyQuery {
			b.Fatal(err)
		}
		return hits, time.Since(start)
	}
	search(qs[0].Question, retrieval.Scope{}) // load the segments, as a running server has
	_, first := search(qs[0].Question, scope)
	var plain, scoped []time.Duration
	i := 0
	for b.Loop() {
		q := qs[i%len(qs)].Question
		_, d := search(q, retrieval.Scope{})
		plain = append(plain, d)
		hits, d := search(q, scope)
		scoped = append(scoped, d)
		for _, h := range hits {
			if h.Article.Outlet != outletName(7) {
				b.Fatalf("scoped search returned %s of %s", h.Article.ID, h.Article.Outlet)
			}
		}
		i++
	}
	p50 := func(l []time.Duration) float64 {
		slices.Sort(l)
		return float64(l[len(l)/2]) / float64(time.Millisecond)
	}
	p99 := func(l []time.Duration) float64 { return float64(l[len(l)*99/100]) / float64(time.Millisecond) }
	up, sp := p50(plain), p50(scoped)
	b.ReportMetric(up, "p50_ms_unfiltered")
	b.ReportMetric(sp, "p50_ms_scoped")
	b.ReportMetric(p99(plain), "p99_ms_unfiltered")
	b.ReportMetric(p99(scoped), "p99_ms_scoped")
	b.ReportMetric(sp/up, "p50_ratio")
	b.ReportMetric(float64(first)/float64(time.Millisecond), "first_scoped_ms")
}

// outletIndex opens an index of n paragraphs of copies of the BBC
// articles with 100 outlets, built once and kept in the temporary
// directory.
func outletIndex(b *testing.B, n int) *sqlite.Index {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), "byline-scope-bench", fmt.Sprintf("outlets-%d.db", n))
	if ix, err := sqlite.Open(ctx, path, sqlite.Options{}); err == nil {
		if c, err := ix.Count(ctx); err == nil && c > 0 {
			b.Cleanup(func() { ix.Close() })
			return ix
		}
		ix.Close()
	}
	os.MkdirAll(filepath.Dir(path), 0o755)
	base, err := bench.LoadArticles(ctx, benchArticles)
	if err != nil {
		b.Fatal(err)
	}
	ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	w, err := ix.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Rollback()
	j := 0
	for a := range bench.Copies(base, n) {
		a.Outlet = outletName(j % outlets)
		j++
		if err := w.Add(a); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s", path)
	return ix
}
