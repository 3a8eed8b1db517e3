package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// LoadArticles reads the articles in the file at path as `byline index`
// does, leaving out the items it skips.
func LoadArticles(ctx context.Context, path string) ([]retrieval.Article, error) {
	var out []retrieval.Article
	err := ingest.Walk(ctx, []string{path}, ingest.Options{}, func(it ingest.Item) error {
		if it.Err != nil {
			return it.Err
		}
		if it.Skip == "" {
			out = append(out, it.Article)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return out, nil
}

// CachedIndex opens a SQLite index of n paragraphs made from Copies of
// the articles in the file at articles, building it on first use. The
// database is kept in dir, named by n and by the articles file's size and
// modification time, so reruns start at once and a changed file gets a
// new index. logf is told about builds. The caller closes the index.
func CachedIndex(ctx context.Context, dir, articles string, n int, logf func(format string, args ...any)) (*sqlite.Index, error) {
	st, err := os.Stat(articles)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, fmt.Sprintf("index-%d-%d-%d.db", n, st.Size(), st.ModTime().Unix()))
	if ix, err := sqlite.Open(ctx, path, sqlite.Options{}); err == nil {
		if c, err := ix.Count(ctx); err == nil && c > 0 {
			return ix, nil
		}
		ix.Close()
	} else if !errors.Is(err, sqlite.ErrNoDatabase) {
		logf("rebuilding the cached index %s: %v", path, err)
	}
	start := time.Now()
	if err := buildCached(ctx, path, articles, n, logf); err != nil {
		return nil, err
	}
	logf("built %s from bench.Copies(base, %d) in %s", path, n, time.Since(start).Round(time.Millisecond))
	return sqlite.Open(ctx, path, sqlite.Options{})
}

// buildCached indexes n paragraphs of copies of the articles into a
// temporary file beside path, then renames it to path, so an interrupted
// build never leaves a partial index under path.
func buildCached(ctx context.Context, path, articles string, n int, logf func(string, ...any)) error {
	base, err := LoadArticles(ctx, articles)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	defer removeDB(tmp)
	res, err := Index(ctx, tmp, base, n) // closing the index checkpoints the WAL into the file
	if err != nil {
		return err
	}
	logf("index call: %d paragraphs written, %d searchable", res.Written, res.Paragraphs)
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		return fmt.Errorf("%s-wal left after close: not caching the index", tmp)
	}
	if err := removeDB(path); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
