// Package bottest holds the test helpers the chat adapters (bot/slack,
// bot/discord) share: a logger into t.Log, polling, the real
// conversation core over a real SQLite index with articles invented for
// the tests, and the benchmark setup over the shared BBC data. Only
// tests import it. (The core's own tests cannot: this package imports
// bot.)
package bottest

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// WaitTimeout bounds every wait in the adapters' tests; nothing asserts
// on time.
const WaitTimeout = 5 * time.Second

// Eventually polls cond until it holds, failing the test after
// WaitTimeout.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// Logger sends logs, debug ones included, to t.Log until the test ends.
func Logger(t testing.TB) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.done = true
		w.mu.Unlock()
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(string(bytes.TrimRight(p, "\n")))
	}
	return len(p), nil
}

// FeedbackStore saves the bot's feedback in the index's database, like
// cmd/byline/serve.go's adapter of the same name.
type FeedbackStore struct{ Index *sqlite.Index }

// SaveFeedback implements bot.FeedbackStore.
func (s FeedbackStore) SaveFeedback(ctx context.Context, f bot.Feedback) error {
	return s.Index.SaveFeedback(ctx, sqlite.Feedback{At: f.At, Platform: f.Platform, Workspace: f.Workspace,
		Channel: f.Channel, User: f.User, Question: f.Question, Answer: f.Answer, Sources: f.Sources, Helpful: f.Helpful})
}

// Index is a fresh SQLite index in t's temporary directory holding
// articles.
func Index(t testing.TB, articles []retrieval.Article) *sqlite.Index {
	t.Helper()
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "byline.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Put(ctx, articles); err != nil {
		t.Fatal(err)
	}
	return ix
}

// Bot is the conversation core over ix, as `byline serve` builds it,
// logging to t.
func Bot(t testing.TB, ix *sqlite.Index) *bot.Bot {
	t.Helper()
	return newBot(t, ix, Logger(t))
}

func newBot(t testing.TB, ix *sqlite.Index, lg *slog.Logger) *bot.Bot {
	t.Helper()
	b, err := bot.New(bot.Options{Searcher: ix, Feedback: FeedbackStore{ix}, Logger: lg})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Articles invented for the adapters' real-core tests. Pentagon retells,
// in our own words, the facts of a news story about Liang Guanglie's
// visit to the Pentagon; each adapter adds an article that quotes its
// own mention syntax.
var (
	Pentagon = retrieval.Article{
		ID: "r-pentagon", URL: "https://example.com/world/pentagon-cyber-talks", Outlet: "Test Wire",
		Title:     "China's defence minister rejects blame for cyber attacks",
		Published: time.Date(2012, time.May, 7, 18, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"Defence officials from the United States and China said on Monday they were willing to cooperate against the growing danger of cyber attacks.",
			"At a Pentagon news conference, the visiting Chinese Defence Minister Liang Guanglie denied that China was behind the cyber attacks on the United States, saying no evidence linked them to his country.",
			"US Defense Secretary Leon Panetta said that not all of the cyber attacks could be attributed to China.",
			"The two men also talked about North Korea's nuclear programme, American arms sales to Taiwan and disputes in the South China Sea.",
		},
	}
	Bridge = retrieval.Article{
		ID: "r-bridge", URL: "https://example.com/local/bridge", Outlet: "Test Gazette",
		Title:     "Harbour bridge reopens after repairs",
		Published: time.Date(2012, time.May, 7, 10, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"The harbour bridge reopened to traffic on Monday after six weeks of repairs, the city council said.",
			"Engineers replaced the worn steel cables that had forced the closure.",
		},
	}
)
