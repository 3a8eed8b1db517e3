// Package bench measures indexing and query speed at scale: corpora of
// 10k to 1M paragraphs built from the BBC articles, each copy made
// distinct with its own made-up name, queried with the bbc-dev questions.
package bench

import (
	"fmt"
	"iter"

	"github.com/byline-news/byline/retrieval"
)

// Copies yields articles from base, copied as often as needed to reach n
// paragraphs. Copy c > 0 gets a per-copy token in its title and in every
// paragraph (so no two copies are the same text) and an ID suffix.
func Copies(base []retrieval.Article, n int) iter.Seq[retrieval.Article] {
	return func(yield func(retrieval.Article) bool) {
		total := 0
		for c := 0; total < n; c++ {
			for _, a := range base {
				if total >= n {
					return
				}
				b := a
				if c > 0 {
					b = copyOf(a, c)
				}
				if len(b.Paragraphs) > n-total {
					b.Paragraphs = b.Paragraphs[:n-total]
				}
				total += len(b.Paragraphs)
				if !yield(b) {
					return
				}
			}
			if len(base) == 0 {
				return
			}
		}
	}
}

func copyOf(a retrieval.Article, c int) retrieval.Article {
	name := copyName(c)
	b := a
	b.ID = fmt.Sprintf("%s-c%d", a.ID, c)
	if a.URL != "" {
		b.URL = fmt.Sprintf("%s?copy=%d", a.URL, c)
	}
	b.Title = a.Title + " (" + name + ")"
	b.Paragraphs = make([]string, len(a.Paragraphs))
	for i, p := range a.Paragraphs {
		b.Paragraphs[i] = p + " " + name
	}
	return b
}

// copyName makes a pronounceable made-up name per copy ("Bakodi").
func copyName(c int) string {
	cons := "bdfgklmnprstvz"
	vows := "aeiou"
	name := []byte{'Q'}
	for c > 0 || len(name) < 4 {
		name = append(name, cons[c%len(cons)], vows[(c/len(cons))%len(vows)])
		c /= len(cons) * len(vows)
	}
	return string(name)
}
