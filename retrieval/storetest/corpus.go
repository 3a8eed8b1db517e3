package storetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Generated articles: pseudo-words built from syllables, so the corpus has
// a realistic spread of document frequencies without copying any text.

var syllables = []string{
	"ka", "lo", "mer", "tin", "sa", "ve", "dor", "pel", "qui", "ran",
	"bo", "zu", "fen", "gar", "hol", "ix", "jun", "nor", "ost", "pra",
}

// genVocabulary returns n distinct pseudo-words.
func genVocabulary(n int) []string {
	words := make([]string, 0, n)
	seen := map[string]bool{}
	r := rand.New(rand.NewPCG(1, 2))
	for len(words) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// Corpus generates deterministic articles from a seed.
type Corpus struct {
	Vocab []string // 2,000 pseudo-words, the most frequent first
	zipf  *rand.Zipf
	r     *rand.Rand
}

// NewCorpus returns the generator seeded with seed.
func NewCorpus(seed uint64) *Corpus {
	r := rand.New(rand.NewPCG(seed, 7))
	vocab := genVocabulary(2000)
	return &Corpus{Vocab: vocab, r: r, zipf: rand.NewZipf(r, 1.1, 4, uint64(len(vocab)-1))}
}

// Paragraph returns a sentence of words pseudo-words.
func (c *Corpus) Paragraph(words int) string {
	var b strings.Builder
	for i := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.Vocab[c.zipf.Uint64()])
	}
	b.WriteByte('.')
	return b.String()
}

// Article returns a generated article; its paragraphs have distinct
// lengths so that generated paragraphs rarely tie on score.
func (c *Corpus) Article(id string, paragraphs int) retrieval.Article {
	a := retrieval.Article{
		ID:        id,
		URL:       "https://news.example/" + id,
		Title:     c.Paragraph(3 + c.r.IntN(4)),
		Outlet:    "Generated Gazette",
		Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(c.r.IntN(365*24)) * time.Hour),
	}
	for range paragraphs {
		a.Paragraphs = append(a.Paragraphs, c.Paragraph(15+c.r.IntN(40)))
	}
	return a
}

// Articles returns n generated articles with IDs prefix-0, prefix-1, ...
func (c *Corpus) Articles(prefix string, n, paragraphs int) []retrieval.Article {
	out := make([]retrieval.Article, n)
	for i := range out {
		out[i] = c.Article(fmt.Sprintf("%s-%d", prefix, i), paragraphs)
	}
	return out
}

// Queries picks query texts from the corpus's own words: a frequent
// word, rarer ones, and pairs, so that scores depend on every statistic.
func (c *Corpus) Queries() []string {
	v := c.Vocab
	return []string{v[0], v[5], v[40], v[300], v[1] + " " + v[90], v[3] + " " + v[4] + " " + v[700], v[12] + " " + v[13]}
}

// SameHits compares two result lists: the same paragraphs with the same
// scores (to 1e-6); paragraphs with equal scores may come in either order.
func SameHits(t testing.TB, query string, got, want []retrieval.Hit) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("Search(%q): %d hits, want %d\ngot  %v\nwant %v", query, len(got), len(want), hitIDs(got), hitIDs(want))
		return
	}
	wantScore := map[string]float64{}
	for i, h := range hitIDs(want) {
		wantScore[h] = want[i].Score
	}
	for i, h := range hitIDs(got) {
		ws, ok := wantScore[h]
		if !ok {
			t.Errorf("Search(%q): hit %d is %s, which the reference index does not return", query, i, h)
			continue
		}
		if math.Abs(got[i].Score-ws) > 1e-6 || math.Abs(got[i].Score-want[i].Score) > 1e-6 {
			t.Errorf("Search(%q): hit %d %s scores %v, want %v (rank %d scores %v)", query, i, h, got[i].Score, ws, i, want[i].Score)
		}
	}
}
