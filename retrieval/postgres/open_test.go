package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

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
