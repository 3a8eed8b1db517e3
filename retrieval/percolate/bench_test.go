package percolate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
	"github.com/byline-news/byline/retrieval/storetest"
)

// bbcNews is the BBC corpus of ../shared, when present.
const bbcNews = "../../../shared/data/news/articles.jsonl"

// benchWatches are n topics of 1 to 3 words, each taken from the title
// of one of articles: topics that real stories match.
func benchWatches(articles []retrieval.Article, n int) []retrieval.Watch {
	r := rand.New(rand.NewPCG(5, 6))
	out := make([]retrieval.Watch, 0, n)
	for len(out) < n {
		a := articles[r.IntN(len(articles))]
		var words []string
		for _, tok := range analysis.Tokens(a.Title) {
			if !tok.Stop {
				words = append(words, tok.Word)
			}
		}
		if len(words) == 0 {
			continue
		}
		k := min(1+r.IntN(3), len(words))
		start := r.IntN(len(words) - k + 1)
		out = append(out, retrieval.Watch{ID: int64(len(out) + 1), Topic: strings.Join(words[start:start+k], " ")})
	}
	return out
}

// namePairs are n distinct topics pairing two names (capitalised words
// past the first) of articles' headlines: "Blair Brown", "Google Yahoo".
func namePairs(articles []retrieval.Article, n int) []retrieval.Watch {
	seen := map[string]bool{}
	var names []string
	for _, a := range articles {
		for i, tok := range analysis.Tokens(a.Title) {
			if i > 0 && tok.Cap && !tok.Stop && !seen[tok.Word] {
				seen[tok.Word] = true
				names = append(names, tok.Word)
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	topics := map[string]bool{}
	var out []retrieval.Watch
	for len(out) < n {
		t := names[r.IntN(len(names))] + " " + names[r.IntN(len(names))]
		if !topics[t] {
			topics[t] = true
			out = append(out, retrieval.Watch{ID: int64(len(out) + 1), Topic: t})
		}
	}
	return out
}

func loadBBC(b *testing.B) []retrieval.Article {
	f, err := os.Open(bbcNews)
	if err != nil {
		b.Skipf("no BBC corpus: %v", err)
	}
	defer f.Close()
	var out []retrieval.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var rec struct{ ID, Title, Body string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			b.Fatal(err)
		}
		out = append(out, retrieval.Article{ID: rec.ID, Title: rec.Title, Paragraphs: strings.Split(rec.Body, "\n\n")})
	}
	return out
}

// generatedWatches are n topics of 1 to 3 words of a generated corpus,
// none of its 100 commonest (which are as common as stop words).
func generatedWatches(c *storetest.Corpus, n int) []retrieval.Watch {
	r := rand.New(rand.NewPCG(7, 8))
	out := make([]retrieval.Watch, n)
	for i := range out {
		var words []string
		for range 1 + r.IntN(3) {
			words = append(words, c.Vocab[100+r.IntN(len(c.Vocab)-100)])
		}
		out[i] = retrieval.Watch{ID: int64(i + 1), Topic: strings.Join(words, " ")}
	}
	return out
}

// BenchmarkMatch matches one new article against 10,000 watches: BBC
// stories against topics of 1 to 3 words of BBC headlines (so many
// match), against topics pairing two names of BBC headlines (specific,
// as newsrooms watch), and generated articles against topics of
// generated words; each with the percolator, and checking every watch.
// It reports the percentiles of one match.
func BenchmarkMatch(b *testing.B) {
	corpora := map[string]func(b *testing.B) ([]retrieval.Article, []retrieval.Watch){
		"bbc": func(b *testing.B) ([]retrieval.Article, []retrieval.Watch) {
			articles := loadBBC(b)
			return articles, benchWatches(articles, 10_000)
		},
		"bbc-names": func(b *testing.B) ([]retrieval.Article, []retrieval.Watch) {
			articles := loadBBC(b)
			return articles, namePairs(articles, 10_000)
		},
		"generated": func(*testing.B) ([]retrieval.Article, []retrieval.Watch) {
			c := storetest.NewCorpus(1)
			return c.Articles("g", 2000, 8), generatedWatches(c, 10_000)
		},
	}
	for _, name := range []string{"bbc", "bbc-names", "generated"} {
		for _, naive := range []bool{false, true} {
			mode := "percolator"
			if naive {
				mode = "every-watch"
			}
			b.Run(fmt.Sprintf("%s/%s/watches=10000", name, mode), func(b *testing.B) {
				articles, watches := corpora[name](b)
				benchMatch(b, articles, watches, naive)
			})
		}
	}
}

// benchMatch times matching each article in turn; naive checks every
// watch against it instead of looking up the candidates.
func benchMatch(b *testing.B, articles []retrieval.Article, watches []retrieval.Watch, naive bool) {
	p := New(watches)
	var all []query
	for _, qs := range p.byAnchor {
		all = append(all, qs...)
	}
	match := p.Match
	if naive {
		match = func(a retrieval.Article) []Match {
			terms := termSet(a)
			var units []unit
			var out []Match
			for _, q := range all {
				if holdsAll(terms, q.terms) {
					if units == nil {
						units = sentences(a)
					}
					if s, ok := best(units, q.terms); ok {
						out = append(out, Match{Watch: q.id, Sentence: s})
					}
				}
			}
			return out
		}
	}
	times := make([]time.Duration, 0, b.N)
	matches := 0
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		matches += len(match(articles[i%len(articles)]))
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(matches)/float64(b.N), "matches/article")
}
