package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// MustOpen creates a fresh index in a temporary directory.
func MustOpen(t testing.TB) *sqlite.Index {
	t.Helper()
	return MustOpenPath(t, filepath.Join(t.TempDir(), "byline.db"), sqlite.Options{Create: true})
}

// MustOpenPath opens the index at path and closes it when the test ends.
func MustOpenPath(t testing.TB, path string, opt sqlite.Options) *sqlite.Index {
	t.Helper()
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
	res, err := ix.Put(context.Background(), articles)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return res
}

// MustSearch runs a query and fails the test on error.
func MustSearch(t testing.TB, ix *sqlite.Index, q retrieval.Query) []retrieval.Hit {
	t.Helper()
	hits, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	return hits
}

// MustStats returns the index's statistics.
func MustStats(t testing.TB, ix *sqlite.Index) retrieval.Stats {
	t.Helper()
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return st
}

// hitIDs renders hits as "id#paragraph" for failure messages and comparisons.
func hitIDs(hits []retrieval.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s#%d", h.Article.ID, h.Paragraph)
	}
	return out
}

// containsID reports whether any hit comes from article id.
func containsID(hits []retrieval.Hit, id string) bool {
	for _, h := range hits {
		if h.Article.ID == id {
			return true
		}
	}
	return false
}

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
}

// Generated articles: pseudo-words built from syllables, so the corpus has
// a realistic spread of document frequencies without copying any text.

var syllables = []string{
	"ka", "lo", "mer", "tin", "sa", "ve", "dor", "pel", "qui", "ran",
	"bo", "zu", "fen", "gar", "hol", "ix", "jun", "nor", "ost", "pra",
}

// genVocabulary returns n distinct pseudo-words.
func genVocabulary(n int) []string {
	words := make([]string, 0, n)
	seen := map[string]bool{}
	r := rand.New(rand.NewPCG(1, 2))
	for len(words) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// corpus generates deterministic articles from a seed.
type corpus struct {
	vocab []string
	zipf  *rand.Zipf
	r     *rand.Rand
}

func newCorpus(seed uint64) *corpus {
	r := rand.New(rand.NewPCG(seed, 7))
	vocab := genVocabulary(2000)
	return &corpus{vocab: vocab, r: r, zipf: rand.NewZipf(r, 1.1, 4, uint64(len(vocab)-1))}
}

func (c *corpus) paragraph(words int) string {
	var b strings.Builder
	for i := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.vocab[c.zipf.Uint64()])
	}
	b.WriteByte('.')
	return b.String()
}

// article returns a generated article; its paragraphs have distinct
// lengths so that generated paragraphs rarely tie on score.
func (c *corpus) article(id string, paragraphs int) retrieval.Article {
	a := retrieval.Article{
		ID:        id,
		URL:       "https://news.example/" + id,
		Title:     c.paragraph(3 + c.r.IntN(4)),
		Outlet:    "Generated Gazette",
		Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(c.r.IntN(365*24)) * time.Hour),
	}
	for range paragraphs {
		a.Paragraphs = append(a.Paragraphs, c.paragraph(15+c.r.IntN(40)))
	}
	return a
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
