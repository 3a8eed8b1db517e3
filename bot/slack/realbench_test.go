package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/bench"
	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/eval"
	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// The shared data, relative to this package's directory.
const (
	benchArticles  = "../../../shared/data/news/articles.jsonl"
	benchQuestions = "../../../shared/data/qa/bbc-dev.jsonl"
)

// BenchmarkMentionToPostRealIndex is BenchmarkMentionToPost with the real
// core: *bot.Bot over a SQLite index built from bench.Copies(base,
// 100000) of the BBC articles (98,287 paragraphs stay searchable: copies
// of articles whose text repeats another's replace each other), wired as `byline serve` wires it, in HTTP mode with the
// adapter's default MaxInFlight (16). Each iteration sends 100 signed
// app_mentions at once, asking the bbc-dev questions round-robin, each
// from its own user so the core's per-user rate limit (left at its
// default) never refuses one. It reports, over all mentions, the p50 and
// p99 time from sending the event to the fake receiving the threaded
// chat.postMessage, and the share of replies that were answers (the rest
// said they couldn't find it).
//
// The index is built once and kept in the system temporary directory,
// keyed by size and by the articles file, so reruns start at once.
func BenchmarkMentionToPostRealIndex(b *testing.B) {
	const (
		paragraphs = 100_000
		concurrent = 100
	)
	ix := benchIndex(b, paragraphs)
	if st, err := ix.Stats(context.Background()); err == nil {
		// Fewer than asked: copies of articles whose text repeats
		// another's replace each other in the index.
		b.Logf("index: %d articles, %d paragraphs", st.Articles, st.Paragraphs)
	}
	qs, err := eval.BBCQuestions(benchQuestions)
	if err != nil || len(qs) == 0 {
		b.Fatalf("questions from %s: %d, %v", benchQuestions, len(qs), err)
	}
	core, err := bot.New(bot.Options{Searcher: ix, Feedback: feedbackStore{ix}, Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	// A running server has answered before: load the index's segments
	// now, not in the first timed mention.
	core.Handle(context.Background(), bot.Message{Platform: "slack", User: "U0WARMUP", Text: qs[0].Question})
	hs := startWith(b, core, Options{SigningSecret: testSecret}, []func(*Options){func(o *Options) { o.Logger = quietLogger() }})

	var (
		mu       sync.Mutex
		sent     = map[string]time.Time{}
		latency  []time.Duration
		answered int
		n        int // mentions sent so far
	)
	for b.Loop() {
		var wg sync.WaitGroup
		for range concurrent {
			n++
			ts := fmt.Sprintf("1710000000.%06d", n)
			ev := map[string]any{"type": "app_mention", "user": fmt.Sprintf("U%08d", n),
				"text": "<@" + testBotUser + "> " + slackText(qs[(n-1)%len(qs)].Question),
				"ts":   ts, "channel": testChannel, "event_ts": ts}
			wg.Go(func() {
				body, _ := json.Marshal(callback("Ev"+ts, ev))
				mu.Lock()
				sent[ts] = time.Now()
				mu.Unlock()
				if err := hs.post("/slack/events", body); err != nil {
					b.Error(err)
				}
			})
		}
		for range concurrent {
			post := hs.fake.next(b, "chat.postMessage")
			mu.Lock()
			start, ok := sent[post.Form.Get("thread_ts")]
			mu.Unlock()
			if !ok {
				b.Fatalf("a post in thread %q, which no mention started", post.Form.Get("thread_ts"))
			}
			latency = append(latency, post.At.Sub(start))
			if _, ok := buttons(blocksOf(b, post))[actionHelpful]; ok {
				answered++
			}
		}
		wg.Wait()
		hs.settle() // 👀 removed: the next iteration starts from idle
	}
	if len(latency) == 0 {
		return
	}
	slices.Sort(latency)
	ms := func(q float64) float64 {
		return float64(latency[int(q*float64(len(latency)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50_ms")
	b.ReportMetric(ms(0.99), "p99_ms")
	b.ReportMetric(float64(answered)/float64(len(latency)), "answered/mention")
}

// slackText escapes a question as Slack sends typed text.
func slackText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// post sends a signed JSON body to the app. Unlike signed, it returns
// errors, so it may run outside the benchmark's goroutine.
func (hs *harness) post(path string, body []byte) error {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, hs.app.URL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	res, err := hs.app.Client().Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d", path, res.StatusCode)
	}
	return nil
}

// benchIndex opens a SQLite index of n paragraphs made from copies of
// the shared BBC articles, building it on first use. It skips the
// benchmark when the shared data is not there.
func benchIndex(b *testing.B, n int) *sqlite.Index {
	b.Helper()
	for _, p := range []string{benchArticles, benchQuestions} {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("shared data not found (%v): this benchmark needs shared/data/news/articles.jsonl and shared/data/qa/bbc-dev.jsonl beside the repository", err)
		}
	}
	st, _ := os.Stat(benchArticles)
	path := filepath.Join(os.TempDir(), fmt.Sprintf("byline-slackbench-%d-%d-%d.db", n, st.Size(), st.ModTime().Unix()))
	ctx := context.Background()
	if ix, err := sqlite.Open(ctx, path, sqlite.Options{}); err == nil {
		if c, err := ix.Count(ctx); err == nil && c > 0 {
			return closeAtEnd(b, ix)
		}
		ix.Close()
	} else if !errors.Is(err, sqlite.ErrNoDatabase) {
		b.Logf("rebuilding the cached index %s: %v", path, err)
	}
	start := time.Now()
	if err := buildIndex(ctx, path, n, b.Logf); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s from bench.Copies(base, %d) in %s", path, n, time.Since(start).Round(time.Millisecond))
	ix, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return closeAtEnd(b, ix)
}

func closeAtEnd(b *testing.B, ix *sqlite.Index) *sqlite.Index {
	b.Cleanup(func() { ix.Close() })
	return ix
}

// buildIndex writes n paragraphs of copies of the shared articles to a
// temporary file in one index call, then renames it to path, so an
// interrupted build never leaves a partial index under path.
func buildIndex(ctx context.Context, path string, n int, logf func(string, ...any)) error {
	var base []retrieval.Article
	err := ingest.Walk(ctx, []string{benchArticles}, ingest.Options{}, func(it ingest.Item) error {
		if it.Err != nil {
			return it.Err
		}
		if it.Skip == "" {
			base = append(base, it.Article)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading %s: %w", benchArticles, err)
	}
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	removeDBFiles(tmp)
	defer removeDBFiles(tmp)
	ix, err := sqlite.Open(ctx, tmp, sqlite.Options{Create: true})
	if err != nil {
		return err
	}
	defer ix.Close()
	w, err := ix.Begin(ctx)
	if err != nil {
		return err
	}
	defer w.Rollback()
	for a := range bench.Copies(base, n) {
		if err := w.Add(a); err != nil {
			return err
		}
	}
	res, err := w.Commit()
	if err != nil {
		return err
	}
	logf("index call: %d articles added, %d replaced, %d paragraphs written", res.Added, res.Replaced, res.Paragraphs)
	if err := ix.Close(); err != nil { // checkpoints the WAL into the file
		return err
	}
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		return fmt.Errorf("%s-wal left after close: not caching the index", tmp)
	}
	removeDBFiles(path)
	return os.Rename(tmp, path)
}

func removeDBFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// quietLogger discards everything, for benchmarks.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
