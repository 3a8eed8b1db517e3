package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/postgres/pgtest"
	"github.com/byline-news/byline/retrieval/storetest"
)

func open(b *testing.B) *postgres.Index {
	b.Helper()
	ix, err := postgres.Open(context.Background(), pgtest.URL(b), postgres.Options{Create: true, Now: func() time.Time { return storetest.Clock }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix
}

// BenchmarkSearch is retrieval/sqlite's BenchmarkSearch on PostgreSQL.
func BenchmarkSearch(b *testing.B) { storetest.BenchSearch(b, open(b)) }

// BenchmarkIndex is retrieval/sqlite's BenchmarkIndex on PostgreSQL.
func BenchmarkIndex(b *testing.B) { storetest.BenchIndex(b, open(b)) }
