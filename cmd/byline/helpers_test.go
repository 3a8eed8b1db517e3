package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/ingest/samples"
	"github.com/byline-news/byline/retrieval"
)

// result is what one byline invocation printed and returned.
type result struct {
	code     int
	out, err string
}

// env is a fresh environment for one test: XDG_DATA_HOME and HOME point
// into the test's temporary directory, so nothing touches the real home,
// and BYLINE_DB is unset.
type env struct {
	t    *testing.T
	vars map[string]string
	dir  string // scratch directory for databases and inputs
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	return &env{t: t, dir: dir, vars: map[string]string{
		"XDG_DATA_HOME": filepath.Join(dir, "xdg"),
		"HOME":          filepath.Join(dir, "home"),
	}}
}

func (e *env) getenv(key string) string { return e.vars[key] }

// path returns name inside the test's scratch directory.
func (e *env) path(name string) string { return filepath.Join(e.dir, name) }

// defaultDB is where byline puts its database when neither --db nor
// BYLINE_DB names one.
func (e *env) defaultDB() string {
	return filepath.Join(e.vars["XDG_DATA_HOME"], "byline", "byline.db")
}

// run runs byline with args and empty stdin.
func (e *env) run(args ...string) result {
	e.t.Helper()
	return e.runCtx(context.Background(), "", args...)
}

// runIn runs byline with stdin.
func (e *env) runIn(stdin string, args ...string) result {
	e.t.Helper()
	return e.runCtx(context.Background(), stdin, args...)
}

func (e *env) runCtx(ctx context.Context, stdin string, args ...string) result {
	e.t.Helper()
	return e.runReader(ctx, strings.NewReader(stdin), args...)
}

func (e *env) runReader(ctx context.Context, in interface{ Read([]byte) (int, error) }, args ...string) result {
	e.t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, stdio{in: in, out: &out, err: &errb}, e.getenv)
	return result{code: code, out: out.String(), err: errb.String()}
}

// mustRun runs byline and fails the test unless it exits with want.
func (e *env) mustRun(want int, args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != want {
		e.t.Fatalf("byline %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, want, r.out, r.err)
	}
	return r
}

// writeFiles writes files (name → content) under dir, creating
// subdirectories, and returns dir.
func writeFiles(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// jsonLines joins records as JSON Lines.
func jsonLines(t *testing.T, records ...map[string]any) string {
	t.Helper()
	var b strings.Builder
	for _, r := range records {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// askJSON runs "byline ask --json" and decodes the answer.
func (e *env) askJSON(args ...string) jsonAnswerDoc {
	e.t.Helper()
	r := e.mustRun(0, append([]string{"ask", "--json"}, args...)...)
	var doc jsonAnswerDoc
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		e.t.Fatalf("ask --json output is not JSON: %v\n%s", err, r.out)
	}
	return doc
}

// cited returns the article IDs of an answer's sources.
func cited(doc jsonAnswerDoc) []string {
	var ids []string
	for _, s := range doc.Sources {
		ids = append(ids, s.ArticleID)
	}
	return ids
}

// listIDs returns the IDs "byline list --json" prints for db.
func (e *env) listIDs(db string) []string {
	e.t.Helper()
	r := e.mustRun(0, "list", "--json", "--limit", "0", "--db", db)
	var ids []string
	dec := json.NewDecoder(strings.NewReader(r.out))
	for dec.More() {
		var art struct {
			ID string `json:"id"`
		}
		if err := dec.Decode(&art); err != nil {
			e.t.Fatalf("list --json: %v\n%s", err, r.out)
		}
		ids = append(ids, art.ID)
	}
	return ids
}

// stats returns "byline stats --json" for db.
func (e *env) stats(db string) (articles, paragraphs int) {
	e.t.Helper()
	r := e.mustRun(0, "stats", "--json", "--db", db)
	var s struct{ Articles, Paragraphs int }
	if err := json.Unmarshal([]byte(r.out), &s); err != nil {
		e.t.Fatalf("stats --json: %v\n%s", err, r.out)
	}
	return s.Articles, s.Paragraphs
}

// sampleArticle parses the built-in sample whose ID contains key, so the
// tests follow the sample files rather than copying their titles.
func sampleArticle(t *testing.T, key string) retrieval.Article {
	t.Helper()
	var found []retrieval.Article
	for _, name := range samples.Names() {
		data, err := fs.ReadFile(samples.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		err = ingest.Read(context.Background(), name, bytes.NewReader(data), ingest.Options{}, func(it ingest.Item) error {
			if it.Err == nil && it.Skip == "" && strings.Contains(it.Article.ID, key) {
				found = append(found, it.Article)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one sample article with %q in its ID, found %d", key, len(found))
	}
	return found[0]
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
