package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

func mustExec(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("missing schema", func(t *testing.T) {
		_, err := postgres.Open(ctx, pgtest.URL(t), postgres.Options{})
		if !errors.Is(err, postgres.ErrNoSchema) {
			t.Errorf("Open without Create = %v, want ErrNoSchema", err)
		}
	})
	t.Run("somebody else's tables", func(t *testing.T) {
		url := pgtest.URL(t)
		mustExec(t, url, `CREATE SCHEMA `+pgx.Identifier{schemaOf(t, url)}.Sanitize()+`; CREATE TABLE articles (id int, body text)`)
		_, err := postgres.Open(ctx, url, postgres.Options{Create: true})
		if err == nil || !strings.Contains(err.Error(), "byline did not make") {
			t.Errorf("Open over a foreign articles table = %v, want a refusal", err)
		}
		mustExec(t, url, `SELECT count(*) FROM articles`) // untouched
	})
	t.Run("read-only", func(t *testing.T) {
		url := pgtest.URL(t)
		mustExec(t, url, `CREATE SCHEMA `+pgx.Identifier{schemaOf(t, url)}.Sanitize())
		if _, err := postgres.Open(ctx, url, postgres.Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "schema version 0") {
			t.Errorf("read-only Open of an empty schema = %v, want a version error", err)
		}
		ix, err := postgres.Open(ctx, url, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
		ro, err := postgres.Open(ctx, url, postgres.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		_, err = ro.Put(ctx, []retrieval.Article{{ID: "a", Paragraphs: []string{"Text."}}})
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("Put on a read-only handle = %v, want a read-only error", err)
		}
	})
	t.Run("bad URL", func(t *testing.T) {
		_, err := postgres.Open(ctx, "postgres://user:sekrit@[::1:5432/db", postgres.Options{})
		if err == nil || strings.Contains(err.Error(), "sekrit") {
			t.Errorf("Open(bad URL) = %v, want an error without the password", err)
		}
	})
}

func schemaOf(t *testing.T, url string) string {
	t.Helper()
	_, q, _ := strings.Cut(url, "search_path=")
	s, _, _ := strings.Cut(q, "&")
	return s
}

// TestUnavailable: a server that cannot be reached, at Open or once
// open, gives errors wrapping retrieval.ErrUnavailable, for every kind
// of call, and the handle works again once the server is back, by
// itself.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	proxy := pgtest.NewProxy(t)
	via := proxy.URL(t, url)
	proxy.Cut()
	if _, err := postgres.Open(ctx, via, postgres.Options{Create: true}); !errors.Is(err, retrieval.ErrUnavailable) ||
		!strings.Contains(err.Error(), "is PostgreSQL running") {
		t.Errorf("Open with the server cut off = %v, want ErrUnavailable with advice", err)
	}
	proxy.Restore(t)
	ix, err := postgres.Open(ctx, via, postgres.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Put(ctx, []retrieval.Article{{ID: "a", Title: "Tide mill", Paragraphs: []string{"The tide mill reopened."}}}); err != nil {
		t.Fatal(err)
	}
	proxy.Cut()
	calls := map[string]func() error{
		"search": func() error { _, err := ix.Search(ctx, retrieval.Query{Text: "tide mill"}); return err },
		"count":  func() error { _, err := ix.Count(ctx); return err },
		"put": func() error {
			_, err := ix.Put(ctx, []retrieval.Article{{ID: "b", Paragraphs: []string{"More."}}})
			return err
		},
		"claim": func() error { _, err := ix.Claim(ctx, "ns", "k", time.Now(), time.Now().Add(time.Hour)); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, retrieval.ErrUnavailable) {
			t.Errorf("%s with the server cut off = %v, want ErrUnavailable", name, err)
		}
	}
	proxy.Restore(t)
	hits, err := ix.Search(ctx, retrieval.Query{Text: "tide mill"})
	if err != nil || len(hits) != 1 {
		t.Errorf("search once the server is back = %v, %v; want the article", hits, err)
	}
	if n, err := ix.Count(ctx); n != 1 || err != nil {
		t.Errorf("count once the server is back = %d, %v; want 1 (the put during the cut kept nothing)", n, err)
	}
}
