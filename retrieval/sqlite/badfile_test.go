package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// writeFile writes data to a new file in dir and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// bylineFile creates a small byline index, closes it and returns its path.
func bylineFile(t *testing.T, articles ...retrieval.Article) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "index.db")
	ix, err := sqlite.Open(context.Background(), path, sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(articles) > 0 {
		if _, err := ix.Put(context.Background(), articles); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatalf("%s-wal still exists after Close", path)
	}
	return path
}

// foreignFile creates an SQLite database that some other program owns.
func foreignFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notes.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`,
		`INSERT INTO notes(body) VALUES ('buy milk'), ('call the plumber')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// corruptMiddle overwrites the pages of a byline index between the first
// and the last with random bytes, keeping page 1 (header and schema).
func corruptMiddle(t *testing.T) string {
	t.Helper()
	c := newCorpus(5)
	path := bylineFile(t, genArticles(c, "victim", 200, 4)...)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	pages := len(data) / page
	if pages < 8 {
		t.Fatalf("index has only %d pages", pages)
	}
	copy(data[page:(pages-1)*page], randomBytes((pages-2)*page, 3))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// useIndex exercises an opened index and returns the first error.
func useIndex(ix *sqlite.Index, query string) error {
	ctx := context.Background()
	if _, err := ix.Search(ctx, retrieval.Query{Text: query}); err != nil {
		return err
	}
	if _, err := ix.Stats(ctx); err != nil {
		return err
	}
	if err := ix.List(ctx, func(retrieval.Article, int) error { return nil }); err != nil {
		return err
	}
	return nil
}

func TestOpenBadFiles(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T) string
		opt     sqlite.Options
		wantIs  error  // errors.Is target, if any
		want    string // substring of the error
		useWant string // when Open may succeed: the error that using the index gives
	}{
		{
			name:   "missing file",
			setup:  func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing.db") },
			wantIs: sqlite.ErrNoDatabase,
		},
		{
			name:   "missing file, read-only create",
			setup:  func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing.db") },
			opt:    sqlite.Options{Create: true, ReadOnly: true},
			wantIs: sqlite.ErrNoDatabase,
		},
		{
			name:   "missing directory",
			setup:  func(t *testing.T) string { return filepath.Join(t.TempDir(), "no", "such", "dir", "x.db") },
			wantIs: sqlite.ErrNoDatabase,
		},
		{
			name:  "directory",
			setup: func(t *testing.T) string { return t.TempDir() },
			opt:   sqlite.Options{Create: true},
			want:  "directory",
		},
		{
			name: "text file",
			setup: func(t *testing.T) string {
				return writeFile(t, "notes.txt", []byte("Shopping list:\nbread\nmilk\nnewspaper\n"))
			},
			opt:  sqlite.Options{Create: true},
			want: "not a byline database",
		},
		{
			name:  "short text file",
			setup: func(t *testing.T) string { return writeFile(t, "short", []byte("SQLite")) },
			want:  "not a byline database",
		},
		{
			name:  "random bytes",
			setup: func(t *testing.T) string { return writeFile(t, "random.bin", randomBytes(10000, 1)) },
			want:  "not a byline database",
		},
		{
			name: "SQLite header then garbage",
			setup: func(t *testing.T) string {
				return writeFile(t, "garbage.db", append([]byte("SQLite format 3\x00"), randomBytes(3*4096, 2)...))
			},
			want: "corrupt",
		},
		{
			name: "SQLite header then garbage, read-only",
			setup: func(t *testing.T) string {
				return writeFile(t, "garbage.db", append([]byte("SQLite format 3\x00"), randomBytes(3*4096, 2)...))
			},
			opt:  sqlite.Options{ReadOnly: true},
			want: "corrupt",
		},
		{
			name:    "pages overwritten in the middle",
			setup:   corruptMiddle,
			useWant: "corrupt",
		},
		{
			name:    "pages overwritten in the middle, read-only",
			setup:   corruptMiddle,
			opt:     sqlite.Options{ReadOnly: true},
			useWant: "corrupt",
		},
		{
			name:  "foreign database",
			setup: foreignFile,
			want:  "not a byline database",
		},
		{
			name:  "foreign database, read-only",
			setup: foreignFile,
			opt:   sqlite.Options{ReadOnly: true},
			want:  "not a byline database",
		},
		{
			name: "foreign database with an application id",
			setup: func(t *testing.T) string {
				path := filepath.Join(t.TempDir(), "app.db")
				db := rawDB(t, path)
				if _, err := db.Exec(`PRAGMA application_id = 1234`); err != nil {
					t.Fatal(err)
				}
				db.Close()
				return path
			},
			want: "not a byline database",
		},
		{
			name: "byline index from a newer byline",
			setup: func(t *testing.T) string {
				path := bylineFile(t, orchardFrost)
				db := rawDB(t, path)
				if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
					t.Fatal(err)
				}
				db.Close()
				return path
			},
			want: "newer than this byline",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.setup(t)
			_, statErr := os.Stat(path)
			var before fileState
			if statErr == nil {
				before = statFile(t, path)
			}

			ix, err := sqlite.Open(context.Background(), path, tt.opt)
			switch {
			case tt.useWant != "" && err == nil:
				err = useIndex(ix, "victim "+newCorpus(5).Vocab[0])
				ix.Close()
				if err == nil || !strings.Contains(err.Error(), tt.useWant) {
					t.Errorf("using the index: %v, want an error mentioning %q", err, tt.useWant)
				}
			case tt.useWant != "":
				if !strings.Contains(err.Error(), tt.useWant) {
					t.Errorf("Open = %v, want an error mentioning %q", err, tt.useWant)
				}
			case err == nil:
				ix.Close()
				t.Fatalf("Open(%s) succeeded, want an error", path)
			default:
				if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
					t.Errorf("Open = %v, want errors.Is %v", err, tt.wantIs)
				}
				if tt.want != "" && !strings.Contains(err.Error(), tt.want) {
					t.Errorf("Open = %v, want an error mentioning %q", err, tt.want)
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("Open = %v, want the error to name the file", err)
				}
			}
			if err != nil {
				t.Logf("error: %v", err)
			}

			if statErr != nil {
				if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("Open created %s (stat: %v)", path, err)
				}
				return
			}
			if after := statFile(t, path); after != before {
				t.Errorf("Open modified %s: before %+v, after %+v", path, before, after)
			}
		})
	}
}

