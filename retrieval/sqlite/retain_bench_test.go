package sqlite_test

import (
	"testing"

	"github.com/byline-news/byline/retrieval/storetest"
)

// BenchmarkRetention compares deleting a thousand old articles in one
// DeleteOlder with one Delete each (see storetest.BenchRetention).
func BenchmarkRetention(b *testing.B) { storetest.BenchRetention(b, MustOpen(b)) }
