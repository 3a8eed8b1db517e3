package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// benchNews is the BBC corpus of ../shared (2,127 articles).
const benchNews = "../../shared/data/news/articles.jsonl"

func loadNews(b *testing.B) []retrieval.Article {
	f, err := os.Open(benchNews)
	if err != nil {
		b.Skipf("no BBC corpus: %v", err)
	}
	defer f.Close()
	var out []retrieval.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var rec struct{ ID, Title, Body, Source string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			b.Fatal(err)
		}
		out = append(out, retrieval.Article{ID: rec.ID, Title: rec.Title, Outlet: rec.Source,
			Published: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Paragraphs: strings.Split(rec.Body, "\n\n")})
	}
	return out
}

// topicsFrom makes n distinct topics of two names (capitalised words
// past the first) from articles' headlines, as a newsroom watches
// people, firms and places together: "Blair Brown", "Google Yahoo".
func topicsFrom(articles []retrieval.Article, n int) []string {
	seen := map[string]bool{}
	var names []string
	for _, a := range articles {
		for i, tok := range analysis.Tokens(a.Title) {
			if i > 0 && tok.Cap && !tok.Stop && !seen[tok.Word] {
				seen[tok.Word] = true
				names = append(names, tok.Word)
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	topics := map[string]bool{}
	var out []string
	for len(out) < n {
		t := names[r.IntN(len(names))] + " " + names[r.IntN(len(names))]
		if !topics[t] {
			topics[t] = true
			out = append(out, t)
		}
	}
	return out
}

// discardPoster counts posts; the loop calls it from its goroutine.
type discardPoster struct{ posts atomic.Int64 }

func (p *discardPoster) Post(context.Context, Channel, Reply) error { p.posts.Add(1); return nil }

func (p *discardPoster) count() int64 { return p.posts.Load() }

// BenchmarkIndexWithWatches indexes half of the BBC corpus in batches
// of 100 articles (new IDs each pass), as feed polls and byline index
// do, while the watch loop runs beside it as in serve (a round every
// 10 ms: match, record, post within the rate limits): without the loop,
// with the loop and no watches, and with 10,000 watches over 1,000
// channels, whose topics pair names from the headlines of the other
// half. It reports the indexing throughput, and how long the loop took
// after the last batch to have matched and posted everything.
func BenchmarkIndexWithWatches(b *testing.B) {
	news := loadNews(b)
	seen, articles := news[:len(news)/2], news[len(news)/2:]
	for _, c := range []struct {
		name    string
		loop    bool
		watches int
	}{{"index-only", false, 0}, {"watches=0", true, 0}, {"watches=10000", true, 10_000}} {
		b.Run(c.name, func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ix, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"), sqlite.Options{Create: true})
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			for i, topic := range topicsFrom(seen, c.watches) {
				if _, err := ix.AddWatch(ctx, retrieval.Watch{Platform: "slack", Workspace: "T1",
					Channel: fmt.Sprintf("C%d", i%1000), Topic: topic, Created: time.Now()}); err != nil {
					b.Fatal(err)
				}
			}
			poster := &discardPoster{}
			w, err := NewWatcher(WatcherOptions{Store: ix, Poster: poster, Every: 10 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			if err := w.Round(ctx); err != nil {
				b.Fatal(err)
			}
			done := make(chan struct{})
			if c.loop {
				go func() { w.Run(ctx); close(done) }()
			}
			const batch = 100
			b.ResetTimer()
			for i := range b.N {
				docs := make([]retrieval.Article, batch)
				for j := range docs {
					a := articles[(i*batch+j)%len(articles)]
					a.ID = fmt.Sprintf("%s-%d", a.ID, i)
					docs[j] = a
				}
				if _, err := ix.Put(ctx, docs); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "articles/s")
			if !c.loop {
				return
			}
			start := time.Now()
			for !caughtUp(ctx, ix) {
				time.Sleep(5 * time.Millisecond)
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "catch-up-ms")
			cancel()
			<-done
			b.ReportMetric(float64(poster.count())/float64(b.N*batch), "posts/article")
		})
	}
}

// caughtUp reports whether the loop has read every article and posted
// or held back (over a channel's rate) everything it found.
func caughtUp(ctx context.Context, ix *sqlite.Index) bool {
	cursor, err := ix.WatchCursor(ctx)
	if err != nil {
		return false
	}
	after, err := ix.ArticlesAfter(ctx, cursor, 1)
	return err == nil && len(after) == 0
}
