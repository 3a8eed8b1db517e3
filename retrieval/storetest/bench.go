package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

// BenchSearch times queries over ~20k generated paragraphs in s (empty),
// indexed in 20 Puts so the index has merged segments, as a live one
// does. Backends' BenchmarkSearch call it, so their numbers compare.
func BenchSearch(b *testing.B, s Store) {
	ctx := context.Background()
	c := NewCorpus(100)
	const articles, paragraphs = 4000, 5
	all := c.Articles("bench", articles, paragraphs)
	for i := 0; i < len(all); i += 200 {
		MustPut(b, s, all[i:i+200]...)
	}
	v := c.Vocab
	queries := []string{
		v[0] + " " + v[1],                  // frequent words
		v[50] + " " + v[400] + " " + v[90], // mixed
		v[1500] + " " + v[1700],            // rare words
		"What did " + v[3] + " say about " + v[200] + " " + v[201] + "?",
	}
	for _, q := range queries {
		if hits := MustSearch(b, s, retrieval.Query{Text: q, K: 5}); len(hits) == 0 {
			b.Fatalf("Search(%q) found nothing", q)
		}
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := s.Search(ctx, retrieval.Query{Text: queries[i%len(queries)], K: 5}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchIndex times Put of batches of generated articles into a growing
// index s (empty) and reports paragraphs indexed per second.
func BenchIndex(b *testing.B, s Store) {
	ctx := context.Background()
	c := NewCorpus(200)
	const batch, paragraphs = 100, 5
	batches := make([][]retrieval.Article, 16)
	first := make([][]string, len(batches)) // each article's first paragraph
	for i := range batches {
		batches[i] = c.Articles(fmt.Sprintf("b%d", i), batch, paragraphs)
		for _, a := range batches[i] {
			first[i] = append(first[i], a.Paragraphs[0])
		}
	}
	n, round := 0, 0
	for b.Loop() {
		// Fresh IDs, URLs and text each round, so every Put adds.
		k := n % len(batches)
		if k == 0 {
			round++
		}
		arts := batches[k]
		for j := range arts {
			arts[j].ID = fmt.Sprintf("r%d-%d-%d", round, k, j)
			arts[j].URL = "https://news.example/" + arts[j].ID
			arts[j].Paragraphs[0] = fmt.Sprintf("Round %d. %s", round, first[k][j])
		}
		res, err := s.Put(ctx, arts)
		if err != nil {
			b.Fatal(err)
		}
		if res.Added != batch {
			b.Fatalf("Put = %+v, want %d added", res, batch)
		}
		n++
	}
	b.ReportMetric(float64(n*batch*paragraphs)/b.Elapsed().Seconds(), "paragraphs/s")
}

// BenchSearchTypos times the same questions spelt right and with one
// word misspelt (a letter dropped), over the corpus BenchSearch uses: a
// misspelt word costs a second read of document frequencies, for its
// variants one edit away (engine.Index.Correct).
func BenchSearchTypos(b *testing.B, s Store) {
	ctx := context.Background()
	c := NewCorpus(100)
	all := c.Articles("bench", 4000, 5)
	for i := 0; i < len(all); i += 200 {
		MustPut(b, s, all[i:i+200]...)
	}
	var long []string // words long enough to be corrected
	for _, w := range c.Vocab[40:] {
		if len(w) >= 7 {
			long = append(long, w)
		}
	}
	spelt := []string{long[0] + " " + long[1], "What did " + long[2] + " say about " + long[3] + "?"}
	misspelt := []string{long[0][1:] + " " + long[1], "What did " + long[2] + " say about " + long[3][:3] + long[3][4:] + "?"}
	for _, tc := range []struct {
		name    string
		queries []string
	}{{"spelt", spelt}, {"misspelt", misspelt}} {
		b.Run(tc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := s.Search(ctx, retrieval.Query{Text: tc.queries[i%len(tc.queries)], K: 5}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
