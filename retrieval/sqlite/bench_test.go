package sqlite_test

import (
	"testing"

	"github.com/byline-news/byline/retrieval/storetest"
)

// BenchmarkSearch times queries over ~20k generated paragraphs (see
// storetest.BenchSearch; retrieval/postgres runs the same).
func BenchmarkSearch(b *testing.B) { storetest.BenchSearch(b, MustOpen(b)) }

// BenchmarkIndex times Puts of 500 paragraphs into a growing index.
func BenchmarkIndex(b *testing.B) { storetest.BenchIndex(b, MustOpen(b)) }

// BenchmarkSearchTypos times questions spelt right against misspelt (see
// storetest.BenchSearchTypos; retrieval/postgres runs the same).
func BenchmarkSearchTypos(b *testing.B) { storetest.BenchSearchTypos(b, MustOpen(b)) }
