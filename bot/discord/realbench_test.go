package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// BenchmarkInteractionRealIndex measures /news over HTTP interactions
// with the real core: *bot.Bot over a SQLite index built from
// bench.Copies(base, 100000) of the BBC articles, wired as `byline serve`
// wires it, with the adapter's default MaxInFlight (16). Each iteration
// posts 100 signed /news interactions at once, asking the bbc-dev
// questions round-robin, each from its own user so the core's per-user
// rate limit (left at its default) never refuses one. It reports, over
// all interactions, the p50 and p99 time from sending the request (the
// adapter's receipt, on loopback) to its answer reaching Discord: the
// HTTP response when it carries the answer (type 4), or the edit of the
// original response arriving at the fake when it was deferred; and the
// share of replies that were answers (the rest said they couldn't find
// it) and that were deferred.
//
// The index is built once and kept in the system temporary directory,
// keyed by size and by the articles file, so reruns start at once.
func BenchmarkInteractionRealIndex(b *testing.B) {
	const (
		paragraphs = 100_000
		concurrent = 100
	)
	ix := benchIndex(b, paragraphs)
	qs, err := eval.BBCQuestions(benchQuestions)
	if err != nil || len(qs) == 0 {
		b.Fatalf("questions from %s: %d, %v", benchQuestions, len(qs), err)
	}
	core, err := bot.New(bot.Options{Searcher: ix, Feedback: feedbackStore{ix}, Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	// A running server has answered before: load the index's segments now.
	core.Handle(context.Background(), bot.Message{Platform: "discord", User: "warmup", Text: qs[0].Question})
	opt := httpOptions()
	opt.Logger = quietLogger()
	hs := start(b, core, setup{opt: opt})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrent}}

	var latency []time.Duration
	var answered, deferred, n int
	for b.Loop() {
		results := make([]benchResult, concurrent)
		var wg sync.WaitGroup
		for i := range concurrent {
			n++
			ia := command(strconv.Itoa(100000+n), qs[(n-1)%len(qs)].Question)
			ia["member"] = map[string]any{"user": map[string]any{"id": strconv.Itoa(700000 + n)}}
			wg.Go(func() { results[i] = hs.benchPost(client, ia) })
		}
		wg.Wait()
		for _, r := range results {
			if r.err != nil {
				b.Fatal(r.err)
			}
			if r.deferred {
				deferred++
				r = hs.awaitEdit(b, r)
			}
			latency = append(latency, r.done.Sub(r.sent))
			if r.answer {
				answered++
			}
		}
		hs.settle()
	}
	reportLatency(b, latency, answered, deferred)
}

// benchResult is one timed interaction.
type benchResult struct {
	sent, done time.Time
	token      string
	answer     bool // an answer with sources, not a couldn't-find
	deferred   bool
	err        error
}

// benchPost signs and sends an interaction and times its response.
func (hs *harness) benchPost(client *http.Client, ia map[string]any) benchResult {
	body, _ := json.Marshal(ia)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := hex.EncodeToString(ed25519.Sign(testKey, append([]byte(ts), body...)))
	req, _ := http.NewRequest(http.MethodPost, hs.app.URL+InteractionsPath, bytes.NewReader(body))
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", sig)
	r := benchResult{sent: time.Now(), token: ia["token"].(string)}
	res, err := client.Do(req)
	if err != nil {
		return benchResult{err: err}
	}
	defer res.Body.Close()
	var resp struct {
		Type int
		Data struct{ Embeds []any }
	}
	if err := json.NewDecoder(res.Body).Decode(&resp); err != nil || res.StatusCode != http.StatusOK {
		return benchResult{err: fmt.Errorf("status %d: %v", res.StatusCode, err)}
	}
	r.done, r.deferred, r.answer = time.Now(), resp.Type == 5, len(resp.Data.Embeds) > 0
	return r
}

// awaitEdit completes a deferred interaction with its edit's arrival.
func (hs *harness) awaitEdit(b *testing.B, r benchResult) benchResult {
	for {
		ed := hs.fake.next(b, "edit")
		if filepath.Base(filepath.Dir(filepath.Dir(ed.Path))) == r.token {
			embeds, _ := ed.JSON["embeds"].([]any)
			r.done, r.answer = ed.At, len(embeds) > 0
			return r
		}
	}
}

func reportLatency(b *testing.B, latency []time.Duration, answered, deferred int) {
	if len(latency) == 0 {
		return
	}
	slices.Sort(latency)
	ms := func(q float64) float64 {
		return float64(latency[int(q*float64(len(latency)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50_ms")
	b.ReportMetric(ms(0.99), "p99_ms")
	b.ReportMetric(float64(answered)/float64(len(latency)), "answered/interaction")
	b.ReportMetric(float64(deferred)/float64(len(latency)), "deferred/interaction")
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
	path := filepath.Join(os.TempDir(), fmt.Sprintf("byline-discordbench-%d-%d-%d.db", n, st.Size(), st.ModTime().Unix()))
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
	if err := writeIndex(ctx, tmp, bench.Copies(base, n), logf); err != nil {
		return err
	}
	removeDBFiles(path)
	return os.Rename(tmp, path)
}

// writeIndex indexes articles into a new database at path and closes it.
func writeIndex(ctx context.Context, path string, articles iter.Seq[retrieval.Article], logf func(string, ...any)) error {
	ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true})
	if err != nil {
		return err
	}
	defer ix.Close()
	w, err := ix.Begin(ctx)
	if err != nil {
		return err
	}
	defer w.Rollback()
	for a := range articles {
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
	if _, err := os.Stat(path + "-wal"); err == nil {
		return fmt.Errorf("%s-wal left after close: not caching the index", path)
	}
	return nil
}

func removeDBFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// quietLogger discards everything, for benchmarks.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
