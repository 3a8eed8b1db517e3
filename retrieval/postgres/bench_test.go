package postgres_test

import (
	"context"
	"strconv"
	"sync/atomic"
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

// BenchmarkClaim times claiming a new key, as a replica does before
// answering each delivery: one after another, and from many goroutines
// at once (a burst of commands) over the default pool.
func BenchmarkClaim(b *testing.B) {
	ix := open(b)
	ctx := context.Background()
	now := storetest.Clock
	b.Run("serial", func(b *testing.B) {
		for i := range b.N {
			if _, err := ix.Claim(ctx, "bench", "serial-"+strconv.Itoa(i), now, now.Add(time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		var n atomic.Int64
		b.SetParallelism(50)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := ix.Claim(ctx, "bench", "parallel-"+strconv.FormatInt(n.Add(1), 10), now, now.Add(time.Hour)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkSearchTypos is retrieval/sqlite's BenchmarkSearchTypos on
// PostgreSQL.
func BenchmarkSearchTypos(b *testing.B) { storetest.BenchSearchTypos(b, open(b)) }
