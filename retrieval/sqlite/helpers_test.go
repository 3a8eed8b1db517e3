package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
	"github.com/byline-news/byline/retrieval/storetest"
)

// TestConformance runs the storage suite shared with PostgreSQL.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Fresh: func(t testing.TB) string { return filepath.Join(t.TempDir(), "byline.db") },
		Open: func(ctx context.Context, path string, opt storetest.Options) (storetest.Store, error) {
			return sqlite.Open(ctx, path, sqlite.Options{Create: !opt.ReadOnly, ReadOnly: opt.ReadOnly,
				BusyTimeout: opt.LockTimeout, Params: opt.Params, Now: opt.Now})
		},
		QueryInt: func(t testing.TB, path, query string) int64 {
			t.Helper()
			var n int64
			if err := rawDB(t, path).QueryRow(query).Scan(&n); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return n
		},
		Exec: func(t testing.TB, path, statements string) {
			t.Helper()
			if _, err := rawDB(t, path).Exec(statements); err != nil {
				t.Fatalf("%s: %v", statements, err)
			}
		},
	})
}

// The suite's fixtures and generator, under short names.
var (
	harbourStrike = storetest.HarbourStrike
	orchardFrost  = storetest.OrchardFrost
	bridgeVote    = storetest.BridgeVote
	hitIDs        = storetest.HitIDs
	newCorpus     = storetest.NewCorpus
)

type corpus = storetest.Corpus

func genArticles(c *corpus, prefix string, n, paragraphs int) []retrieval.Article {
	return c.Articles(prefix, n, paragraphs)
}

// clock is the tests' fixed time.
var clock = storetest.Clock

// MustOpen creates a fresh index in a temporary directory.
func MustOpen(t testing.TB) *sqlite.Index {
	t.Helper()
	return MustOpenPath(t, filepath.Join(t.TempDir(), "byline.db"), sqlite.Options{Create: true})
}

// MustOpenPath opens the index at path and closes it when the test ends.
func MustOpenPath(t testing.TB, path string, opt sqlite.Options) *sqlite.Index {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return clock }
	}
	ix, err := sqlite.Open(context.Background(), path, opt)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// MustPut indexes articles and fails the test on error.
func MustPut(t testing.TB, ix *sqlite.Index, articles ...retrieval.Article) retrieval.PutResult {
	t.Helper()
	return storetest.MustPut(t, ix, articles...)
}

// MustSearch runs a query and fails the test on error.
func MustSearch(t testing.TB, ix *sqlite.Index, q retrieval.Query) []retrieval.Hit {
	t.Helper()
	return storetest.MustSearch(t, ix, q)
}

// MustStats returns the index's statistics.
func MustStats(t testing.TB, ix *sqlite.Index) retrieval.Stats {
	t.Helper()
	return storetest.MustStats(t, ix)
}

// fileState is what a test compares to prove a file was not modified.
type fileState struct {
	size  int64
	mtime time.Time
	sum   [32]byte
}

func statFile(t *testing.T, path string) fileState {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	if fi.IsDir() {
		return fileState{mtime: fi.ModTime()}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return fileState{size: fi.Size(), mtime: fi.ModTime(), sum: sha256.Sum256(data)}
}

// rawDB opens path with the plain database/sql driver, bypassing byline.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatalf("sql.Open(%s): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