func TestOpenCreate(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(t *testing.T) string
	}{
		{"new file in new directories", func(t *testing.T) string { return filepath.Join(t.TempDir(), "a", "b", "index.db") }},
		{"empty file", func(t *testing.T) string { return writeFile(t, "empty.db", nil) }},
		{"name needing escapes", func(t *testing.T) string { return filepath.Join(t.TempDir(), "my index #1?x=y&z.db") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.setup(t)
			ix := MustOpenPath(t, path, sqlite.Options{Create: true})
			MustPut(t, ix, orchardFrost)
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("index not at %s: %v", path, err)
			}
			var mode string
			if err := rawDB(t, path).QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
				t.Errorf("journal_mode = %q, %v; want wal (searches run during index calls)", mode, err)
			}
			ix = MustOpenPath(t, path, sqlite.Options{})
			if hits := MustSearch(t, ix, retrieval.Query{Text: "frost"}); len(hits) == 0 {
				t.Error("article lost after reopening")
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), filepath.Base(path)) {
					t.Errorf("unexpected file %s next to the index", e.Name())
				}
			}
		})
	}
	// Opening an empty existing file read-only gives a clear error.
	path := writeFile(t, "empty.db", nil)
	if ix, err := sqlite.Open(ctx, path, sqlite.Options{ReadOnly: true}); err == nil {
		ix.Close()
		t.Error("read-only Open of an empty file succeeded")
	}
}

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	path := bylineFile(t, harbourStrike, orchardFrost)
	before := statFile(t, path)

	ix := MustOpenPath(t, path, sqlite.Options{ReadOnly: true})
	if hits := MustSearch(t, ix, retrieval.Query{Text: "Vellacott"}); len(hits) == 0 {
		t.Error("Search on a read-only index found nothing")
	}
	if a, err := ix.Article(ctx, orchardFrost.ID); err != nil || a.Title != orchardFrost.Title {
		t.Errorf("Article = %+v, %v", a, err)
	}
	writes := []struct {
		name string
		fn   func() error
	}{
		{"Put", func() error { _, err := ix.Put(ctx, []retrieval.Article{bridgeVote}); return err }},
		{"Put unchanged", func() error { _, err := ix.Put(ctx, []retrieval.Article{orchardFrost}); return err }},
		{"Delete", func() error { return ix.Delete(ctx, orchardFrost.ID) }},
	}
	for _, w := range writes {
		err := w.fn()
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("%s on a read-only index = %v, want an error mentioning read-only", w.name, err)
		}
	}
	if n, err := ix.Count(ctx); err != nil || n != 2 {
		t.Errorf("Count = %d, %v; want 2", n, err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if after := statFile(t, path); after != before {
		t.Errorf("read-only use modified %s", path)
	}

	t.Run("file permissions", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("running as root: file permissions do not stop writes, so a 0444 file cannot be tested")
		}
		path := bylineFile(t, harbourStrike)
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		before := statFile(t, path)
		ix, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err == nil {
			_, err = ix.Put(ctx, []retrieval.Article{bridgeVote})
			if err == nil {
				t.Error("Put into a 0444 file succeeded")
			}
			// Reading still works.
			if hits, serr := ix.Search(ctx, retrieval.Query{Text: "Vellacott"}); serr != nil || len(hits) == 0 {
				t.Errorf("Search on a 0444 file = %v, %v", hitIDs(hits), serr)
			}
			ix.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("writing a 0444 file: %v, want an error mentioning read-only", err)
		}
		t.Logf("error: %v", err)
		if after := statFile(t, path); after != before {
			t.Errorf("%s was modified", path)
		}
	})
}

func TestLocked(t *testing.T) {
	ctx := context.Background()
	path := bylineFile(t, orchardFrost)
	ix := MustOpenPath(t, path, sqlite.Options{BusyTimeout: 100 * time.Millisecond})

	db := rawDB(t, path)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	if w, err := ix.Begin(ctx); err == nil {
		w.Rollback()
		t.Fatal("Begin succeeded while another connection holds the write lock")
	} else if !strings.Contains(err.Error(), "locked") {
		t.Errorf("Begin = %v, want an error mentioning locked", err)
	}
	if _, err := ix.Put(ctx, []retrieval.Article{bridgeVote}); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("Put = %v, want an error mentioning locked", err)
	}
	// Opening and reading still work.
	other := MustOpenPath(t, path, sqlite.Options{BusyTimeout: 100 * time.Millisecond})
	if hits := MustSearch(t, other, retrieval.Query{Text: "frost"}); len(hits) == 0 {
		t.Error("Search while locked found nothing")
	}

	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	MustPut(t, ix, bridgeVote)
	if n, _ := other.Count(ctx); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
}
