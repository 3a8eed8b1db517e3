package postgres_test

import (
	"testing"

	"github.com/byline-news/byline/retrieval/storetest"
)

// BenchmarkRetention is retrieval/sqlite's BenchmarkRetention on
// PostgreSQL.
func BenchmarkRetention(b *testing.B) { storetest.BenchRetention(b, open(b)) }
